/* timeline.c — per-minute, per-VNI, per-outer-source failure counts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "timeline.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void tlsa_timeline_init(tlsa_timeline_t *tl)
{
    tl->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void tlsa_timeline_free(tlsa_timeline_t *tl)
{
    if (tl->rows)
        g_hash_table_destroy(tl->rows);
    tl->rows = NULL;
}

int64_t tlsa_timeline_minute(int64_t sec)
{
    int64_t m = sec / 60;
    if (sec % 60 < 0)
        m--;
    return m * 60;
}

static tlsa_timeline_row_t *row_at(tlsa_timeline_t *tl, int64_t minute, bool has_vni, uint32_t vni,
                                   const char *outer)
{
    char *key = g_strdup_printf("%" G_GINT64_FORMAT "|%d|%u|%s", minute, has_vni ? 1 : 0, has_vni ? vni : 0u, outer);
    tlsa_timeline_row_t *row = (tlsa_timeline_row_t *)g_hash_table_lookup(tl->rows, key);
    if (row) {
        g_free(key);
        return row;
    }
    row = g_new0(tlsa_timeline_row_t, 1);
    row->minute = minute;
    row->has_vni = has_vni ? 1 : 0;
    row->vni = has_vni ? vni : 0;
    g_strlcpy(row->outer, outer, sizeof row->outer);
    g_hash_table_insert(tl->rows, key, row);
    return row;
}

/* The row of a conversation's tunnel (none for NULL) at a time. */
static tlsa_timeline_row_t *row_for(tlsa_timeline_t *tl, int64_t sec, const tlsa_conv_t *conv)
{
    char outer[48] = "";
    const tlsa_tunnel_t *tunnel = conv ? conv->key.tunnel : NULL;
    if (tunnel)
        tlsa_ip_text(tlsa_conv_outer_src(conv), outer, sizeof outer);
    return row_at(tl, tlsa_timeline_minute(sec), tunnel != NULL, tunnel ? tunnel->vni : 0, outer);
}

void tlsa_timeline_add_handshake(tlsa_timeline_t *tl, const tlsa_conv_t *conv)
{
    tlsa_timeline_add_handshake_as(tl, conv, conv->first_sec, tlsa_conv_outcome(conv));
}

void tlsa_timeline_add_handshake_as(tlsa_timeline_t *tl, const tlsa_conv_t *labels, int64_t first_sec,
                                    tlsa_outcome_t outcome)
{
    if (!tlsa_outcome_is_handshake(outcome))
        return; /* no handshake seen (alert-only or mid-connection capture) */
    tlsa_timeline_row_t *row = row_for(tl, first_sec, labels);
    row->handshakes++;
    if (tlsa_outcome_is_failure(outcome))
        row->failed_handshakes++;
}

void tlsa_timeline_add_alert(tlsa_timeline_t *tl, const tlsa_record_t *rec, int64_t time_sec)
{
    if (rec->kind != TLSA_REC_ALERT || !tlsa_record_counts(rec))
        return;
    bool encrypted = tlsa_alert_is_encrypted(rec);
    if (!encrypted && !tlsa_is_failure(rec->description))
        return;
    tlsa_timeline_row_t *row = row_for(tl, time_sec, rec->conv);
    if (encrypted)
        row->encrypted_alerts += tlsa_record_alerts(rec);
    else
        row->failure_alerts[tlsa_group_of(rec->description)] += tlsa_record_alerts(rec);
}

void tlsa_timeline_merge(tlsa_timeline_t *into, const tlsa_timeline_t *from)
{
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, from->rows);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        const tlsa_timeline_row_t *r = (const tlsa_timeline_row_t *)value;
        tlsa_timeline_row_t *row = row_at(into, r->minute, r->has_vni, r->vni, r->outer);
        row->handshakes += r->handshakes;
        row->failed_handshakes += r->failed_handshakes;
        for (int g = 0; g < TLSA_GROUP_COUNT; g++)
            row->failure_alerts[g] += r->failure_alerts[g];
        row->encrypted_alerts += r->encrypted_alerts;
    }
}

static gint compare_rows(gconstpointer a, gconstpointer b)
{
    const tlsa_timeline_row_t *x = *(const tlsa_timeline_row_t *const *)a;
    const tlsa_timeline_row_t *y = *(const tlsa_timeline_row_t *const *)b;
    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    if (x->has_vni != y->has_vni)
        return x->has_vni < y->has_vni ? -1 : 1;
    if (x->vni != y->vni)
        return x->vni < y->vni ? -1 : 1;
    return strcmp(x->outer, y->outer);
}

GPtrArray *tlsa_timeline_sorted(const tlsa_timeline_t *tl)
{
    GPtrArray *rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, tl->rows);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(rows, value);
    g_ptr_array_sort(rows, compare_rows);
    return rows;
}

void tlsa_timeline_minute_text(int64_t minute, char *buf, size_t size)
{
    time_t t = (time_t)minute;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        g_strlcpy(buf, "?", size);
        return;
    }
    strftime(buf, size, "%Y-%m-%dT%H:%M:00Z", &tm);
}
