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
#include <wsutil/json_dumper.h>

#include "../plugin/alert_catalog.h"
#include "../plugin/alert_group.h"
#include "../plugin/tap_record.h"
#include "conversation_text.h"
#include "../plugin/ws_compat.h"
#include "report_listener.h"
#include "report_timeline.h"
#include "stats_register.h"

#define JSON_CLI "tlsalerts,json"

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

static void member_string_or_null(json_dumper *d, const char *name, const char *value)
{
    json_dumper_set_member_name(d, name);
    if (value && *value)
        json_dumper_value_string(d, value);
    else
        json_dumper_value_anyf(d, "null");
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

static void dump_alert_note(json_dumper *d, const tlsa_alert_note_t *a)
{
    char time[40];
    tlsa_iso8601(a->time_sec, a->time_nsec, time, sizeof time);
    json_dumper_begin_object(d);
    member_u64(d, "frame", a->frame);
    member_string(d, "time", time);
    member_string(d, "sender", tlsa_sender_name((tlsa_sender_t)a->sender));
    member_string(d, "stage", tlsa_stage_name((tlsa_stage_t)a->stage));
    member_bool(d, "encrypted", a->encrypted);
    if (!a->encrypted) {
        member_u64(d, "level", a->level);
        member_string(d, "level_name", tlsa_level_name(a->level));
        member_u64(d, "description", a->description);
        member_string(d, "description_name", tlsa_alert_display_name(a->description));
        member_string(d, "group", tlsa_group_name(tlsa_group_of(a->description)));
        member_bool(d, "failure", tlsa_is_failure(a->description));
    }
    json_dumper_end_object(d);
}

static void dump_offered(json_dumper *d, char *offered)
{
    json_dumper_set_member_name(d, "offered_versions");
    json_dumper_begin_array(d);
    for (char *v = offered; *v;) {
        char *bar = strchr(v, '|');
        if (bar)
            *bar = '\0';
        json_dumper_value_string(d, v);
        if (!bar)
            break;
        v = bar + 1;
    }
    json_dumper_end_array(d);
}

static void dump_conversation(json_dumper *d, const tlsa_conv_t *conv)
{
    tlsa_conv_text_t t;
    uint16_t client_port, server_port;
    tlsa_conv_text(conv, &t);
    tlsa_conv_client_ip(conv, &client_port);
    tlsa_conv_server_ip(conv, &server_port);

    json_dumper_begin_object(d);
    member_u64(d, "id", conv->id);
    member_string(d, "protocol", t.protocol);
    member_string(d, "client_ip", t.client_ip);
    member_u64(d, "client_port", client_port);
    member_string(d, "server_ip", t.server_ip);
    member_u64(d, "server_port", server_port);
    json_dumper_set_member_name(d, "vni");
    if (conv->key.has_vni)
        json_dumper_value_anyf(d, "%u", conv->key.vni);
    else
        json_dumper_value_anyf(d, "null");
    member_string_or_null(d, "outer_src", t.outer_src);
    member_string_or_null(d, "sni", t.sni);
    dump_offered(d, t.offered);
    member_string_or_null(d, "version", t.version);
    member_string_or_null(d, "cipher", t.cipher);
    member_string_or_null(d, "ja3", t.ja3);
    member_string_or_null(d, "ja3s", t.ja3s);
    member_string_or_null(d, "ja4", t.ja4);
    member_string(d, "outcome", t.outcome);
    member_bool(d, "failed", t.failed);
    member_string(d, "stage", t.stage);
    json_dumper_set_member_name(d, "failure_alert");
    if (conv->tracker.first_failure)
        dump_alert_note(d, conv->tracker.first_failure);
    else
        json_dumper_value_anyf(d, "null");
    member_u64(d, "first_frame", conv->first_frame);
    member_string(d, "first_time", t.first_time);
    member_u64(d, "last_frame", conv->last_frame);
    json_dumper_set_member_name(d, "alerts");
    json_dumper_begin_array(d);
    for (const tlsa_alert_note_t *a = conv->tracker.alerts; a; a = a->next)
        dump_alert_note(d, a);
    json_dumper_end_array(d);
    member_string(d, "history", t.history);
    json_dumper_end_object(d);
}

static void json_draw(void *data)
{
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    const tlsa_tally_t *tally = &report->tally;
    uint64_t outcomes[TLSA_OUTCOME_COUNT], failed_handshakes;
    static json_dumper dumper;
    json_dumper *d = &dumper;

    tlsa_conv_set_outcomes(&report->convs, outcomes, &failed_handshakes);
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
    member_u64(d, "handshakes", report->convs.order->len);
    member_u64(d, "failed_handshakes", failed_handshakes);
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

    json_dumper_set_member_name(d, "outcomes");
    json_dumper_begin_object(d);
    for (int o = 0; o < TLSA_OUTCOME_COUNT; o++)
        member_u64(d, tlsa_outcome_name((tlsa_outcome_t)o), outcomes[o]);
    json_dumper_end_object(d);

    tlsa_timeline_json(d, report);

    json_dumper_set_member_name(d, "conversations");
    json_dumper_begin_array(d);
    for (guint i = 0; i < report->convs.order->len; i++)
        dump_conversation(d, (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i));
    json_dumper_end_array(d);

    json_dumper_end_object(d);
    json_dumper_finish(d);
    fflush(stdout);
}

void tlsa_register_report_json(void)
{
    tlsa_report_register(JSON_CLI, json_draw);
}
