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

#include "alert_catalog.h"
#include "alert_group.h"
#include "tap_record.h"
#include "conv_columns.h"
#include "conv_policy.h"
#include "number_text.h"
#include "report_listener.h"
#include "report_timeline.h"
#include "stats_register.h"

#define JSON_CLI "tlsalerts,json"

static void value_u64(json_dumper *d, uint64_t value)
{
    char text[TLSA_UINT_TEXT_MAX];
    tlsa_uint_text(text, value);
    json_dumper_value_anyf(d, "%s", text);
}

static void member_u64(json_dumper *d, const char *name, uint64_t value)
{
    json_dumper_set_member_name(d, name);
    value_u64(d, value);
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

/* {"client": 1, "server": 2, "unknown": 0} */
static void dump_by_sender(json_dumper *d, const uint64_t counts[TLSA_SENDER_COUNT])
{
    json_dumper_begin_object(d);
    for (int s = TLSA_SENDER_CLIENT; s < TLSA_SENDER_COUNT; s++)
        member_u64(d, tlsa_sender_name((tlsa_sender_t)s), counts[s]);
    member_u64(d, tlsa_sender_name(TLSA_SENDER_UNKNOWN), counts[TLSA_SENDER_UNKNOWN]);
    json_dumper_end_object(d);
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
        json_dumper_set_member_name(d, "by_sender");
        dump_by_sender(d, row->by_sender);
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

/* "TLS 1.2|TLS 1.3" as ["TLS 1.2", "TLS 1.3"]. */
static void dump_list(json_dumper *d, const char *list)
{
    json_dumper_begin_array(d);
    for (const char *v = list; v && *v;) {
        const char *bar = strchr(v, '|');
        char *item = g_strndup(v, bar ? (gsize)(bar - v) : strlen(v));
        json_dumper_value_string(d, item);
        g_free(item);
        if (!bar)
            break;
        v = bar + 1;
    }
    json_dumper_end_array(d);
}

static void dump_cell(json_dumper *d, const tlsa_cell_t *cell)
{
    switch (cell->type) {
    case TLSA_CELL_NULL:
        json_dumper_value_anyf(d, "null");
        break;
    case TLSA_CELL_STRING:
        json_dumper_value_string(d, cell->string ? cell->string : "");
        break;
    case TLSA_CELL_UINT:
        value_u64(d, cell->uint);
        break;
    case TLSA_CELL_BOOL:
        json_dumper_value_anyf(d, "%s", cell->boolean ? "true" : "false");
        break;
    case TLSA_CELL_LIST:
        dump_list(d, cell->string);
        break;
    case TLSA_CELL_ALERT:
        dump_alert_note(d, cell->alert);
        break;
    case TLSA_CELL_ALERTS:
        json_dumper_begin_array(d);
        for (const tlsa_alert_note_t *a = cell->alert; a; a = a->next)
            dump_alert_note(d, a);
        json_dumper_end_array(d);
        break;
    }
}

/* One conversation: its JSON columns (core/conv_columns.c), in order. */
static void dump_conversation(json_dumper *d, const tlsa_conv_t *conv)
{
    unsigned n_columns;
    const tlsa_conv_column_t *const *columns = tlsa_conv_columns(TLSA_OUT_JSON, &n_columns);
    tlsa_conv_row_t row;
    tlsa_conv_row(&row, conv, TLSA_HISTORY_MAX);
    json_dumper_begin_object(d);
    for (unsigned c = 0; c < n_columns; c++) {
        tlsa_cell_t cell;
        tlsa_conv_cell(&row, columns[c], &cell);
        json_dumper_set_member_name(d, columns[c]->key);
        dump_cell(d, &cell);
    }
    json_dumper_end_object(d);
}

/* Failed handshakes per likely-cause rule, in the rules' order, zeros left out. */
static void dump_failed_by_cause(json_dumper *d, const tlsa_report_t *report)
{
    unsigned n_rules;
    const tlsa_cause_rule_t *rules = tlsa_cause_rules(&n_rules);
    guint64 *counts = g_new0(guint64, n_rules);
    for (unsigned r = 0; r < n_rules && r < TLSA_CONV_SET_CAUSES; r++)
        counts[r] = report->convs.unlisted_by_cause[r];
    for (guint i = 0; i < report->convs.order->len; i++) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i);
        const tlsa_cause_rule_t *rule = tlsa_conv_cause_rule(conv, tlsa_policy_active());
        if (rule)
            counts[rule - rules]++;
    }
    json_dumper_set_member_name(d, "failed_by_cause");
    json_dumper_begin_object(d);
    for (unsigned r = 0; r < n_rules; r++)
        if (counts[r])
            member_u64(d, rules[r].id, counts[r]);
    json_dumper_end_object(d);
    g_free(counts);
}

/* "undecoded_tls": ClientHellos not decoded as TLS, per port, and the note. */
static void dump_undecoded(json_dumper *d, const tlsa_undecoded_t *u)
{
    GString *text = g_string_new(NULL);
    json_dumper_set_member_name(d, "undecoded_tls");
    json_dumper_begin_object(d);
    member_u64(d, "client_hellos", u->total);
    json_dumper_set_member_name(d, "ports");
    json_dumper_begin_array(d);
    for (unsigned i = 0; i < u->n_ports; i++) {
        json_dumper_begin_object(d);
        member_u64(d, "port", u->ports[i].port);
        member_u64(d, "client_hellos", u->ports[i].client_hellos);
        g_string_truncate(text, 0);
        tlsa_undecoded_decode_as(u->ports[i].port, text);
        member_string(d, "decode_as", text->str);
        json_dumper_end_object(d);
    }
    json_dumper_end_array(d);
    member_u64(d, "other_ports", u->other_ports);
    g_string_truncate(text, 0);
    member_string_or_null(d, "note", tlsa_undecoded_note(u, text));
    json_dumper_end_object(d);
    g_string_free(text, TRUE);
}

/* The dumper writes into a string, emptied onto stdout after each part:
 * written straight to the FILE it cost a C library call per character
 * (~120,000 instructions per conversation). */
static void flush_output(json_dumper *d)
{
    fwrite(d->output_string->str, 1, d->output_string->len, stdout);
    g_string_truncate(d->output_string, 0);
}

static void json_draw(void *data)
{
    tlsa_conv_set_compact(&((tlsa_report_t *)data)->convs);
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    const tlsa_tally_t *tally = &report->tally;
    uint64_t outcomes[TLSA_OUTCOME_COUNT], failed_handshakes;
    static json_dumper dumper;
    json_dumper *d = &dumper;

    tlsa_conv_set_outcomes(&report->convs, outcomes, &failed_handshakes);
    memset(d, 0, sizeof *d);
    d->output_string = g_string_sized_new(4096);
    d->flags = JSON_DUMPER_FLAGS_PRETTY_PRINT;

    json_dumper_begin_object(d);
    member_string(d, "tlsalerts_version", TLSALERTS_VERSION);
    member_string(d, "wireshark_version", epan_get_version());
    member_string_or_null(d, "policy", tlsa_policy_active() ? tlsa_policy_active()->name : "");

    json_dumper_set_member_name(d, "totals");
    json_dumper_begin_object(d);
    member_u64(d, "alerts", tally->alerts);
    member_u64(d, "failures", tally->failures);
    member_u64(d, "encrypted", tally->encrypted);
    member_u64(d, "handshakes", tlsa_conv_set_handshakes(outcomes));
    member_u64(d, "failed_handshakes", failed_handshakes);
    member_u64(d, "conversations", report->convs.order->len + tlsa_conv_set_unlisted(&report->convs));
    member_u64(d, "no_handshake_seen", outcomes[TLSA_OUTCOME_NO_HANDSHAKE_SEEN]);
    json_dumper_end_object(d);
    {
        char note[512];
        member_string_or_null(d, "note", tlsa_conv_set_no_handshake_note(outcomes, note, sizeof note));
    }
    /* Counted in totals and outcomes, absent from conversations[] (conv_bound.h). */
    member_u64(d, "conversations_not_listed", tlsa_conv_set_unlisted(&report->convs));

    dump_undecoded(d, &report->undecoded);

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

    json_dumper_set_member_name(d, "encrypted_by_sender");
    json_dumper_begin_object(d);
    for (int p = 0; p < TLSA_PROTO_COUNT; p++) {
        json_dumper_set_member_name(d, tlsa_protocol_name((unsigned)p));
        dump_by_sender(d, tally->encrypted_by_sender[p]);
    }
    json_dumper_end_object(d);

    dump_alert_rows(d, tally);

    json_dumper_set_member_name(d, "outcomes");
    json_dumper_begin_object(d);
    for (int o = 0; o < TLSA_OUTCOME_COUNT; o++)
        member_u64(d, tlsa_outcome_name((tlsa_outcome_t)o), outcomes[o]);
    json_dumper_end_object(d);

    dump_failed_by_cause(d, report);
    tlsa_timeline_json(d, report);

    json_dumper_set_member_name(d, "conversations");
    json_dumper_begin_array(d);
    for (guint i = 0; i < report->convs.order->len; i++) {
        dump_conversation(d, (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i));
        if (d->output_string->len >= 65536)
            flush_output(d);
    }
    json_dumper_end_array(d);

    json_dumper_end_object(d);
    json_dumper_finish(d);
    flush_output(d);
    g_string_free(d->output_string, TRUE);
    d->output_string = NULL;
    fflush(stdout);
}

void tlsa_register_report_json(void)
{
    tlsa_report_register(JSON_CLI, json_draw);
}
