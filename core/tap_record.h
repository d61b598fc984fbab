/* tap_record.h — what the companion queues on the "tlsalerts" tap: once per
 * frame, the frame's records (tlsa_tap_frame_t): one record per alert (or per
 * run of identical alerts, see .repeats), one when a conversation is first seen, one each time a conversation's outcome
 * changes. Listeners in stats/ count these.
 *
 * One tap entry per frame, not per record: Wireshark queues at most 5,000
 * tap entries per frame ("Too many taps queued") and drops the rest, so a
 * segment packed with alerts would hide most of them.
 *
 * Pure C, no Wireshark types: listeners and unit tests share it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_TAP_RECORD_H
#define TLSALERTS_TAP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"

/* Name of the tap every listener registers on. */
#define TLSA_TAP_NAME "tlsalerts"

typedef enum {
    TLSA_REC_ALERT = 0,     /* an alert (level, description, sender, stage) */
    TLSA_REC_CONVERSATION,  /* first frame of a conversation; outcome_to = its outcome then */
    TLSA_REC_OUTCOME,       /* the conversation's outcome changed from outcome_from to outcome_to
                             * (equal: only what its row shows changed, e.g. the version) */
    TLSA_REC_UNDECODED_TLS, /* a TCP segment to `port` whose payload starts with a TLS
                             * ClientHello record that Wireshark did not decode as TLS
                             * (core/undecoded_tls.h); conv is NULL */
} tlsa_record_kind_t;

/* The description is not visible: an encrypted alert record (no key). */
#define TLSA_ALERT_ENCRYPTED 0x01u
/* The same alert record seen before (retransmission, mirror duplicate): shown
 * in the tree, never counted by a listener (tlsa_record_counts). */
#define TLSA_ALERT_DUPLICATE 0x02u

/* TLSA_REC_CONVERSATION, TLSA_REC_OUTCOME: the record's conversation was
 * folded (conv_bound.h) after the record was made. .conv then points to a
 * stand-in that is no conversation of its own: its protocol, tunnel (key.vni,
 * outer_src), .outcome and .cause are the folded conversation's final ones.
 * The record still shows in the tree as it did; listeners count the folded
 * conversation once, at its TLSA_REC_FOLDED_FIRST record (its first frame),
 * as a conversation not listed individually. */
#define TLSA_REC_FOLDED 0x04u
#define TLSA_REC_FOLDED_FIRST 0x08u

struct tlsa_conv;

typedef struct {
    uint32_t frame;        /* frame number */
    uint8_t  kind;         /* tlsa_record_kind_t */
    uint8_t  protocol;     /* tlsa_protocol_t */
    uint8_t  level;        /* wire value; 0 when encrypted */
    uint8_t  description;  /* wire value; 0 when encrypted */
    uint8_t  flags;        /* TLSA_ALERT_*, TLSA_REC_FOLDED* */
    uint8_t  sender;       /* tlsa_sender_t */
    uint8_t  stage;        /* tlsa_stage_t the handshake had reached */
    uint8_t  history_len;  /* length of the conversation's history after this frame: the
                            * conversations table shows this much, so a row reads the same
                            * in one pass, two passes and GUI retaps */
    union {
        struct {
            uint8_t outcome_from; /* tlsa_outcome_t (TLSA_REC_OUTCOME) */
            uint8_t outcome_to;   /* tlsa_outcome_t (TLSA_REC_CONVERSATION, TLSA_REC_OUTCOME) */
            uint8_t cause_from;   /* likely-cause rule (index + 1, 0: none) before and after this */
            uint8_t cause_to;     /* record (TLSA_REC_CONVERSATION, TLSA_REC_OUTCOME) */
        };
        /* TLSA_REC_ALERT: how many identical alerts follow this one in the
         * frame (same conversation, sender, level, description, flags and
         * stage), all stood for by this record: a segment packed with
         * thousands of identical alerts is one record, not thousands.
         * Read it through tlsa_record_alerts(). */
        uint32_t repeats;
        uint16_t port;            /* TLSA_REC_UNDECODED_TLS: the segment's destination port */
    };
    const struct tlsa_conv *conv; /* NULL if the frame belongs to no tracked conversation */
} tlsa_record_t;

/* 24 bytes on 64-bit hosts, without padding: a frame's tap entry holds them;
 * the record store keeps them for the whole file in about 8 bytes each
 * (record_store.h). */
_Static_assert(sizeof(tlsa_record_t) <= 8 + 2 * sizeof(void *), "tap records stay small");

/* What one tap entry carries: a frame's records, in order. */
typedef struct {
    uint32_t count;
    const tlsa_record_t *records;
} tlsa_tap_frame_t;

static inline int tlsa_alert_is_encrypted(const tlsa_record_t *record)
{
    return (record->flags & TLSA_ALERT_ENCRYPTED) != 0;
}

/* How many alerts the record stands for: 1 + its repeats for an alert
 * record, 0 for any other. */
static inline uint64_t tlsa_record_alerts(const tlsa_record_t *record)
{
    return record->kind == TLSA_REC_ALERT ? (uint64_t)record->repeats + 1 : 0;
}

/* The record's conversation, NULL when none or folded. */
static inline const struct tlsa_conv *tlsa_record_conv(const tlsa_record_t *record)
{
    return (record->flags & TLSA_REC_FOLDED) ? NULL : record->conv;
}

/* The record as it reads once its conversation was folded into stand_in
 * (conv_bound.h): pointing to the stand-in, flagged TLSA_REC_FOLDED, a
 * conversation record TLSA_REC_FOLDED_FIRST too. */
static inline void tlsa_record_fold(tlsa_record_t *record, const struct tlsa_conv *stand_in)
{
    record->conv = stand_in;
    record->flags |= TLSA_REC_FOLDED;
    if (record->kind == TLSA_REC_CONVERSATION)
        record->flags |= TLSA_REC_FOLDED_FIRST;
}

/* Whether a listener counts the record (duplicates are only shown). */
static inline int tlsa_record_counts(const tlsa_record_t *record)
{
    return (record->flags & TLSA_ALERT_DUPLICATE) == 0;
}

#endif
