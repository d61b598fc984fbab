/* report_listener.c — the tap listener shared by the tshark reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet.h>
#include <epan/packet_info.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "conv_bound.h"
#include "ws_compat.h"
#include "cli_args.h"
#include "report_listener.h"

/* The reports alive now. A session reset (tshark -M N) frees every
 * conversation of the file scope; the reports then drop theirs, keeping their
 * alert counts: after a reset they list the conversations of the new session
 * only (README: "Long runs"). Main thread only. */
static GPtrArray *live_reports;

static void reports_session_cleanup(void)
{
    for (guint i = 0; live_reports && i < live_reports->len; i++) {
        tlsa_report_t *report = (tlsa_report_t *)g_ptr_array_index(live_reports, i);
        tlsa_conv_set_reset(&report->convs);
        tlsa_timeline_free(&report->folded_timeline);
        tlsa_timeline_init(&report->folded_timeline);
    }
}

/* A conversation is folded (conv_bound.h): the report lists it no longer and
 * counts it as not listed, as a later pass counts its folded records. */
static void report_fold(void *data, const tlsa_conv_t *conv)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    if (tlsa_conv_set_fold(&report->convs, conv))
        tlsa_timeline_add_handshake(&report->folded_timeline, conv);
}

static void report_reset(void *data)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    tlsa_tally_reset(&report->tally);
    tlsa_conv_set_reset(&report->convs);
    tlsa_timeline_free(&report->alerts_timeline);
    tlsa_timeline_init(&report->alerts_timeline);
    tlsa_undecoded_reset(&report->undecoded);
    tlsa_timeline_free(&report->folded_timeline);
    tlsa_timeline_init(&report->folded_timeline);
}

static tap_packet_status report_packet(void *data, packet_info *pinfo, epan_dissect_t *edt _U_,
                                       const void *record, tap_flags_t flags _U_)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    const tlsa_tap_frame_t *frame = (const tlsa_tap_frame_t *)record;
    for (guint32 i = 0; i < frame->count; i++) {
        const tlsa_record_t *rec = &frame->records[i];
        if (!tlsa_record_counts(rec))
            continue;
        tlsa_tally_add(&report->tally, rec);
        tlsa_conv_set_add(&report->convs, rec);
        tlsa_timeline_add_alert(&report->alerts_timeline, rec, (int64_t)pinfo->abs_ts.secs);
        tlsa_undecoded_add_record(&report->undecoded, rec);
        if (rec->flags & TLSA_REC_FOLDED_FIRST) /* its first frame: its first second */
            tlsa_timeline_add_handshake_as(&report->folded_timeline, rec->conv, (int64_t)pinfo->abs_ts.secs,
                                           (tlsa_outcome_t)rec->conv->outcome);
    }
    return TAP_PACKET_REDRAW;
}

static void report_finish(void *data)
{
    tlsa_report_t *report = (tlsa_report_t *)data;
    if (live_reports)
        g_ptr_array_remove(live_reports, report);
    tlsa_fold_unlisten(report_fold, report);
    tlsa_tally_free(&report->tally);
    tlsa_conv_set_free(&report->convs);
    tlsa_timeline_free(&report->alerts_timeline);
    tlsa_timeline_free(&report->folded_timeline);
    g_free(report);
}

void tlsa_report_note_undecoded_on_stderr(const tlsa_undecoded_t *undecoded)
{
    static gboolean noted; /* once per run, however many such reports */
    GString *note = g_string_new(NULL);
    if (!noted && tlsa_undecoded_note(undecoded, note)) {
        fprintf(stderr, "tlsalerts: Note: %s.\n", note->str);
        noted = TRUE;
    }
    g_string_free(note, TRUE);
}

typedef struct {
    const char *cli_string;
    void (*draw)(void *report);
} report_kind_t;

static tlsa_stat_tap_init_ret report_start(const char *opt_arg, void *userdata)
{
    const report_kind_t *kind = (const report_kind_t *)userdata;
    tlsa_report_t *report = g_new0(tlsa_report_t, 1);
    tlsa_tally_init(&report->tally);
    tlsa_conv_set_init(&report->convs);
    tlsa_timeline_init(&report->alerts_timeline);
    tlsa_timeline_init(&report->folded_timeline);
    tlsa_fold_listen(report_fold, report);
    if (!live_reports)
        live_reports = g_ptr_array_new();
    g_ptr_array_add(live_reports, report);
    tlsa_cli_register_listener(opt_arg, kind->cli_string, report, report_reset, (gpointer)report_packet,
                               kind->draw, report_finish);
    return TLSA_STAT_TAP_INIT_OK;
}

void tlsa_report_register(const char *cli_string, void (*draw)(void *report))
{
    static tap_param params[] = {
        { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
    };
    /* Both live as long as the program: Wireshark keeps the pointers. */
    report_kind_t *kind = g_new0(report_kind_t, 1);
    kind->cli_string = cli_string;
    kind->draw = draw;
    stat_tap_ui *ui = g_new0(stat_tap_ui, 1);
    ui->group = REGISTER_STAT_GROUP_GENERIC;
    ui->cli_string = cli_string;
    ui->tap_init_cb = report_start;
    ui->nparams = G_N_ELEMENTS(params);
    ui->params = params;
    register_stat_tap_ui(ui, kind);
    static gboolean cleanup_registered;
    if (!cleanup_registered) {
        register_cleanup_routine(reports_session_cleanup);
        cleanup_registered = TRUE;
    }
}
