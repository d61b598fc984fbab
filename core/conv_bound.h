/* conv_bound.h — the bound on provisional conversations, and how a folded
 * conversation leaves the listeners.
 *
 * A conversation started by a bare SYN to a TLS port is provisional while it
 * has seen nothing but TCP's handshake and closes (no payload, no TLS, no
 * alert): a SYN flood, a port scan, a probe. Each would be kept until the
 * file closes; tlsalerts keeps at most a fixed number of them (preference
 * tlsalerts.provisional_limit) and folds the oldest beyond it (closed ones
 * first: an open one's ClientHello may still come): its records
 * stay and keep counting, exactly, under a stand-in that only says its
 * protocol, tunnel, outcome and likely cause (tap_record.h, TLSA_REC_FOLDED),
 * and it is no longer listed on its own. A later ClientHello on the same
 * 5-tuple makes a new conversation. Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONV_BOUND_H
#define TLSALERTS_CONV_BOUND_H

#include "conversation.h"

/* The default of tlsalerts.provisional_limit. */
#define TLSA_PROVISIONAL_LIMIT_DEFAULT 10000u

/* Provisional conversations in order of creation. */
typedef struct tlsa_conv_bound tlsa_conv_bound_t;

tlsa_conv_bound_t *tlsa_conv_bound_new(void);
void tlsa_conv_bound_free(tlsa_conv_bound_t *bound);

/* conv becomes provisional (conv->provisional = 1), the newest. */
void tlsa_conv_bound_add(tlsa_conv_bound_t *bound, tlsa_conv_t *conv);

/* A provisional conv was closed (FIN or RST): its outcome is final, so it is
 * folded before any still open (whose ClientHello may yet come). */
void tlsa_conv_bound_closed(tlsa_conv_bound_t *bound, tlsa_conv_t *conv);

/* conv is provisional no longer (it carried a payload): it stays for good. */
void tlsa_conv_bound_promote(tlsa_conv_bound_t *bound, tlsa_conv_t *conv);

/* How many conversations are provisional now. */
unsigned tlsa_conv_bound_count(const tlsa_conv_bound_t *bound);

/* While more than limit are provisional: the oldest closed one, else the
 * oldest open one, no longer provisional and no longer in the bound (the
 * caller folds it); else NULL. limit 0: no bound. Amortised constant time. */
tlsa_conv_t *tlsa_conv_bound_take_over(tlsa_conv_bound_t *bound, unsigned limit);

/* Whether a conversation can be folded: all its records lie in at most two
 * frames, its first and its latest (tlsa_conv_t.record_frames <= 2). The
 * record store folds a conversation's records in any frame (record_store.h);
 * the rule dates from when it rewrote those two frames, and stays so that
 * the conversations folded are the ones they were. */
bool tlsa_conv_foldable(const tlsa_conv_t *conv);

/* Listeners that keep conversations (the reports, the GUI table, the
 * Prometheus counters) are told when one is folded, before it is freed: they
 * drop it and count it with the conversations not listed individually, as
 * they count a folded record on a later pass. */
typedef void (*tlsa_fold_fn)(void *data, const tlsa_conv_t *conv);
void tlsa_fold_listen(tlsa_fold_fn fn, void *data);
void tlsa_fold_unlisten(tlsa_fold_fn fn, void *data);
void tlsa_fold_notify(const tlsa_conv_t *conv);

#endif
