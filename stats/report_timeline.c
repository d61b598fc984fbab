/* report_timeline.c — failures per UTC minute, per VNI and outer source:
 *   `tshark -q -z tlsalerts,timeline[,filter]`      a table
 *   `tshark -q -z tlsalerts,timeline-csv[,filter]`  CSV (RFC 4180, CRLF)
 * and the "timeline" array of `-z tlsalerts,json` (tlsa_timeline_json()).
 * Counting: core/timeline.h. With a filter: the alerts of the frames the
 * filter selects, the handshakes of the conversations it selects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <inttypes.h>
#include <stdio.h>

#include <glib.h>

#include "report_listener.h"
#include "report_timeline.h"
#include "stats_register.h"
#include "timeline.h"
#include "ws_compat.h"

static const tlsa_group_t failure_groups[] = {
    TLSA_GROUP_NEGOTIATION, TLSA_GROUP_PKI, TLSA_GROUP_HARDWARE, TLSA_GROUP_PROTOCOL, TLSA_GROUP_UNKNOWN,
};

static GPtrArray *build(const tlsa_report_t *report, tlsa_timeline_t *tl)
{
    tlsa_timeline_init(tl);
    tlsa_timeline_merge(tl, &report->alerts_timeline);
    tlsa_timeline_merge(tl, &report->folded_timeline);
    for (guint i = 0; i < report->convs.order->len; i++)
        if (g_ptr_array_index(report->convs.order, i))
            tlsa_timeline_add_handshake(tl, (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i));
    return tlsa_timeline_sorted(tl);
}

static void vni_text(const tlsa_timeline_row_t *row, char *buf, size_t size)
{
    if (row->has_vni)
        g_snprintf(buf, (gulong)size, "%u", row->vni);
    else
        g_strlcpy(buf, "", size);
}

static void timeline_text_draw(void *data)
{
    tlsa_timeline_t tl;
    GPtrArray *rows = build((const tlsa_report_t *)data, &tl);
    char minute[32], vni[16];
    printf("=======================================================================================================================\n");
    printf("TLS handshakes and failures per minute (UTC), per VXLAN VNI and outer source\n");
    printf("%-20s  %-8s  %-39s  %10s  %6s", "Minute (UTC)", "VNI", "Outer source", "Handshakes", "Failed");
    for (guint g = 0; g < G_N_ELEMENTS(failure_groups); g++)
        printf("  %11s", tlsa_group_name(failure_groups[g]));
    printf("  %9s\n", "encrypted");
    for (guint i = 0; i < rows->len; i++) {
        const tlsa_timeline_row_t *r = (const tlsa_timeline_row_t *)g_ptr_array_index(rows, i);
        tlsa_timeline_minute_text(r->minute, minute, sizeof minute);
        vni_text(r, vni, sizeof vni);
        printf("%-20s  %-8s  %-39s  %10" PRIu64 "  %6" PRIu64, minute, vni[0] ? vni : "-",
               r->outer[0] ? r->outer : "-", r->handshakes, r->failed_handshakes);
        for (guint g = 0; g < G_N_ELEMENTS(failure_groups); g++)
            printf("  %11" PRIu64, r->failure_alerts[failure_groups[g]]);
        printf("  %9" PRIu64 "\n", r->encrypted_alerts);
    }
    printf("=======================================================================================================================\n");
    GString *note = g_string_new(NULL);
    if (tlsa_undecoded_note(&((const tlsa_report_t *)data)->undecoded, note))
        printf("Note: %s.\n", note->str);
    g_string_free(note, TRUE);
    fflush(stdout);
    g_ptr_array_free(rows, TRUE);
    tlsa_timeline_free(&tl);
}

static void timeline_csv_draw(void *data)
{
    tlsa_timeline_t tl;
    GPtrArray *rows = build((const tlsa_report_t *)data, &tl);
    char minute[32], vni[16];
    printf("minute,vni,outer_src,handshakes,failed_handshakes");
    for (guint g = 0; g < G_N_ELEMENTS(failure_groups); g++)
        printf(",%s", tlsa_group_name(failure_groups[g]));
    printf(",encrypted\r\n");
    for (guint i = 0; i < rows->len; i++) {
        const tlsa_timeline_row_t *r = (const tlsa_timeline_row_t *)g_ptr_array_index(rows, i);
        tlsa_timeline_minute_text(r->minute, minute, sizeof minute);
        vni_text(r, vni, sizeof vni);
        printf("%s,%s,%s,%" PRIu64 ",%" PRIu64, minute, vni, r->outer, r->handshakes, r->failed_handshakes);
        for (guint g = 0; g < G_N_ELEMENTS(failure_groups); g++)
            printf(",%" PRIu64, r->failure_alerts[failure_groups[g]]);
        printf(",%" PRIu64 "\r\n", r->encrypted_alerts);
    }
    fflush(stdout);
    tlsa_report_note_undecoded_on_stderr(&((const tlsa_report_t *)data)->undecoded);
    g_ptr_array_free(rows, TRUE);
    tlsa_timeline_free(&tl);
}

static void member_u64(json_dumper *d, const char *name, uint64_t value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_anyf(d, "%" PRIu64, value);
}

void tlsa_timeline_json(json_dumper *d, const tlsa_report_t *report)
{
    tlsa_timeline_t tl;
    GPtrArray *rows = build(report, &tl);
    char minute[32];
    json_dumper_set_member_name(d, "timeline");
    json_dumper_begin_array(d);
    for (guint i = 0; i < rows->len; i++) {
        const tlsa_timeline_row_t *r = (const tlsa_timeline_row_t *)g_ptr_array_index(rows, i);
        tlsa_timeline_minute_text(r->minute, minute, sizeof minute);
        json_dumper_begin_object(d);
        json_dumper_set_member_name(d, "minute");
        json_dumper_value_string(d, minute);
        json_dumper_set_member_name(d, "vni");
        if (r->has_vni)
            json_dumper_value_anyf(d, "%u", r->vni);
        else
            json_dumper_value_anyf(d, "null");
        json_dumper_set_member_name(d, "outer_src");
        if (r->outer[0])
            json_dumper_value_string(d, r->outer);
        else
            json_dumper_value_anyf(d, "null");
        member_u64(d, "handshakes", r->handshakes);
        member_u64(d, "failed_handshakes", r->failed_handshakes);
        json_dumper_set_member_name(d, "failure_alerts");
        json_dumper_begin_object(d);
        for (guint g = 0; g < G_N_ELEMENTS(failure_groups); g++)
            member_u64(d, tlsa_group_name(failure_groups[g]), r->failure_alerts[failure_groups[g]]);
        json_dumper_end_object(d);
        member_u64(d, "encrypted_alerts", r->encrypted_alerts);
        json_dumper_end_object(d);
    }
    json_dumper_end_array(d);
    g_ptr_array_free(rows, TRUE);
    tlsa_timeline_free(&tl);
}

void tlsa_register_report_timeline(void)
{
    tlsa_report_register("tlsalerts,timeline", timeline_text_draw);
    tlsa_report_register("tlsalerts,timeline-csv", timeline_csv_draw);
}
