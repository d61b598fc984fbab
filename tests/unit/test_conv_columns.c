/* test_conv_columns.c — the conversation column model: each output's columns
 * in their published order, every getter's type, and how cells read in CSV,
 * the text table and the GUI table. (JSON is drawn by the real tshark in the
 * integration tests.) */
#include "check.h"

#include <glib.h>

#include "conv_columns.h"

static const char *const csv_keys[] = {
    "client_ip", "client_port", "server_ip", "server_port", "vni", "outer_src", "sni",
    "offered_versions", "version", "cipher", "ja3", "ja4", "outcome", "failure_alert",
    "failure_sender", "group", "first_time", "first_frame", "alerts", "history", "policy_verdict",
    "likely_cause",
};
static const char *const json_keys[] = {
    "id", "protocol", "client_ip", "client_port", "server_ip", "server_port", "vni", "outer_src",
    "sni", "offered_versions", "version", "cipher", "ja3", "ja3s", "ja4", "outcome", "failed",
    "stage", "failure_alert", "first_frame", "first_time", "last_frame", "alerts", "alerts_not_listed",
    "history", "offered_ciphers", "offered_groups", "policy_verdict", "likely_cause_rule", "likely_cause",
};
static const char *const text_headers[] = {
    "#", "Client", "Server", "VNI", "SNI", "Version (or offered)", "Outcome", "Failure alert",
    "Sender", "Group", "Frame", "First time (UTC)", "Policy", "Likely cause",
};
static const char *const gui_headers[] = {
    "#", "Client", "Client port", "Server", "Server port", "VNI", "SNI", "Version (or offered)",
    "Outcome", "Failure alert", "Sender", "Group", "Frame", "First time (UTC)", "History", "Policy",
    "Likely cause",
};

static void check_order(tlsa_output_t output, const char *const *expected, unsigned n_expected, bool by_key)
{
    unsigned n;
    const tlsa_conv_column_t *const *cols = tlsa_conv_columns(output, &n);
    CHECK(n == n_expected, "output %u: %u columns, expected %u", (unsigned)output, n, n_expected);
    for (unsigned i = 0; i < n && i < n_expected; i++)
        CHECK_STR(by_key ? cols[i]->key : cols[i]->header, expected[i]);
}

static void published_orders(void)
{
    check_order(TLSA_OUT_CSV, csv_keys, G_N_ELEMENTS(csv_keys), true);
    check_order(TLSA_OUT_JSON, json_keys, G_N_ELEMENTS(json_keys), true);
    check_order(TLSA_OUT_TEXT, text_headers, G_N_ELEMENTS(text_headers), false);
    check_order(TLSA_OUT_GUI, gui_headers, G_N_ELEMENTS(gui_headers), false);
}

/* --- conversations made with the real tracker ---------------------------- */

static tlsa_alert_note_t notes[8];
static unsigned n_notes;

static void feed(tlsa_conv_t *conv, tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg)
{
    tlsa_event_t e = { .kind = kind, .side = side, .arg = arg, .cipher = -1, .frame = conv->last_frame + 1 };
    e.time_sec = 1764633600 + e.frame; /* 2025-12-02T00:00:00Z + frame */
    if (kind == TLSA_EV_HANDSHAKE && arg == 1)
        e.versions = TLSA_V_TLS12 | TLSA_V_TLS13;
    if (kind == TLSA_EV_HANDSHAKE && arg == 2) {
        e.selected_version = 0x0303;
        e.cipher = 0xc02f;
    }
    tlsa_tracker_feed(&conv->tracker, &e, NULL);
    conv->last_frame = e.frame;
}

static void feed_alert(tlsa_conv_t *conv, tlsa_side_t side, int level, int description)
{
    tlsa_event_t e = { .kind = TLSA_EV_ALERT, .side = side, .cipher = -1, .frame = conv->last_frame + 1 };
    e.time_sec = 1764633600 + e.frame;
    if (level < 0) {
        e.encrypted = 1;
    } else {
        e.level = (uint8_t)level;
        e.description = (uint8_t)description;
    }
    tlsa_tracker_feed(&conv->tracker, &e, &notes[n_notes++]);
    conv->last_frame = e.frame;
}

static tlsa_tunnel_t tunnel;
static tlsa_hello_t hello = { .sni = "app.example.test" };

/* An IPv6 client in a VXLAN tunnel whose TLS 1.2 handshake the server refused. */
static void make_failed(tlsa_conv_t *conv)
{
    memset(conv, 0, sizeof *conv);
    tlsa_ip_t client = { 6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } }, server = { 6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
    tlsa_ip_t outer = { 4, { 10, 0, 1, 7 } }, target = { 4, { 10, 0, 9, 9 } };
    tlsa_side_t side;
    bool src_is_b;
    tlsa_tunnel_make(&tunnel, &outer, &target, 4242, &src_is_b);
    tlsa_conv_key_make(&conv->key, &client, 50123, &server, 443, 6, &tunnel, &side);
    conv->outer_src_b = src_is_b;
    conv->id = 7;
    conv->first_frame = 1;
    conv->first_sec = 1764633601;
    conv->first_nsec = 250000000;
    conv->hello = &hello;
    tlsa_tracker_init(&conv->tracker, TLSA_PROTO_TLS, tlsa_conv_port_hint(&conv->key));
    tlsa_side_t c = side, s = side == TLSA_SIDE_A ? TLSA_SIDE_B : TLSA_SIDE_A;
    feed(conv, TLSA_EV_SYN, c, 0);
    feed(conv, TLSA_EV_HANDSHAKE, c, 1);
    feed(conv, TLSA_EV_HANDSHAKE, s, 2);
    feed_alert(conv, s, 2, 40);
    feed_alert(conv, c, -1, 0);
    feed(conv, TLSA_EV_FIN, c, 0);
}

/* A bare IPv4 conversation that never got further than a SYN. */
static void make_bare(tlsa_conv_t *conv)
{
    memset(conv, 0, sizeof *conv);
    tlsa_ip_t a = { 4, { 192, 0, 2, 1 } }, b = { 4, { 192, 0, 2, 9 } };
    tlsa_side_t side;
    tlsa_conv_key_make(&conv->key, &a, 40000, &b, 443, 6, NULL, &side);
    conv->id = 1;
    conv->first_frame = 3;
    tlsa_tracker_init(&conv->tracker, TLSA_PROTO_TLS, tlsa_conv_port_hint(&conv->key));
    feed(conv, TLSA_EV_SYN, side, 0);
}

static const char *cell_text(const tlsa_conv_row_t *row, tlsa_output_t output, const char *key)
{
    static GString *out;
    if (!out)
        out = g_string_new(NULL);
    g_string_truncate(out, 0);
    unsigned n;
    const tlsa_conv_column_t *const *cols = tlsa_conv_columns(output, &n);
    for (unsigned i = 0; i < n; i++) {
        if (strcmp(cols[i]->key, key) == 0) {
            tlsa_cell_t cell;
            tlsa_conv_cell(row, cols[i], &cell);
            tlsa_cell_append_text(out, &cell, output);
            return out->str;
        }
    }
    return "(no such column)";
}

/* Every getter answers its declared type, or nothing when it may. */
static void types_hold(const tlsa_conv_row_t *row)
{
    for (unsigned o = 0; o < 4; o++) {
        unsigned n;
        const tlsa_conv_column_t *const *cols = tlsa_conv_columns((tlsa_output_t)(1u << o), &n);
        for (unsigned i = 0; i < n; i++) {
            tlsa_cell_t cell;
            tlsa_conv_cell(row, cols[i], &cell);
            CHECK(cell.type == cols[i]->type || (cols[i]->nullable && cell.type == TLSA_CELL_NULL),
                  "column %s: type %d, declared %d", cols[i]->key, cell.type, cols[i]->type);
        }
    }
}

static void failed_conversation_cells(void)
{
    tlsa_conv_t conv;
    make_failed(&conv);
    tlsa_conv_row_t row;
    tlsa_conv_row(&row, &conv, TLSA_HISTORY_MAX);
    types_hold(&row);

    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "id"), "7");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "client"), "[2001:db8::1]:50123");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "server"), "[2001:db8::2]:443");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "client_ip"), "2001:db8::1");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "client_port"), "50123");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "vni"), "4242");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "outer_src"), "10.0.1.7");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "offered_versions"), "TLS 1.2|TLS 1.3");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "version"), "TLS 1.2");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "version_cell"), "TLS 1.2");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "cipher"), "0xc02f");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "outcome"), "alert_by_server");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "failure_alert"), "handshake_failure (40)");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "failure_sender"), "server");
    CHECK_STR(cell_text(&row, TLSA_OUT_GUI, "group"), "negotiation");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "frame"), "4");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "first_frame"), "1");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "first_time"), "2025-12-02T00:00:01.250000Z");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "alerts"), "server fatal handshake_failure (40); client encrypted");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "history"), "CslL");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "ja3"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_GUI, "sni"), "app.example.test");

    /* The GUI row cut at the record that refreshed it. */
    tlsa_conv_row(&row, &conv, 2);
    CHECK_STR(cell_text(&row, TLSA_OUT_GUI, "history"), "Cs");
}

static void bare_conversation_cells(void)
{
    tlsa_conv_t conv;
    make_bare(&conv);
    tlsa_conv_row_t row;
    tlsa_conv_row(&row, &conv, TLSA_HISTORY_MAX);
    types_hold(&row);
    /* Missing: "" in CSV, "-" in the tables. */
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "vni"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "vni"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_GUI, "vni"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "outer_src"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "sni"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "version_cell"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "offered_versions"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "failure_alert"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "failure_alert"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "alerts"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_GUI, "history"), "-");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "history"), "");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "frame"), "3");
    CHECK_STR(cell_text(&row, TLSA_OUT_TEXT, "client"), "192.0.2.1:40000");
    CHECK_STR(cell_text(&row, TLSA_OUT_CSV, "outcome"), "incomplete");
}

int main(void)
{
    published_orders();
    failed_conversation_cells();
    bare_conversation_cells();
    return check_report("test_conv_columns");
}
