/* alert_tally.c — counts of alerts for the reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alert_tally.h"

#include <string.h>

static guint row_key(unsigned protocol, unsigned level, unsigned description)
{
    return (protocol << 16) | (level << 8) | description;
}

void tlsa_tally_init(tlsa_tally_t *tally)
{
    memset(tally, 0, sizeof *tally);
    tally->rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
}

void tlsa_tally_reset(tlsa_tally_t *tally)
{
    GHashTable *rows = tally->rows;
    g_hash_table_remove_all(rows);
    memset(tally, 0, sizeof *tally);
    tally->rows = rows;
}

void tlsa_tally_free(tlsa_tally_t *tally)
{
    if (tally->rows)
        g_hash_table_destroy(tally->rows);
    tally->rows = NULL;
}

void tlsa_tally_add(tlsa_tally_t *tally, const tlsa_record_t *alert)
{
    if (alert->kind != TLSA_REC_ALERT || (alert->flags & TLSA_ALERT_DUPLICATE))
        return;
    uint64_t n = tlsa_record_alerts(alert);
    tally->alerts += n;
    unsigned sender = alert->sender <= TLSA_SENDER_SERVER ? alert->sender : TLSA_SENDER_UNKNOWN;
    if (tlsa_alert_is_encrypted(alert)) {
        tally->encrypted += n;
        if (alert->protocol < TLSA_PROTO_COUNT) {
            tally->encrypted_by_protocol[alert->protocol] += n;
            tally->encrypted_by_sender[alert->protocol][sender] += n;
        }
        return;
    }
    tlsa_group_t group = tlsa_group_of(alert->description);
    tally->by_group[group] += n;
    if (tlsa_is_failure(alert->description))
        tally->failures += n;

    gpointer key = GUINT_TO_POINTER(row_key(alert->protocol, alert->level, alert->description));
    tlsa_tally_row_t *row = (tlsa_tally_row_t *)g_hash_table_lookup(tally->rows, key);
    if (!row) {
        row = g_new0(tlsa_tally_row_t, 1);
        row->protocol = alert->protocol;
        row->level = alert->level;
        row->description = alert->description;
        g_hash_table_insert(tally->rows, key, row);
    }
    row->count += n;
    row->by_sender[sender] += n;
}

static gint compare_rows(gconstpointer a, gconstpointer b)
{
    const tlsa_tally_row_t *x = *(const tlsa_tally_row_t *const *)a;
    const tlsa_tally_row_t *y = *(const tlsa_tally_row_t *const *)b;
    guint kx = row_key(x->protocol, x->level, x->description);
    guint ky = row_key(y->protocol, y->level, y->description);
    return kx < ky ? -1 : kx > ky;
}

GPtrArray *tlsa_tally_sorted_rows(const tlsa_tally_t *tally)
{
    GPtrArray *rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, tally->rows);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(rows, value);
    g_ptr_array_sort(rows, compare_rows);
    return rows;
}
