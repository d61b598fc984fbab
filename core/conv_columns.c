/* conv_columns.c — the conversation columns (see conv_columns.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conv_columns.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alert_catalog.h"
#include "conv_policy.h"
#include "text_safety.h"

/* --- getters ------------------------------------------------------------------ */

static void string_cell(tlsa_cell_t *cell, const char *value)
{
    cell->type = TLSA_CELL_STRING;
    cell->string = value;
}

/* A string that is missing when empty. */
static void optional_cell(tlsa_cell_t *cell, const char *value)
{
    if (value && *value)
        string_cell(cell, value);
}

static void uint_cell(tlsa_cell_t *cell, uint64_t value)
{
    cell->type = TLSA_CELL_UINT;
    cell->uint = value;
}

#define ROW_TEXT(name) (row->text.name)

static void get_id(const tlsa_conv_row_t *row, tlsa_cell_t *c) { uint_cell(c, row->conv->id); }
static void get_protocol(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(protocol)); }
static void get_client(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, row->client); }
static void get_server(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, row->server); }
static void get_client_ip(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(client_ip)); }
static void get_server_ip(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(server_ip)); }

static void get_client_port(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    uint16_t port;
    tlsa_conv_client_ip(row->conv, &port);
    uint_cell(c, port);
}

static void get_server_port(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    uint16_t port;
    tlsa_conv_server_ip(row->conv, &port);
    uint_cell(c, port);
}

static void get_vni(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    if (row->conv->key.tunnel)
        uint_cell(c, row->conv->key.tunnel->vni);
}

static void get_outer_src(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(outer_src)); }
static void get_sni(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(sni)); }

static void get_offered(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    c->type = TLSA_CELL_LIST;
    c->string = ROW_TEXT(offered);
}

static void get_version(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(version)); }
static void get_version_cell(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, row->version_cell); }
static void get_cipher(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(cipher)); }
static void get_ja3(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(ja3)); }
static void get_ja3s(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(ja3s)); }
static void get_ja4(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(ja4)); }
static void get_outcome(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(outcome)); }

static void get_failed(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    c->type = TLSA_CELL_BOOL;
    c->boolean = ROW_TEXT(failed);
}

static void get_stage(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(stage)); }

static void get_failure_alert(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    const tlsa_alert_note_t *ff = row->conv->tracker.first_failure;
    if (ff) {
        c->type = TLSA_CELL_ALERT;
        c->alert = ff;
    }
}

static void get_failure_sender(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(failure_sender)); }
static void get_group(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(group)); }

/* The first failure alert's frame, else the conversation's first frame. */
static void get_frame(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    const tlsa_alert_note_t *ff = row->conv->tracker.first_failure;
    uint_cell(c, ff ? ff->frame : row->conv->first_frame);
}

static void get_first_frame(const tlsa_conv_row_t *row, tlsa_cell_t *c) { uint_cell(c, row->conv->first_frame); }
static void get_first_time(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, ROW_TEXT(first_time)); }
static void get_last_frame(const tlsa_conv_row_t *row, tlsa_cell_t *c) { uint_cell(c, row->conv->last_frame); }

static void get_alerts(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    const tlsa_tracker_t *t = &row->conv->tracker;
    c->type = TLSA_CELL_ALERTS;
    c->alert = t->alerts;
    c->uint = t->alerts_count - t->alerts_listed;
}

static void get_alerts_not_listed(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    const tlsa_tracker_t *t = &row->conv->tracker;
    uint_cell(c, t->alerts_count - t->alerts_listed);
}

static void get_history(const tlsa_conv_row_t *row, tlsa_cell_t *c) { string_cell(c, row->history); }

static void get_offered_ciphers(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    c->type = TLSA_CELL_LIST;
    c->string = row->offered_ciphers;
}

static void get_offered_groups(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    c->type = TLSA_CELL_LIST;
    c->string = row->offered_groups;
}

static void get_policy_verdict(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(policy_verdict)); }

static void get_likely_cause_rule(const tlsa_conv_row_t *row, tlsa_cell_t *c)
{
    const tlsa_cause_rule_t *rule = tlsa_conv_cause_rule(row->conv, tlsa_policy_active());
    if (rule)
        string_cell(c, rule->id);
}

static void get_likely_cause(const tlsa_conv_row_t *row, tlsa_cell_t *c) { optional_cell(c, ROW_TEXT(likely_cause)); }

/* --- the table ------------------------------------------------------------------ */

enum {
    CSV = TLSA_OUT_CSV, TEXT = TLSA_OUT_TEXT, GUI = TLSA_OUT_GUI, JSON = TLSA_OUT_JSON,
    ALL = CSV | TEXT | GUI | JSON,
};

/* In output order. Every output shows its columns in this order; each output's
 * published order (CSV header, JSON members, table columns) is kept as it was,
 * which is why first_frame appears twice (JSON has it before first_time, CSV
 * after). */
static const tlsa_conv_column_t columns[] = {
    /* key               header                  type               null   outputs        getter, text table width (0: TLSA_TEXT_CELL_MAX) */
    { "id",              "#",                    TLSA_CELL_UINT,    false, TEXT|GUI|JSON, get_id, 0 },
    { "protocol",        "Protocol",             TLSA_CELL_STRING,  false, JSON,          get_protocol, 0 },
    { "client",          "Client",               TLSA_CELL_STRING,  false, TEXT,          get_client, 0 },
    { "server",          "Server",               TLSA_CELL_STRING,  false, TEXT,          get_server, 0 },
    { "client_ip",       "Client",               TLSA_CELL_STRING,  false, CSV|GUI|JSON,  get_client_ip, 0 },
    { "client_port",     "Client port",          TLSA_CELL_UINT,    false, CSV|GUI|JSON,  get_client_port, 0 },
    { "server_ip",       "Server",               TLSA_CELL_STRING,  false, CSV|GUI|JSON,  get_server_ip, 0 },
    { "server_port",     "Server port",          TLSA_CELL_UINT,    false, CSV|GUI|JSON,  get_server_port, 0 },
    { "vni",             "VNI",                  TLSA_CELL_UINT,    true,  ALL,           get_vni, 0 },
    { "outer_src",       "Outer source",         TLSA_CELL_STRING,  true,  CSV|JSON,      get_outer_src, 0 },
    { "sni",             "SNI",                  TLSA_CELL_STRING,  true,  ALL,           get_sni, 0 },
    { "offered_versions","Offered versions",     TLSA_CELL_LIST,    false, CSV|JSON,      get_offered, 0 },
    { "version",         "Version",              TLSA_CELL_STRING,  true,  CSV|JSON,      get_version, 0 },
    { "version_cell",    "Version (or offered)", TLSA_CELL_STRING,  true,  TEXT|GUI,      get_version_cell, 0 },
    { "cipher",          "Cipher",               TLSA_CELL_STRING,  true,  CSV|JSON,      get_cipher, 0 },
    { "ja3",             "JA3",                  TLSA_CELL_STRING,  true,  CSV|JSON,      get_ja3, 0 },
    { "ja3s",            "JA3S",                 TLSA_CELL_STRING,  true,  JSON,          get_ja3s, 0 },
    { "ja4",             "JA4",                  TLSA_CELL_STRING,  true,  CSV|JSON,      get_ja4, 0 },
    { "outcome",         "Outcome",              TLSA_CELL_STRING,  false, ALL,           get_outcome, 0 },
    { "failed",          "Failed",               TLSA_CELL_BOOL,    false, JSON,          get_failed, 0 },
    { "stage",           "Stage",                TLSA_CELL_STRING,  false, JSON,          get_stage, 0 },
    { "failure_alert",   "Failure alert",        TLSA_CELL_ALERT,   true,  ALL,           get_failure_alert, 0 },
    { "failure_sender",  "Sender",               TLSA_CELL_STRING,  true,  CSV|TEXT|GUI,  get_failure_sender, 0 },
    { "group",           "Group",                TLSA_CELL_STRING,  true,  CSV|TEXT|GUI,  get_group, 0 },
    { "frame",           "Frame",                TLSA_CELL_UINT,    false, TEXT|GUI,      get_frame, 0 },
    { "first_frame",     "First frame",          TLSA_CELL_UINT,    false, JSON,          get_first_frame, 0 },
    { "first_time",      "First time (UTC)",     TLSA_CELL_STRING,  false, ALL,           get_first_time, 0 },
    { "first_frame",     "First frame",          TLSA_CELL_UINT,    false, CSV,           get_first_frame, 0 },
    { "last_frame",      "Last frame",           TLSA_CELL_UINT,    false, JSON,          get_last_frame, 0 },
    { "alerts",          "Alerts",               TLSA_CELL_ALERTS,  false, CSV|JSON,      get_alerts, 0 },
    { "alerts_not_listed","Alerts not listed",   TLSA_CELL_UINT,    false, JSON,          get_alerts_not_listed, 0 },
    { "history",         "History",              TLSA_CELL_STRING,  false, CSV|GUI|JSON,  get_history, 0 },
    { "offered_ciphers", "Offered ciphers",      TLSA_CELL_LIST,    false, JSON,          get_offered_ciphers, 0 },
    { "offered_groups",  "Offered groups",       TLSA_CELL_LIST,    false, JSON,          get_offered_groups, 0 },
    { "policy_verdict",  "Policy",               TLSA_CELL_STRING,  true,  ALL,           get_policy_verdict, 0 },
    { "likely_cause_rule","Likely cause rule",   TLSA_CELL_STRING,  true,  JSON,          get_likely_cause_rule, 0 },
    { "likely_cause",    "Likely cause",         TLSA_CELL_STRING,  true,  ALL,           get_likely_cause, 200 },
};

#define N_COLUMNS (sizeof columns / sizeof columns[0])

const tlsa_conv_column_t *const *tlsa_conv_columns(tlsa_output_t output, unsigned *n)
{
    /* One list per output, made on first use. */
    static const tlsa_conv_column_t *lists[4][N_COLUMNS];
    static unsigned counts[4];
    static bool made;
    if (!made) {
        for (unsigned o = 0; o < 4; o++)
            for (unsigned i = 0; i < N_COLUMNS; i++)
                if (columns[i].outputs & (1u << o))
                    lists[o][counts[o]++] = &columns[i];
        made = true;
    }
    unsigned o = output == TLSA_OUT_CSV ? 0 : output == TLSA_OUT_TEXT ? 1 : output == TLSA_OUT_GUI ? 2 : 3;
    *n = counts[o];
    return lists[o];
}

/* --- rows and cells --------------------------------------------------------------- */

static tlsa_code_name_fn cipher_name, group_name;

void tlsa_conv_columns_set_code_names(tlsa_code_name_fn cipher, tlsa_code_name_fn group)
{
    cipher_name = cipher;
    group_name = group;
}

/* "name|name|0x1234" into buf (a name is never cut; what does not fit is left out). */
static void code_list(char *buf, size_t size, const uint16_t *codes, unsigned n, tlsa_code_name_fn name)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        char hex[8];
        const char *s = name ? name(codes[i]) : NULL;
        if (!s) {
            snprintf(hex, sizeof hex, "0x%04x", codes[i]);
            s = hex;
        }
        int w = snprintf(buf + used, size - used, "%s%s", used ? "|" : "", s);
        if (w < 0 || (size_t)w >= size - used) {
            buf[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
}

static void endpoint(char *buf, size_t size, const char *ip, const char *port)
{
    bool v6 = strchr(ip, ':') != NULL;
    g_strlcpy(buf, v6 ? "[" : "", size);
    g_strlcat(buf, ip, size);
    g_strlcat(buf, v6 ? "]:" : ":", size);
    g_strlcat(buf, port, size);
}

void tlsa_conv_row(tlsa_conv_row_t *row, const tlsa_conv_t *conv, unsigned history_len)
{
    row->conv = conv;
    tlsa_conv_text(conv, &row->text);
    row->history_len = MIN(history_len, (unsigned)conv->tracker.history_len);
    memcpy(row->history, conv->tracker.history, row->history_len);
    row->history[row->history_len] = '\0';
    endpoint(row->client, sizeof row->client, row->text.client_ip, row->text.client_port);
    endpoint(row->server, sizeof row->server, row->text.server_ip, row->text.server_port);
    tlsa_conv_version_cell(&row->text, row->version_cell, sizeof row->version_cell);
    row->offered_ciphers[0] = row->offered_groups[0] = '\0';
    /* The lists explain a policy's verdict: named only while a policy is set
     * (naming some 30 suites per conversation doubled the JSON report's cost). */
    const tlsa_hello_t *h = conv->hello;
    if (h && h->lists && tlsa_policy_active()) {
        code_list(row->offered_ciphers, sizeof row->offered_ciphers, h->ciphers, h->n_ciphers, cipher_name);
        code_list(row->offered_groups, sizeof row->offered_groups, h->groups, h->n_groups, group_name);
    }
}

void tlsa_conv_cell(const tlsa_conv_row_t *row, const tlsa_conv_column_t *column, tlsa_cell_t *cell)
{
    memset(cell, 0, sizeof *cell);
    column->get(row, cell);
}

static void append_cell(GString *out, const tlsa_cell_t *cell, tlsa_output_t output)
{
    const char *none = output == TLSA_OUT_CSV ? "" : "-";
    switch (cell->type) {
    case TLSA_CELL_NULL:
        g_string_append(out, none);
        break;
    case TLSA_CELL_STRING:
    case TLSA_CELL_LIST:
        /* Strings may come from the capture (an SNI): escaped everywhere. */
        if (cell->string && *cell->string)
            tlsa_text_escape(out, cell->string);
        else
            g_string_append(out, none);
        break;
    case TLSA_CELL_UINT:
        g_string_append_printf(out, "%" PRIu64, cell->uint);
        break;
    case TLSA_CELL_BOOL:
        g_string_append(out, cell->boolean ? "true" : "false");
        break;
    case TLSA_CELL_ALERT:
        g_string_append(out, tlsa_alert_label(cell->alert->description));
        break;
    case TLSA_CELL_ALERTS: {
        gsize before = out->len;
        for (const tlsa_alert_note_t *a = cell->alert; a; a = a->next) {
            if (a != cell->alert)
                g_string_append(out, "; ");
            g_string_append(out, tlsa_sender_name((tlsa_sender_t)a->sender));
            if (a->encrypted)
                g_string_append(out, " encrypted");
            else
                g_string_append_printf(out, " %s %s", tlsa_level_name(a->level), tlsa_alert_label(a->description));
        }
        if (cell->uint)
            g_string_append_printf(out, "%sand %" PRIu64 " more", out->len == before ? "" : "; ", cell->uint);
        if (out->len == before)
            g_string_append(out, none);
        break;
    }
    }
}

/* Table cells are bounded: one huge value must not widen a whole table. */
static void clip(GString *out, gsize from, tlsa_output_t output, unsigned text_max)
{
    if (output == TLSA_OUT_TEXT)
        tlsa_text_clip(out, from, text_max);
    else if (output == TLSA_OUT_GUI)
        tlsa_text_clip(out, from, TLSA_GUI_CELL_MAX);
}

void tlsa_cell_append_text(GString *out, const tlsa_cell_t *cell, tlsa_output_t output)
{
    gsize from = out->len;
    append_cell(out, cell, output);
    clip(out, from, output, TLSA_TEXT_CELL_MAX);
}

void tlsa_column_append_text(GString *out, const tlsa_conv_column_t *column, const tlsa_cell_t *cell,
                             tlsa_output_t output)
{
    gsize from = out->len;
    append_cell(out, cell, output);
    clip(out, from, output, column->text_max ? column->text_max : TLSA_TEXT_CELL_MAX);
}
