/* frame_events.h — the handshake events of one frame (hellos, ChangeCipherSpec,
 * encrypted records, SYN/FIN/RST) and its hello details, for the tracker.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_FRAME_EVENTS_H
#define TLSALERTS_FRAME_EVENTS_H

#include <epan/packet.h>

#include "handshake_tracker.h"

#define TLSA_MAX_FRAME_EVENTS 256

typedef struct {
    tlsa_protocol_t protocol;   /* what the frame carries */
    gboolean has_content;       /* any TLS/DTLS/QUIC record or alert */
    gboolean syn, fin, rst;     /* TCP flags of the innermost TCP header */
    const char *sni, *ja3, *ja3s, *ja4; /* valid while the tree lives */
    guint n_before;             /* events before the frame's alerts */
    guint n_after;              /* events after them (FIN, RST) */
    tlsa_event_t before[TLSA_MAX_FRAME_EVENTS];
    tlsa_event_t after[2];
} tlsa_frame_events_t;

/* Reads the frame; events carry kind and arguments, the caller sets side,
 * frame and time. Events beyond TLSA_MAX_FRAME_EVENTS are dropped (the
 * tracker then sees the first ones only). */
void tlsa_frame_events(proto_tree *tree, tlsa_frame_events_t *fe);

#endif
