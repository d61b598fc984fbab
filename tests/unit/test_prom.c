/* test_prom.c — the Prometheus exposition: escaping, values, sorting and
 * aggregation; the -z argument; the counters' settle semantics (monotonic
 * while outcomes move, across session resets); atomic textfile replacement. */
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "handshake_tracker.h"
#include "prom_counters.h"
#include "prom_format.h"
#include "prom_options.h"
#include "prom_textfile.h"

/* Value of the sample written exactly as LINE_PREFIX ("name{labels} ") in TEXT, or -1. */
static double sample(const char *text, const char *line_prefix)
{
    size_t n = strlen(line_prefix);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, line_prefix, n) == 0)
            return g_ascii_strtod(p + n, NULL);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

static void test_format(void)
{
    GString *s = g_string_new(NULL);
    tlsa_prom_escape_label_value(s, "a\\b\"c\nd");
    CHECK_STR(s->str, "a\\\\b\\\"c\\nd");
    g_string_truncate(s, 0);
    tlsa_prom_escape_help(s, "x\\y\"z\n");
    CHECK_STR(s->str, "x\\\\y\"z\\n");

    const struct { double v; const char *text; } values[] = {
        { 0, "0" }, { 42, "42" }, { 18446744073709.0, "18446744073709" }, { 1796117819.608, "1796117819.608" },
        { 0.5, "0.5" }, { -3, "-3" }, { 1.0 / 0.0, "+Inf" }, { -1.0 / 0.0, "-Inf" },
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(values); i++) {
        g_string_truncate(s, 0);
        tlsa_prom_format_value(s, values[i].v);
        CHECK_STR(s->str, values[i].text);
    }

    CHECK(tlsa_prom_valid_name("tlsalerts_alerts_total"), "metric name");
    CHECK(tlsa_prom_valid_name("a:b"), "colon allowed in metric names");
    CHECK(!tlsa_prom_valid_name("9lives"), "leading digit");
    CHECK(!tlsa_prom_valid_name("a-b"), "dash");
    CHECK(!tlsa_prom_valid_name(""), "empty");
    CHECK(tlsa_prom_valid_label_name("vni"), "label");
    CHECK(!tlsa_prom_valid_label_name("__name__"), "reserved label");
    CHECK(!tlsa_prom_valid_label_name("a:b"), "colon in a label name");

    /* Families sorted by name, samples by labels, repeated labels summed,
     * empty label values left out, HELP escaped. */
    tlsa_prom_doc_t *doc = tlsa_prom_doc_new();
    tlsa_prom_family_t *z = tlsa_prom_family(doc, "z_total", TLSA_PROM_COUNTER, "Zed\nline");
    tlsa_prom_family_t *a = tlsa_prom_family(doc, "a_seconds", TLSA_PROM_GAUGE, "A");
    CHECK(tlsa_prom_family(doc, "z_total", TLSA_PROM_GAUGE, "other") == z, "same family");
    tlsa_prom_add(z, 2, "k", "b", "vni", "", NULL);
    tlsa_prom_add(z, 1, "k", "a\"q", NULL);
    tlsa_prom_add(z, 3, "k", "b", NULL);
    tlsa_prom_add(a, 0.25, NULL);
    tlsa_prom_family(doc, "m_total", TLSA_PROM_COUNTER, "empty family");
    g_string_truncate(s, 0);
    tlsa_prom_render(doc, s);
    CHECK_STR(s->str,
              "# HELP a_seconds A\n# TYPE a_seconds gauge\na_seconds 0.25\n"
              "# HELP m_total empty family\n# TYPE m_total counter\n"
              "# HELP z_total Zed\\nline\n# TYPE z_total counter\n"
              "z_total{k=\"a\\\"q\"} 1\nz_total{k=\"b\"} 5\n");
    tlsa_prom_doc_free(doc);
    g_string_free(s, TRUE);
}

static void test_options(void)
{
    tlsa_prom_options_t o;
    char *err = NULL;
    const char *cli = "tlsalerts,prom";

    CHECK(tlsa_prom_options_parse("tlsalerts,prom", cli, &o, &err), "bare");
    CHECK(!o.file && !o.filter && o.interval == 15, "defaults");
    tlsa_prom_options_clear(&o);

    CHECK(tlsa_prom_options_parse("tlsalerts,prom,file=/var/lib/x/tlsalerts.prom,interval=5,tls.alert_message", cli,
                                  &o, &err), "full");
    CHECK_STR(o.file, "/var/lib/x/tlsalerts.prom");
    CHECK(o.interval == 5, "%u", o.interval);
    CHECK_STR(o.filter, "tls.alert_message");
    tlsa_prom_options_clear(&o);

    CHECK(tlsa_prom_options_parse("tlsalerts,prom,ip.addr==192.0.2.1,x", cli, &o, &err), "filter with ==");
    CHECK_STR(o.filter, "ip.addr==192.0.2.1,x");
    tlsa_prom_options_clear(&o);
    CHECK(tlsa_prom_options_parse("tlsalerts,prom,tcp==1", cli, &o, &err), "lower-case word then ==");
    CHECK_STR(o.filter, "tcp==1");
    tlsa_prom_options_clear(&o);

    const char *bad[] = {
        "tlsalerts,prom,file=x.prom,interval=0",
        "tlsalerts,prom,file=x.prom,interval=",
        "tlsalerts,prom,file=x.prom,interval=1s",
        "tlsalerts,prom,file=x.prom,interval=86401",
        "tlsalerts,prom,fiel=x.prom",
        "tlsalerts,prom,file=",
        "tlsalerts,prom,interval=5",
        "tlsalerts,promx",
    };
    const char *messages[] = { "interval=0", "interval=", "interval=1s", "interval=86401",
                               "unknown option \"fiel\"", "file= needs", "interval= needs file", "unknown report" };
    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        err = NULL;
        CHECK(!tlsa_prom_options_parse(bad[i], cli, &o, &err), "%s accepted", bad[i]);
        CHECK(err && strstr(err, messages[i]), "%s: message %s", bad[i], err ? err : "(none)");
        CHECK(!o.file && !o.filter, "cleared after an error");
        g_free(err);
    }
}

/* --- counters ------------------------------------------------------------ */

static tlsa_alert_note_t notes[64];
static unsigned n_notes;

static void feed(tlsa_conv_t *conv, tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg, int64_t sec)
{
    tlsa_event_t e = {0};
    e.kind = kind;
    e.side = side;
    e.arg = arg;
    e.cipher = -1;
    e.time_sec = sec;
    if (kind == TLSA_EV_HANDSHAKE && arg == 2)
        e.selected_version = 0x0303;
    tlsa_tracker_feed(&conv->tracker, &e, kind == TLSA_EV_ALERT ? &notes[n_notes++] : NULL);
    conv->last_sec = sec;
}

static void alert(tlsa_conv_t *conv, tlsa_side_t side, unsigned description, int64_t sec)
{
    tlsa_event_t e = {0};
    e.kind = TLSA_EV_ALERT;
    e.side = side;
    e.level = 2;
    e.description = (uint8_t)description;
    e.cipher = -1;
    e.time_sec = sec;
    tlsa_tracker_feed(&conv->tracker, &e, &notes[n_notes++]);
    conv->last_sec = sec;
}

static tlsa_record_t conv_record(const tlsa_conv_t *conv)
{
    tlsa_record_t r = {0};
    r.kind = TLSA_REC_CONVERSATION;
    r.conv = conv;
    return r;
}

static tlsa_record_t alert_record(const tlsa_conv_t *conv, unsigned description, unsigned sender, unsigned flags)
{
    tlsa_record_t r = {0};
    r.kind = TLSA_REC_ALERT;
    r.level = flags & TLSA_ALERT_ENCRYPTED ? 0 : 2;
    r.description = (uint8_t)(flags & TLSA_ALERT_ENCRYPTED ? 0 : description);
    r.sender = (uint8_t)sender;
    r.flags = (uint8_t)flags;
    r.conv = conv;
    return r;
}

/* A conversation seen mid-stream: no SYN, no handshake message yet. */
static void new_conv_midstream(tlsa_conv_t *conv, uint32_t vni)
{
    memset(conv, 0, sizeof *conv);
    tlsa_tracker_init(&conv->tracker, TLSA_PROTO_TLS, TLSA_SIDE_A);
    if (vni) {
        static tlsa_tunnel_t tunnels[64];
        static unsigned used;
        CHECK(used < 64, "room for the test's tunnels");
        tlsa_tunnel_t *t = &tunnels[used++ % 64];
        t->vni = vni;
        conv->key.tunnel = t;
    }
}

/* A conversation seen from its start (its SYN). */
static void new_conv(tlsa_conv_t *conv, uint32_t vni)
{
    new_conv_midstream(conv, vni);
    tlsa_event_t syn = { .kind = TLSA_EV_SYN, .side = TLSA_SIDE_A, .cipher = -1 };
    tlsa_tracker_feed(&conv->tracker, &syn, NULL);
}

static double value(const tlsa_prom_counters_t *c, const char *line_prefix)
{
    GString *s = g_string_new(NULL);
    tlsa_prom_counters_render(c, NULL, s);
    double v = sample(s->str, line_prefix);
    g_string_free(s, TRUE);
    return v;
}

#define HS(outcome) "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"" outcome "\"} "

static void test_counters(void)
{
    tlsa_prom_counters_t c;
    tlsa_prom_counters_init(&c);
    tlsa_conv_t est, fail, abort_, idle, vx;

    /* Zero series from the start. */
    CHECK(value(&c, HS("established")) == 0, "established starts at 0");
    CHECK(value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\"} ") == 0, "failed starts at 0");

    /* A handshake that becomes established: pending, then settled once. */
    new_conv(&est, 0);
    feed(&est, TLSA_EV_HANDSHAKE, TLSA_SIDE_A, 1, 100);
    tlsa_record_t r = conv_record(&est);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(tlsa_prom_counters_pending(&c) == 1, "pending %u", tlsa_prom_counters_pending(&c));
    CHECK(value(&c, HS("incomplete")) == 0, "incomplete not counted while pending");
    feed(&est, TLSA_EV_HANDSHAKE, TLSA_SIDE_B, 2, 100);
    feed(&est, TLSA_EV_CCS, TLSA_SIDE_A, 0, 100);
    feed(&est, TLSA_EV_CCS, TLSA_SIDE_B, 0, 100);
    r.kind = TLSA_REC_OUTCOME;
    tlsa_prom_counters_add_record(&c, &r);
    /* TLS 1.2 without data yet: it may still close right after the
     * handshake or be rejected by the client (issue 14 part 7): pending. */
    CHECK(value(&c, HS("established")) == 0 && tlsa_prom_counters_pending(&c) == 1, "established, no data: pending");
    feed(&est, TLSA_EV_OPAQUE, TLSA_SIDE_A, 100, 100);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, HS("established")) == 1, "established once");
    CHECK(tlsa_prom_counters_pending(&c) == 0, "no longer pending");
    /* Later records (close_notify) never count it again. */
    tlsa_record_t cn = alert_record(&est, 0, TLSA_SENDER_CLIENT, 0);
    cn.level = 1;
    tlsa_prom_counters_add_record(&c, &cn);
    CHECK(value(&c, HS("established")) == 1, "still once");
    CHECK(value(&c, "tlsalerts_alerts_total{protocol=\"tls\",level=\"warning\",description=\"close_notify\","
                    "group=\"graceful\",sender=\"client\"} ") == 1, "close_notify counted");
    /* A record standing for a run of identical alerts counts as that many. */
    cn.repeats = 41;
    tlsa_prom_counters_add_record(&c, &cn);
    CHECK(value(&c, "tlsalerts_alerts_total{protocol=\"tls\",level=\"warning\",description=\"close_notify\","
                    "group=\"graceful\",sender=\"client\"} ") == 43, "a run of 42 counted");

    /* A failure alert settles at once; VNI becomes a label. */
    new_conv(&fail, 4242);
    feed(&fail, TLSA_EV_HANDSHAKE, TLSA_SIDE_A, 1, 101);
    feed(&fail, TLSA_EV_HANDSHAKE, TLSA_SIDE_B, 2, 101);
    alert(&fail, TLSA_SIDE_A, 48, 101);
    r = alert_record(&fail, 48, TLSA_SENDER_CLIENT, 0);
    tlsa_prom_counters_add_record(&c, &r);
    r = conv_record(&fail);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"alert_by_client\",vni=\"4242\"} ") == 1,
          "alert_by_client");
    CHECK(value(&c, "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"established\",vni=\"4242\"} ") == 0,
          "the VNI's series start at 0");
    CHECK(value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\",vni=\"4242\"} ") == 1, "failed");
    CHECK(value(&c, "tlsalerts_failure_alerts_total{protocol=\"tls\",group=\"pki\",sender=\"client\",vni=\"4242\"} ")
          == 1, "failure alert by group");
    /* Duplicates are not counted; encrypted alerts apart. */
    r = alert_record(&fail, 48, TLSA_SENDER_CLIENT, TLSA_ALERT_DUPLICATE);
    tlsa_prom_counters_add_record(&c, &r);
    r = alert_record(&fail, 0, TLSA_SENDER_SERVER, TLSA_ALERT_ENCRYPTED);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, "tlsalerts_alerts_total{protocol=\"tls\",level=\"fatal\",description=\"unknown_ca\","
                    "group=\"pki\",sender=\"client\",vni=\"4242\"} ") == 1, "duplicate not counted");
    CHECK(value(&c, "tlsalerts_encrypted_alerts_total{protocol=\"tls\",sender=\"server\",vni=\"4242\"} ") == 1,
          "encrypted");

    /* An abort moves (aborted -> alert) until the connection is closed both ways. */
    new_conv(&abort_, 0);
    feed(&abort_, TLSA_EV_HANDSHAKE, TLSA_SIDE_A, 1, 102);
    feed(&abort_, TLSA_EV_FIN, TLSA_SIDE_A, 0, 102);
    r = conv_record(&abort_);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(tlsa_prom_counters_pending(&c) == 1, "half-closed: pending");
    feed(&abort_, TLSA_EV_FIN, TLSA_SIDE_B, 0, 102);
    tlsa_prom_counters_frame(&c, 103); /* the second FIN queued no record: the next second's tick settles */
    CHECK(value(&c, HS("aborted_after_client_hello")) == 1, "aborted settled when closed");
    CHECK(value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\"} ") == 1, "abort is a failure");

    /* Idle: settled after TLSA_PROM_SETTLE_IDLE_SEC of capture time. */
    new_conv(&idle, 0);
    feed(&idle, TLSA_EV_HANDSHAKE, TLSA_SIDE_A, 1, 110);
    r = conv_record(&idle);
    tlsa_prom_counters_add_record(&c, &r);
    tlsa_prom_counters_frame(&c, 110 + TLSA_PROM_SETTLE_IDLE_SEC - 1);
    CHECK(tlsa_prom_counters_pending(&c) == 1, "not idle yet");
    tlsa_prom_counters_frame(&c, 110 + TLSA_PROM_SETTLE_IDLE_SEC);
    CHECK(tlsa_prom_counters_pending(&c) == 0, "idle: settled");
    CHECK(value(&c, HS("incomplete")) == 1, "incomplete after idle");
    /* It comes back to life and completes: never decremented, never recounted. */
    feed(&idle, TLSA_EV_HANDSHAKE, TLSA_SIDE_B, 2, 300);
    feed(&idle, TLSA_EV_CCS, TLSA_SIDE_A, 0, 300);
    feed(&idle, TLSA_EV_CCS, TLSA_SIDE_B, 0, 300);
    r.kind = TLSA_REC_OUTCOME;
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, HS("incomplete")) == 1 && value(&c, HS("established")) == 1, "monotonic");
    CHECK(tlsa_prom_counters_tracked(&c) == 4, "tracked %u", tlsa_prom_counters_tracked(&c));

    /* Session reset with one pending conversation whose handshake is still
     * undecided: not settled at the reset but carried (conv_carry.h), the
     * session forgotten, the reset counted. */
    new_conv(&vx, 7);
    feed(&vx, TLSA_EV_HANDSHAKE, TLSA_SIDE_A, 1, 400);
    r = conv_record(&vx);
    tlsa_prom_counters_add_record(&c, &r);
    tlsa_prom_counters_frame(&c, 400);
    tlsa_prom_counters_new_session(&c);
    CHECK(c.resets == 1, "one reset");
    CHECK(tlsa_prom_counters_tracked(&c) == 0 && tlsa_prom_counters_pending(&c) == 1,
          "session forgotten, the undecided one carried");
    CHECK(value(&c, "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"incomplete\",vni=\"7\"} ") == 0,
          "not settled at the reset");
    tlsa_prom_counters_new_session(&c);
    CHECK(c.resets == 1, "a reset without frames since the last one is not counted");
    /* The rest of it, in the new session, resumed with its handshake state
     * (the companion's copy): the server's alert makes it a failed handshake,
     * counted once. */
    double failed_before = value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\",vni=\"7\"} ");
    vx.resumed = TLSA_RESUMED_UNDECIDED;
    alert(&vx, TLSA_SIDE_B, 40, 401);
    r = alert_record(&vx, 40, TLSA_SENDER_SERVER, 0);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(tlsa_prom_counters_pending(&c) == 0, "settled, the carried entry replaced");
    tlsa_prom_counters_settle_all(&c);
    CHECK(value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\",vni=\"7\"} ") == failed_before + 1,
          "the failure after the reset is one failed handshake");
    CHECK(value(&c, "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"incomplete\",vni=\"7\"} ") == 0,
          "and nothing else");
    /* A conversation seen mid-stream after a reset (not resumed): no
     * handshake (not a failure either), though its alert counts. */
    tlsa_conv_t mid;
    new_conv_midstream(&mid, 7);
    alert(&mid, TLSA_SIDE_B, 40, 402);
    r = alert_record(&mid, 40, TLSA_SENDER_SERVER, 0);
    tlsa_prom_counters_add_record(&c, &r);
    tlsa_prom_counters_settle_all(&c);
    CHECK(value(&c, "tlsalerts_failed_handshakes_total{protocol=\"tls\",vni=\"7\"} ") == failed_before + 1,
          "a conversation seen mid-stream is no failed handshake");
    CHECK(value(&c, "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"no_handshake_seen\",vni=\"7\"} ") == -1,
          "no series for conversations without a handshake");

    /* End of the run: everything pending settled with its outcome then. */
    new_conv(&est, 0);
    r = conv_record(&est);
    tlsa_prom_counters_add_record(&c, &r);
    tlsa_prom_counters_settle_all(&c);
    CHECK(value(&c, HS("incomplete")) == 2, "settled at the end");
    CHECK(value(&c, "tlsalerts_frames_total ") == 4, "frames %g", value(&c, "tlsalerts_frames_total "));

    /* Health gauges and build info. */
    tlsa_prom_info_t info = { "0.1.0", "4.0.17", 1796117819.608 };
    GString *s = g_string_new(NULL);
    tlsa_prom_counters_render(&c, &info, s);
    CHECK(sample(s->str, "tlsalerts_build_info{version=\"0.1.0\",wireshark_version=\"4.0.17\"} ") == 1, "build info");
    CHECK(strstr(s->str, "\ntlsalerts_last_write_timestamp_seconds 1796117819.608\n") != NULL, "last write");
    CHECK(strstr(s->str, "# TYPE tlsalerts_handshakes_pending gauge\n") != NULL, "pending gauge");
    g_string_free(s, TRUE);
    tlsa_prom_counters_free(&c);
}

static char *read_all(const char *path)
{
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

static unsigned count_entries(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    unsigned n = 0;
    while (d && g_dir_read_name(d))
        n++;
    if (d)
        g_dir_close(d);
    return n;
}

static void test_textfile(void)
{
    char *dir = g_dir_make_tmp("tlsalerts-prom-XXXXXX", NULL);
    char *path = g_build_filename(dir, "tlsalerts.prom", NULL);
    char *err = NULL;

    CHECK(tlsa_textfile_replace(path, "a 1\n", 4, &err), "first write: %s", err ? err : "");
    CHECK(tlsa_textfile_replace(path, "a 2\n", 4, &err), "rewrite: %s", err ? err : "");
    char *text = read_all(path);
    CHECK_STR(text, "a 2\n");
    g_free(text);
    GStatBuf st;
    CHECK(g_stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "mode %o", st.st_mode & 0777);
    CHECK(count_entries(dir) == 1, "no temporary file left: %u entries", count_entries(dir));

    /* A folder that does not exist: a clear error naming the path. */
    char *missing = g_build_filename(dir, "nope", "x.prom", NULL);
    CHECK(!tlsa_textfile_replace(missing, "x", 1, &err), "missing folder accepted");
    CHECK(err && strstr(err, missing) && strstr(err, "No such file"), "%s", err ? err : "(none)");
    g_free(err);
    err = NULL;

    /* The rename fails (the target is a folder): the temporary file goes,
     * the target stays as it was. */
    char *target = g_build_filename(dir, "folder.prom", NULL);
    g_mkdir(target, 0755);
    CHECK(!tlsa_textfile_replace(target, "x", 1, &err), "rename onto a folder accepted");
    CHECK(err && strstr(err, "rename"), "%s", err ? err : "(none)");
    g_free(err);
    CHECK(count_entries(dir) == 2, "temporary file removed: %u entries", count_entries(dir));
    text = read_all(path);
    CHECK_STR(text, "a 2\n");
    g_free(text);

    g_rmdir(target);
    g_unlink(path);
    g_rmdir(dir);
    g_free(target);
    g_free(missing);
    g_free(path);
    g_free(dir);
}

int main(void)
{
    test_format();
    test_options();
    test_counters();
    test_textfile();
    return check_report("test_prom");
}
