/* report_listener.c — the tap listener shared by the tshark reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet_info.h>
#include <epan/tap.h>

#include "cli_args.h"
#include "report_listener.h"

static void report_reset(void *data)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    tlsa_tally_reset(&report->tally);
    tlsa_conv_set_reset(&report->convs);
}

static tap_packet_status report_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *record, tap_flags_t flags _U_)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    const tlsa_record_t *rec = (const tlsa_record_t *)record;
    tlsa_tally_add(&report->tally, rec);
    tlsa_conv_set_add(&report->convs, rec);
    return TAP_PACKET_REDRAW;
}

static void report_finish(void *data)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    tlsa_tally_free(&report->tally);
    tlsa_conv_set_free(&report->convs);
    g_free(report);
}

void tlsa_report_start(const char *opt_arg, const char *cli_string, void (*draw)(void *report))
{
    tlsa_report_t *report = g_new0(tlsa_report_t, 1);
    tlsa_tally_init(&report->tally);
    tlsa_conv_set_init(&report->convs);
    tlsa_cli_register_listener(opt_arg, cli_string, report, report_reset, (gpointer)report_packet,
                               draw, report_finish);
}
