/* report_json.c — `tshark -q -z tlsalerts,json[,filter]`: one JSON document
 * at the end of the run. The schema is documented in README.md and stable:
 * keys are only ever added.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <epan/epan.h>
#include <epan/packet_info.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/json_dumper.h>

#include "../plugin/alert_catalog.h"
#include "../plugin/alert_group.h"
#include "../plugin/alert_record.h"
#include "alert_tally.h"
#include "cli_args.h"
#include "stats_register.h"

#define JSON_CLI "tlsalerts,json"

typedef struct {
    tlsa_tally_t tally;
} json_report_t;

static void json_reset(void *data)
{
    tlsa_tally_reset(&((json_report_t *)data)->tally);
}

static tap_packet_status json_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                     const void *alert, tap_flags_t flags _U_)
{
    tlsa_tally_add(&((json_report_t *)data)->tally, (const tlsa_alert_t *)alert);
    return TAP_PACKET_REDRAW;
}

static void member_u64(json_dumper *d, const char *name, uint64_t value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_anyf(d, "%" PRIu64, value);
}

static void member_string(json_dumper *d, const char *name, const char *value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_string(d, value);
}

static void member_bool(json_dumper *d, const char *name, gboolean value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_anyf(d, "%s", value ? "true" : "false");
}

static void dump_alert_rows(json_dumper *d, const tlsa_tally_t *tally)
{
    GPtrArray *rows = tlsa_tally_sorted_rows(tally);
    json_dumper_set_member_name(d, "alerts");
    json_dumper_begin_array(d);
    for (guint i = 0; i < rows->len; i++) {
        const tlsa_tally_row_t *row = (const tlsa_tally_row_t *)g_ptr_array_index(rows, i);
        json_dumper_begin_object(d);
        member_string(d, "protocol", tlsa_protocol_name(row->protocol));
        member_u64(d, "level", row->level);
        member_string(d, "level_name", tlsa_level_name(row->level));
        member_u64(d, "description", row->description);
        member_string(d, "description_name", tlsa_alert_display_name(row->description));
        member_string(d, "group", tlsa_group_name(tlsa_group_of(row->description)));
        member_bool(d, "failure", tlsa_is_failure(row->description));
        member_u64(d, "count", row->count);
        json_dumper_end_object(d);
    }
    json_dumper_end_array(d);
    g_ptr_array_free(rows, TRUE);
}

static void json_draw(void *data)
{
    const tlsa_tally_t *tally = &((json_report_t *)data)->tally;
    static json_dumper dumper;
    json_dumper *d = &dumper;

    memset(d, 0, sizeof *d);
    d->output_file = stdout;
    d->flags = JSON_DUMPER_FLAGS_PRETTY_PRINT;

    json_dumper_begin_object(d);
    member_string(d, "tlsalerts_version", TLSALERTS_VERSION);
    member_string(d, "wireshark_version", epan_get_version());

    json_dumper_set_member_name(d, "totals");
    json_dumper_begin_object(d);
    member_u64(d, "alerts", tally->alerts);
    member_u64(d, "failures", tally->failures);
    member_u64(d, "encrypted", tally->encrypted);
    json_dumper_end_object(d);

    json_dumper_set_member_name(d, "by_group");
    json_dumper_begin_object(d);
    for (int g = 0; g < TLSA_GROUP_COUNT; g++)
        member_u64(d, tlsa_group_name((tlsa_group_t)g), tally->by_group[g]);
    json_dumper_end_object(d);

    json_dumper_set_member_name(d, "encrypted_by_protocol");
    json_dumper_begin_object(d);
    for (int p = 0; p < TLSA_PROTO_COUNT; p++)
        member_u64(d, tlsa_protocol_name((unsigned)p), tally->encrypted_by_protocol[p]);
    json_dumper_end_object(d);

    dump_alert_rows(d, tally);
    json_dumper_end_object(d);
    json_dumper_finish(d);
    fflush(stdout);
}

static void json_finish(void *data)
{
    json_report_t *report = (json_report_t *)data;
    tlsa_tally_free(&report->tally);
    g_free(report);
}

static void json_init(const char *opt_arg, void *userdata _U_)
{
    json_report_t *report = g_new0(json_report_t, 1);
    tlsa_tally_init(&report->tally);
    tlsa_cli_register_listener(opt_arg, JSON_CLI, report, json_reset, (gpointer)json_packet,
                               json_draw, json_finish);
}

static tap_param json_params[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
};

static stat_tap_ui json_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    NULL,
    JSON_CLI,
    json_init,
    G_N_ELEMENTS(json_params),
    json_params,
};

void tlsa_register_report_json(void)
{
    register_stat_tap_ui(&json_ui, NULL);
}
