/* timeline.h — failures over time: per UTC minute (aligned as CloudWatch's
 * one-minute periods are), per VXLAN VNI and per outer source (the mirrored
 * ENI, i.e. the ALB node / AZ): handshakes, failed handshakes, failure alerts
 * by group, encrypted alerts.
 *
 * A handshake counts in the minute of its conversation's first frame, failed
 * or not by its final outcome; an alert counts in the minute of its frame, as
 * the tap delivered it (so a display filter selects alerts by their frames).
 *
 * Pure C + GLib: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_TIMELINE_H
#define TLSALERTS_TIMELINE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "alert_group.h"
#include "conversation.h"
#include "tap_record.h"

typedef struct {
    int64_t  minute;        /* Unix time of the minute's start (a multiple of 60) */
    uint8_t  has_vni;
    uint32_t vni;
    char     outer[48];     /* outer source address, "" outside a tunnel */
    uint64_t handshakes;
    uint64_t failed_handshakes;
    uint64_t failure_alerts[TLSA_GROUP_COUNT]; /* by group; graceful stays 0 */
    uint64_t encrypted_alerts;
} tlsa_timeline_row_t;

typedef struct {
    GHashTable *rows;       /* key text -> tlsa_timeline_row_t */
} tlsa_timeline_t;

void tlsa_timeline_init(tlsa_timeline_t *tl);
void tlsa_timeline_free(tlsa_timeline_t *tl);

/* Minute start of a Unix time (floor, also before 1970). */
int64_t tlsa_timeline_minute(int64_t sec);

/* One conversation's handshake, in the minute of its first frame, failed or
 * not by its outcome now. */
void tlsa_timeline_add_handshake(tlsa_timeline_t *tl, const tlsa_conv_t *conv);

/* The same for a conversation known only by its labels (tunnel, outer
 * source: a folded conversation's stand-in, conv_bound.h), first second and
 * outcome. */
void tlsa_timeline_add_handshake_as(tlsa_timeline_t *tl, const tlsa_conv_t *labels, int64_t first_sec,
                                    tlsa_outcome_t outcome);

/* One tap record of a frame at time_sec (seconds since the epoch): a failure
 * or encrypted alert counts in that minute (other records and readable
 * non-failures add nothing). */
void tlsa_timeline_add_alert(tlsa_timeline_t *tl, const tlsa_record_t *rec, int64_t time_sec);

/* Adds every row of `from` into `into`. */
void tlsa_timeline_merge(tlsa_timeline_t *into, const tlsa_timeline_t *from);

/* Rows sorted by minute, then VNI (none first), then outer source. Free with
 * g_ptr_array_free(rows, TRUE); the rows belong to the timeline. */
GPtrArray *tlsa_timeline_sorted(const tlsa_timeline_t *tl);

/* "2026-11-22T22:49:00Z" */
void tlsa_timeline_minute_text(int64_t minute, char *buf, size_t size);

#endif
