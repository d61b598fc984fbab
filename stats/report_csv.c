/* report_csv.c — `tshark -q -z tlsalerts,csv[,filter]`: a header and one row
 * per conversation, in order of first frame, joinable on client ip/port and
 * time (RFC 4180 quoting).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "conversation_text.h"
#include "../plugin/ws_compat.h"
#include "report_listener.h"
#include "stats_register.h"

#define CSV_CLI "tlsalerts,csv"

static const char *const columns[] = {
    "client_ip", "client_port", "server_ip", "server_port", "vni", "outer_src", "sni",
    "offered_versions", "version", "cipher", "ja3", "ja4", "outcome", "failure_alert",
    "failure_sender", "group", "first_time", "first_frame", "alerts", "history",
    "policy_verdict", "likely_cause",
};

/* RFC 4180: quote a field that holds a comma, quote, CR or LF; double quotes. */
static void csv_field(GString *out, const char *value, gboolean last)
{
    if (value[strcspn(value, ",\"\r\n")] != '\0') {
        g_string_append_c(out, '"');
        for (const char *p = value; *p; p++) {
            if (*p == '"')
                g_string_append_c(out, '"');
            g_string_append_c(out, *p);
        }
        g_string_append_c(out, '"');
    } else {
        g_string_append(out, value);
    }
    g_string_append(out, last ? "\r\n" : ",");
}

static void csv_draw(void *data)
{
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    GString *out = g_string_new(NULL);
    GString *alerts = g_string_new(NULL);

    for (guint c = 0; c < G_N_ELEMENTS(columns); c++)
        csv_field(out, columns[c], c + 1 == G_N_ELEMENTS(columns));
    for (guint i = 0; i < report->convs.order->len; i++) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i);
        tlsa_conv_text_t t;
        tlsa_conv_text(conv, &t);
        g_string_truncate(alerts, 0);
        tlsa_conv_alerts_text(conv, alerts);
        const char *row[] = {
            t.client_ip, t.client_port, t.server_ip, t.server_port, t.vni, t.outer_src, t.sni,
            t.offered, t.version, t.cipher, t.ja3, t.ja4, t.outcome, t.failure_alert,
            t.failure_sender, t.group, t.first_time, t.first_frame, alerts->str, t.history,
            t.policy_verdict, t.likely_cause,
        };
        G_STATIC_ASSERT(G_N_ELEMENTS(row) == G_N_ELEMENTS(columns));
        for (guint c = 0; c < G_N_ELEMENTS(row); c++)
            csv_field(out, row[c], c + 1 == G_N_ELEMENTS(row));
    }
    fwrite(out->str, 1, out->len, stdout);
    fflush(stdout);
    g_string_free(alerts, TRUE);
    g_string_free(out, TRUE);
}

void tlsa_register_report_csv(void)
{
    tlsa_report_register(CSV_CLI, csv_draw);
}
