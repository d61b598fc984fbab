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
#include "ws_compat.h"
#include "report_listener.h"
#include "stats_register.h"

#define CONV_CLI "tlsalerts,conv"

enum { C_ID, C_CLIENT, C_SERVER, C_VNI, C_SNI, C_VERSION, C_OUTCOME, C_ALERT, C_SENDER, C_GROUP,
       C_FRAME, C_TIME, C_COUNT };

static const char *const headers[C_COUNT] = {
    "#", "Client", "Server", "VNI", "SNI", "Version (or offered)", "Outcome", "Failure alert", "Sender", "Group",
    "Frame", "First time (UTC)",
};

/* One row: the conversation's text and the cells that point into it. */
typedef struct {
    tlsa_conv_text_t t;
    char id[12], client[64], server[64], version[TLSA_VERSION_CELL_SIZE];
    const char *cell[C_COUNT];
} conv_row_t;

static void format_row(const tlsa_conv_t *conv, conv_row_t *row)
{
    tlsa_conv_text_t *t = &row->t;
    tlsa_conv_text(conv, t);
    const char *v6c = strchr(t->client_ip, ':') ? "[" : "", *v6ce = *v6c ? "]" : "";
    const char *v6s = strchr(t->server_ip, ':') ? "[" : "", *v6se = *v6s ? "]" : "";
    g_snprintf(row->id, sizeof row->id, "%u", conv->id);
    g_snprintf(row->client, sizeof row->client, "%s%s%s:%s", v6c, t->client_ip, v6ce, t->client_port);
    g_snprintf(row->server, sizeof row->server, "%s%s%s:%s", v6s, t->server_ip, v6se, t->server_port);
    tlsa_conv_version_cell(t, row->version, sizeof row->version);
    row->cell[C_ID] = row->id;
    row->cell[C_CLIENT] = row->client;
    row->cell[C_SERVER] = row->server;
    row->cell[C_VNI] = *t->vni ? t->vni : "-";
    row->cell[C_SNI] = *t->sni ? t->sni : "-";
    row->cell[C_VERSION] = *row->version ? row->version : "-";
    row->cell[C_OUTCOME] = t->outcome;
    row->cell[C_ALERT] = *t->failure_alert ? t->failure_alert : "-";
    row->cell[C_SENDER] = *t->failure_sender ? t->failure_sender : "-";
    row->cell[C_GROUP] = *t->group ? t->group : "-";
    row->cell[C_FRAME] = *t->failure_frame ? t->failure_frame : t->first_frame;
    row->cell[C_TIME] = t->first_time;
}

static void print_row(const char *const cells[C_COUNT], const size_t width[C_COUNT])
{
    for (int c = 0; c < C_COUNT; c++)
        printf("%-*s%s", c + 1 == C_COUNT ? 0 : (int)width[c], cells[c], c + 1 == C_COUNT ? "\n" : "  ");
}

/* Two passes over the conversations (widths, then rows) instead of keeping
 * every cell in memory: with 50,000 conversations that table was ~25 MB. */
static void conv_draw(void *data)
{
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    uint64_t outcomes[TLSA_OUTCOME_COUNT], failed;
    tlsa_conv_set_outcomes(&report->convs, outcomes, &failed);

    GPtrArray *sorted = tlsa_conv_set_failed_first(&report->convs);
    guint n = sorted->len;
    conv_row_t row;
    size_t width[C_COUNT];
    for (int c = 0; c < C_COUNT; c++)
        width[c] = strlen(headers[c]);
    for (guint i = 0; i < n; i++) {
        format_row((const tlsa_conv_t *)g_ptr_array_index(sorted, i), &row);
        for (int c = 0; c < C_COUNT; c++)
            width[c] = MAX(width[c], strlen(row.cell[c]));
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
    print_row(headers, width);
    for (guint i = 0; i < n; i++) {
        format_row((const tlsa_conv_t *)g_ptr_array_index(sorted, i), &row);
        print_row(row.cell, width);
    }
    printf("=======================================================================\n");
    g_ptr_array_free(sorted, TRUE);
}

void tlsa_register_report_conv(void)
{
    tlsa_report_register(CONV_CLI, conv_draw);
}
