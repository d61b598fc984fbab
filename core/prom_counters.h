/* prom_counters.h — the running counters behind `-z tlsalerts,prom`: what the
 * tap records add up to, kept so that every exported counter is monotonic.
 *
 * Handshakes. A conversation's outcome can still move while frames arrive
 * (incomplete -> established, aborted -> alert_by_server, ...), and a counter
 * may never go down. So each conversation is counted once, under the outcome
 * it has when it is SETTLED:
 *   - at once when its outcome cannot change any more: established,
 *     alert_by_client, alert_by_server (the first failure alert before
 *     completion is fixed, and so is completion);
 *   - when it is closed: a TCP RST from either side, or a FIN from both;
 *   - after TLSA_PROM_SETTLE_IDLE_SEC seconds (capture time) without a frame;
 *   - at the end of the run (tlsa_prom_counters_settle_all), with its final
 *     outcome: so a tshark run over a file ends with the same handshake and
 *     outcome counts as `-z tlsalerts,json`.
 * Until then it counts in the gauge tlsalerts_handshakes_pending.
 *
 * Session resets (tshark -M). The session's conversations are about to be
 * freed. One that the companion carries into the next session (still open,
 * handshake undecided: tlsa_conv_carries, conv_carry.h) is not settled: it
 * stays pending, remembered by its key with the outcome it has now. When the
 * next session's conversation of that key arrives marked `resumed`, it takes
 * the place of that entry and is settled like any other, with the outcome its
 * carried handshake state gives it. An entry that never resumes is settled
 * with its outcome at the reset once idle (the same rule by which the
 * companion drops its copy, so the two never disagree) or at the end.
 * A conversation resumed as already counted (TLSA_RESUMED_COUNTED) is never
 * counted again. Any other pending conversation is settled at the reset with
 * its outcome then. So each handshake is counted once, across any number of
 * resets.
 *
 * Alerts are counted as their records arrive (duplicates are never queued).
 *
 * Thread safety: none here; the caller serialises access (stats/report_prom.c
 * holds a mutex). tlsa_prom_counters_render() reads only this structure's own
 * tables, never the conversations its records pointed to, so it may run on
 * another thread than the tap callbacks, under the caller's lock.
 *
 * Pure C + GLib, no Wireshark types: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_PROM_COUNTERS_H
#define TLSALERTS_PROM_COUNTERS_H

#include <glib.h>
#include <stdint.h>

#include "conv_carry.h"
#include "conversation.h"
#include "tap_record.h"
#include "undecoded_tls.h"

#define TLSA_PROM_SETTLE_IDLE_SEC TLSA_CONV_IDLE_SEC

typedef struct {
    GHashTable *alerts;      /* readable alerts: packed key -> count */
    GHashTable *encrypted;   /* encrypted alerts: packed key -> count */
    GHashTable *handshakes;  /* settled handshakes: packed key -> count */
    GHashTable *session;     /* conversations of this session: conv -> GINT (1 pending, 2 settled) */
    GHashTable *pending;     /* the pending ones (a set) */
    GHashTable *carried;     /* pending across a reset: conversation key -> carried_t */
    tlsa_undecoded_t undecoded; /* ClientHellos not decoded as TLS, per port */
    uint64_t frames;         /* frames seen (every frame, not only TLS) */
    uint64_t resets;         /* session resets (tshark -M) */
    uint64_t write_errors;   /* textfile writes that failed (set by the caller) */
    uint64_t frames_at_reset;/* frames when the session last began */
    int64_t  last_tick;      /* capture second of the last tick */
    int64_t  latest;         /* latest capture second seen (all sessions) */
} tlsa_prom_counters_t;

/* What the render adds beside the counters. */
typedef struct {
    const char *version;           /* tlsalerts version, for tlsalerts_build_info */
    const char *wireshark_version;
    double last_write;             /* Unix time of this write; 0 leaves the gauge out */
} tlsa_prom_info_t;

void tlsa_prom_counters_init(tlsa_prom_counters_t *c);
void tlsa_prom_counters_free(tlsa_prom_counters_t *c);

/* Counts one tap record. The conversation it points to must be alive (it is,
 * inside a tap callback). */
void tlsa_prom_counters_add_record(tlsa_prom_counters_t *c, const tlsa_record_t *rec);

/* conv is being folded (conv_bound.h): settled now if pending, then
 * forgotten (a folded record counts it on a later pass). */
void tlsa_prom_counters_fold(tlsa_prom_counters_t *c, const tlsa_conv_t *conv);

/* One frame seen at capture time SEC; once per capture second, settles the
 * pending conversations that are closed, or idle at the latest second seen. */
void tlsa_prom_counters_frame(tlsa_prom_counters_t *c, int64_t sec);

/* Settles pending conversations that are closed, or idle at capture time NOW. */
void tlsa_prom_counters_tick(tlsa_prom_counters_t *c, int64_t now);

/* Settles every pending conversation with its outcome now (end of the run). */
void tlsa_prom_counters_settle_all(tlsa_prom_counters_t *c);

/* A session reset: settles the pending conversations that are idle, keeps
 * those that carry on (see above) by key, settles the others, forgets the
 * session's conversations (their memory is about to go), counts the reset if
 * frames were seen since the session began (tshark also ends a session before
 * the first frame of a file and after the last one). */
void tlsa_prom_counters_new_session(tlsa_prom_counters_t *c);

/* Gauges: pending includes the conversations carried across a reset. */
unsigned tlsa_prom_counters_pending(const tlsa_prom_counters_t *c);
unsigned tlsa_prom_counters_tracked(const tlsa_prom_counters_t *c);

/* The exposition text (see README "Sensor" for the families). */
void tlsa_prom_counters_render(const tlsa_prom_counters_t *c, const tlsa_prom_info_t *info, GString *out);

#endif
