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

static tlsa_timeline_row_t *row_for(tlsa_timeline_t *tl, int64_t sec, const tlsa_conv_t *conv)
{
    char outer[48];
    tlsa_ip_text(&conv->key.outer, outer, sizeof outer);
    int64_t minute = tlsa_timeline_minute(sec);
    char *key = g_strdup_printf("%" G_GINT64_FORMAT "|%d|%u|%s", minute, conv->key.has_vni ? 1 : 0,
                                conv->key.has_vni ? conv->key.vni : 0u, outer);
    tlsa_timeline_row_t *row = (tlsa_timeline_row_t *)g_hash_table_lookup(tl->rows, key);
    if (row) {
        g_free(key);
        return row;
    }
    row = g_new0(tlsa_timeline_row_t, 1);
    row->minute = minute;
    row->has_vni = conv->key.has_vni ? 1 : 0;
    row->vni = conv->key.has_vni ? conv->key.vni : 0;
    g_strlcpy(row->outer, outer, sizeof row->outer);
    g_hash_table_insert(tl->rows, key, row);
    return row;
}

void tlsa_timeline_add_conv(tlsa_timeline_t *tl, const tlsa_conv_t *conv)
{
    tlsa_timeline_row_t *row = row_for(tl, conv->first_sec, conv);
    row->handshakes++;
    if (tlsa_outcome_is_failure(tlsa_conv_outcome(conv)))
        row->failed_handshakes++;
    for (const tlsa_alert_note_t *a = conv->tracker.alerts; a; a = a->next) {
        tlsa_timeline_row_t *r = row_for(tl, a->time_sec, conv);
        if (a->encrypted)
            r->encrypted_alerts++;
        else if (tlsa_is_failure(a->description))
            r->failure_alerts[tlsa_group_of(a->description)]++;
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
