/* tracker_feed.h — the event builders the tracker's unit tests share: one
 * event per call, numbered frame by frame in call order, fed at once. Each
 * test file includes it once (the state below is the file's own).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_TRACKER_FEED_H
#define TLSALERTS_TRACKER_FEED_H

#include "check.h"
#include "handshake_tracker.h"

#define TF_NOTES 256
static tlsa_alert_note_t tf_notes[TF_NOTES]; /* the caller's allocator for alert notes */
static unsigned tf_n_notes;
static uint32_t tf_frame;

/* An event of the next frame; no cipher suite. */
static inline tlsa_event_t tf_event(tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg)
{
    tlsa_event_t e = {0};
    e.kind = kind;
    e.side = side;
    e.arg = arg;
    e.frame = ++tf_frame;
    e.cipher = -1;
    return e;
}

/* A SYN, FIN, RST, CCS, record or handshake message (ARG: its type or length). */
static inline void tf_feed(tlsa_tracker_t *t, tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg)
{
    tlsa_event_t e = tf_event(kind, side, arg);
    tlsa_tracker_feed(t, &e, NULL);
}

/* A ClientHello offering the TLSA_V_* versions OFFERED. */
static inline void tf_client_hello(tlsa_tracker_t *t, tlsa_side_t side, uint16_t offered)
{
    tlsa_event_t e = tf_event(TLSA_EV_HANDSHAKE, side, 1);
    e.versions = offered;
    tlsa_tracker_feed(t, &e, NULL);
}

/* A ServerHello selecting VERSION (wire value) and CIPHER (-1: none). */
static inline void tf_server_hello(tlsa_tracker_t *t, tlsa_side_t side, uint16_t version, int cipher)
{
    tlsa_event_t e = tf_event(TLSA_EV_HANDSHAKE, side, 2);
    e.selected_version = version;
    e.versions = tlsa_version_bit(version);
    e.cipher = cipher;
    tlsa_tracker_feed(t, &e, NULL);
}

/* An alert; LEVEL < 0: an encrypted one. Notes come from tf_notes while it lasts. */
static inline tlsa_sender_t tf_alert(tlsa_tracker_t *t, tlsa_side_t side, int level, int description)
{
    tlsa_event_t e = tf_event(TLSA_EV_ALERT, side, 0);
    if (level < 0) {
        e.encrypted = 1;
    } else {
        e.level = (uint8_t)level;
        e.description = (uint8_t)description;
    }
    return tlsa_tracker_feed(t, &e, tf_n_notes < TF_NOTES ? &tf_notes[tf_n_notes++] : NULL);
}

#define OUTCOME(t, expected) \
    CHECK(tlsa_tracker_outcome(t) == (expected), "outcome %s, expected %s", \
          tlsa_outcome_name(tlsa_tracker_outcome(t)), tlsa_outcome_name(expected))

#endif
