/* frame_events.h — the handshake events of one frame (hellos, ChangeCipherSpec,
 * encrypted records, SYN/FIN/RST) and its hello details, for the tracker.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_FRAME_EVENTS_H
#define TLSALERTS_FRAME_EVENTS_H

#include <epan/packet.h>

#include "frame_decision.h"

/* Reads the frame's events (kind and arguments), flags and hello details into
 * fe; the frame's number, time and alerts are the caller's to set. Events
 * beyond TLSA_MAX_FRAME_EVENTS are dropped (the tracker then sees the first
 * ones only). */
void tlsa_frame_events(proto_tree *tree, tlsa_frame_t *fe);

#endif
