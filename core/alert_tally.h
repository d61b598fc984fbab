/* alert_tally.h — counts of alerts: totals, failures per group, and one row per
 * (protocol, level, description). What every report prints.
 *
 * Pure C + GLib, no Wireshark types: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_TALLY_H
#define TLSALERTS_ALERT_TALLY_H

#include <glib.h>
#include <stdint.h>

#include "alert_group.h"
#include "tap_record.h"

typedef struct {
    uint8_t  protocol;    /* tlsa_protocol_t */
    uint8_t  level;
    uint8_t  description;
    uint64_t count;
    uint64_t by_sender[TLSA_SENDER_COUNT]; /* indexed by tlsa_sender_t */
} tlsa_tally_row_t;

typedef struct {
    uint64_t alerts;                     /* every alert, encrypted ones included */
    uint64_t failures;                   /* readable alerts other than graceful */
    uint64_t encrypted;                  /* description not visible */
    uint64_t encrypted_by_protocol[TLSA_PROTO_COUNT];
    uint64_t encrypted_by_sender[TLSA_PROTO_COUNT][TLSA_SENDER_COUNT];
    uint64_t by_group[TLSA_GROUP_COUNT]; /* readable alerts per group */
    GHashTable *rows;                    /* key: protocol/level/description -> tlsa_tally_row_t */
} tlsa_tally_t;

void tlsa_tally_init(tlsa_tally_t *tally);
void tlsa_tally_reset(tlsa_tally_t *tally);
void tlsa_tally_free(tlsa_tally_t *tally);
void tlsa_tally_add(tlsa_tally_t *tally, const tlsa_record_t *alert);

/* Readable rows sorted by protocol, level, description. Free with g_ptr_array_free(rows, TRUE)
 * — the rows themselves belong to the tally. */
GPtrArray *tlsa_tally_sorted_rows(const tlsa_tally_t *tally);

#endif
