/* report_conv.c — `tshark -q -z tlsalerts,conv[,filter]`: the conversations
 * as a readable table, failed handshakes first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "conversation_text.h"
#include "../plugin/ws_compat.h"
#include "report_listener.h"
#include "stats_register.h"

#define CONV_CLI "tlsalerts,conv"

enum { C_ID, C_CLIENT, C_SERVER, C_VNI, C_SNI, C_VERSION, C_OUTCOME, C_ALERT, C_SENDER, C_GROUP,
       C_FRAME, C_TIME, C_COUNT };

static const char *const headers[C_COUNT] = {
    "#", "Client", "Server", "VNI", "SNI", "Version (or offered)", "Outcome", "Failure alert", "Sender", "Group",
    "Frame", "First time (UTC)",
};

static void conv_draw(void *data)
{
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    uint64_t outcomes[TLSA_OUTCOME_COUNT], failed;
    tlsa_conv_set_outcomes(&report->convs, outcomes, &failed);

    GPtrArray *sorted = tlsa_conv_set_failed_first(&report->convs);
    guint n = sorted->len;
    char **cells = g_new0(char *, (gsize)(n + 1) * C_COUNT);
    size_t width[C_COUNT];
    for (int c = 0; c < C_COUNT; c++) {
        cells[c] = g_strdup(headers[c]);
        width[c] = strlen(headers[c]);
    }
    for (guint i = 0; i < n; i++) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)g_ptr_array_index(sorted, i);
        tlsa_conv_text_t t;
        tlsa_conv_text(conv, &t);
        char **row = &cells[(i + 1) * C_COUNT];
        const char *v6c = strchr(t.client_ip, ':') ? "[" : "", *v6ce = *v6c ? "]" : "";
        const char *v6s = strchr(t.server_ip, ':') ? "[" : "", *v6se = *v6s ? "]" : "";
        row[C_ID] = g_strdup_printf("%u", conv->id);
        row[C_CLIENT] = g_strdup_printf("%s%s%s:%s", v6c, t.client_ip, v6ce, t.client_port);
        row[C_SERVER] = g_strdup_printf("%s%s%s:%s", v6s, t.server_ip, v6se, t.server_port);
        row[C_VNI] = g_strdup(*t.vni ? t.vni : "-");
        row[C_SNI] = g_strdup(*t.sni ? t.sni : "-");
        row[C_VERSION] = *t.version ? g_strdup(t.version) :
                         *t.offered ? g_strdup_printf("offered %s", t.offered) : g_strdup("-");
        row[C_OUTCOME] = g_strdup(t.outcome);
        row[C_ALERT] = g_strdup(*t.failure_alert ? t.failure_alert : "-");
        row[C_SENDER] = g_strdup(*t.failure_sender ? t.failure_sender : "-");
        row[C_GROUP] = g_strdup(*t.group ? t.group : "-");
        row[C_FRAME] = g_strdup(*t.failure_frame ? t.failure_frame : t.first_frame);
        row[C_TIME] = g_strdup(t.first_time);
        for (int c = 0; c < C_COUNT; c++)
            width[c] = MAX(width[c], strlen(row[c]));
    }

    printf("\n=======================================================================\n");
    printf("TLS Alerts: conversations (failed handshakes first)\n");
    printf("Handshakes: %u   Failed: %" PRIu64 "   Alerts: %" PRIu64 "   Failure alerts: %" PRIu64 "\n",
           n, failed, report->tally.alerts, report->tally.failures);
    printf("Outcomes:");
    for (int o = 0; o < TLSA_OUTCOME_COUNT; o++)
        if (outcomes[o])
            printf(" %s %" PRIu64, tlsa_outcome_name((tlsa_outcome_t)o), outcomes[o]);
    printf("\nFrame: the first failure alert's frame, else the conversation's first frame.\n\n");
    for (guint r = 0; r <= n; r++) {
        for (int c = 0; c < C_COUNT; c++)
            printf("%-*s%s", c + 1 == C_COUNT ? 0 : (int)width[c], cells[r * C_COUNT + c],
                   c + 1 == C_COUNT ? "\n" : "  ");
    }
    printf("=======================================================================\n");

    for (guint i = 0; i < (n + 1) * C_COUNT; i++)
        g_free(cells[i]);
    g_free(cells);
    g_ptr_array_free(sorted, TRUE);
}

void tlsa_register_report_conv(void)
{
    tlsa_report_register(CONV_CLI, conv_draw);
}
