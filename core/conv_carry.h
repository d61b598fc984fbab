/* conv_carry.h — conversations that carry on across a session reset.
 *
 * `tshark -M N` frees every conversation each N packets. A conversation whose
 * handshake is still undecided at that moment (a ClientHello seen, the
 * server's answer not yet) would otherwise restart in the next session as a
 * conversation seen mid-stream, `no_handshake_seen`: its failure alert would
 * then be no failed handshake at all. So, at the reset, such a conversation is
 * copied here (outside the file scope), keyed by its endpoints and tunnel, and
 * when the next session sees the same key again the new conversation takes
 * over its handshake state (tracker, hello details, start time) and carries a
 * `resumed` mark, so the reports count its handshake once, with its real
 * outcome.
 *
 * What is carried (tlsa_conv_carries): conversations whose outcome is a
 * handshake that can still move — not `no_handshake_seen`, not settled for
 * good (established, alert_by_client, alert_by_server) and not closed (a RST,
 * or a FIN from both sides). A carried copy is dropped once it has been idle
 * TLSA_CONV_IDLE_SEC seconds of capture time (the same rule by which the
 * Prometheus counters settle a quiet conversation), so the memory held is at
 * most the conversations that were undecided and active in the last
 * TLSA_CONV_IDLE_SEC seconds.
 *
 * A conversation already counted (its outcome final) but still open at the
 * reset is remembered by its key alone: when the next session sees it again
 * (a mirror's late duplicate, QUIC's 1-RTT packets, which prove completion
 * again), it starts afresh but is marked resumed-as-counted, and no report
 * counts its handshake a second time.
 *
 * What a resumed conversation does not keep: its alert list (the reports list
 * the alerts of the current session; the first failure note is kept, it
 * decides the outcome) and frame numbers (tshark numbers each session's
 * frames from 1 again).
 *
 * Pure C + GLib, no Wireshark types: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONV_CARRY_H
#define TLSALERTS_CONV_CARRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conversation.h"

/* Capture seconds without a frame after which a conversation is idle. */
#define TLSA_CONV_IDLE_SEC 120

/* The conversation's outcome cannot change any more: alert_by_client,
 * alert_by_server, or established once nothing can move it (TLS <= 1.2
 * before any application data may still become a rejection or
 * closed_after_handshake: tlsa_tracker_established_may_change). */
bool tlsa_conv_outcome_is_final(const tlsa_conv_t *conv);

/* A TCP RST from either side, or a FIN from both. */
bool tlsa_conv_is_closed(const tlsa_conv_t *conv);

/* Idle at capture second NOW (last frame TLSA_CONV_IDLE_SEC or more before). */
bool tlsa_conv_idle_at(int64_t last_sec, int64_t now);

/* Whether a session reset carries the conversation into the next session
 * (see above). Depends on the conversation's state only. */
bool tlsa_conv_carries(const tlsa_conv_t *conv);

/* The outcome was counted already (final, or resumed as counted) and the
 * conversation is not closed: a session reset remembers its key. */
bool tlsa_conv_counted_open(const tlsa_conv_t *conv);

/* Storage for a resumed conversation, living as long as its session. */
typedef struct {
    void *ctx;
    void *(*alloc0)(void *ctx, size_t size);          /* zeroed */
    const char *(*intern)(void *ctx, const char *s);  /* NULL for NULL or "" */
    /* NULL for NULL or none */
    const uint16_t *(*intern_codes)(void *ctx, const uint16_t *codes, uint16_t n);
    const tlsa_hello_t *(*intern_hello)(void *ctx, const tlsa_hello_t *value); /* its parts interned */
} tlsa_carry_alloc_t;

typedef struct tlsa_conv_carry tlsa_conv_carry_t;

tlsa_conv_carry_t *tlsa_conv_carry_new(void);
void tlsa_conv_carry_free(tlsa_conv_carry_t *carry);
void tlsa_conv_carry_clear(tlsa_conv_carry_t *carry);
unsigned tlsa_conv_carry_size(const tlsa_conv_carry_t *carry);

/* At a reset: keeps a deep copy of conv if tlsa_conv_carries(conv), its key
 * if tlsa_conv_counted_open(conv) (replacing an older entry of the same key).
 * Returns whether anything was kept. */
bool tlsa_conv_carry_keep(tlsa_conv_carry_t *carry, const tlsa_conv_t *conv);

/* Drops the copies idle at capture second NOW. */
void tlsa_conv_carry_expire(tlsa_conv_carry_t *carry, int64_t now);

/* A copy of KEY is carried and not idle at capture second NOW: a frame of
 * that conversation (a FIN, a RST, which start no conversation of their own)
 * resumes it. */
bool tlsa_conv_carry_has(const tlsa_conv_carry_t *carry, const tlsa_conv_key_t *key, int64_t now);

/* A conversation just created in a new session (key, id, first frame set):
 * if an entry of its key is carried and not idle at capture second NOW, the
 * entry is dropped and conv resumes: from a copy it takes over the state and
 * is marked TLSA_RESUMED_UNDECIDED (TLSA_RESUMED_COUNTED if the copy was),
 * from a key alone it only gets the mark TLSA_RESUMED_COUNTED. Returns
 * whether it resumed. */
bool tlsa_conv_carry_resume(tlsa_conv_carry_t *carry, tlsa_conv_t *conv, int64_t now,
                            const tlsa_carry_alloc_t *alloc);

#endif
