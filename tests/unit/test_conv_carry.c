/* test_conv_carry.c — conversations carried across a session reset: which
 * ones, what they keep, when they are dropped; and the Prometheus counters
 * over a reset that falls inside a failing handshake (each handshake counted
 * once, with its real outcome). */
#include "check.h"

#include <glib.h>

#include "conv_carry.h"
#include "handshake_tracker.h"
#include "prom_counters.h"

static void *test_alloc0(void *ctx, size_t size)
{
    GPtrArray *owned = (GPtrArray *)ctx;
    void *p = g_malloc0(size);
    g_ptr_array_add(owned, p);
    return p;
}

static const char *test_intern(void *ctx, const char *s)
{
    if (!s || !*s)
        return NULL;
    char *copy = g_strdup(s);
    g_ptr_array_add((GPtrArray *)ctx, copy);
    return copy;
}

static const uint16_t *test_intern_codes(void *ctx, const uint16_t *codes, uint16_t n)
{
    if (!codes || !n)
        return NULL;
    uint16_t *copy = test_alloc0(ctx, n * sizeof *codes);
    memcpy(copy, codes, n * sizeof *codes);
    return copy;
}

static const tlsa_hello_t *test_intern_hello(void *ctx, const tlsa_hello_t *value)
{
    tlsa_hello_t *copy = test_alloc0(ctx, sizeof *copy);
    *copy = *value;
    return copy;
}

static tlsa_alert_note_t notes[16];
static unsigned n_notes;

static void feed(tlsa_conv_t *conv, tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg, uint8_t description,
                 int64_t sec)
{
    tlsa_event_t e = {0};
    e.kind = kind;
    e.side = side;
    e.arg = arg;
    e.cipher = -1;
    e.level = 2;
    e.description = description;
    e.time_sec = sec;
    if (kind == TLSA_EV_HANDSHAKE && arg == 2)
        e.selected_version = 0x0303;
    tlsa_tracker_feed(&conv->tracker, &e, kind == TLSA_EV_ALERT ? &notes[n_notes++] : NULL);
    conv->last_sec = sec;
    conv->last_frame++;
}

/* A conversation of one session: key from ports, client 10.0.0.2:port,
 * tunnelled when tunnel is not NULL. */
static void make_tunnelled(tlsa_conv_t *conv, uint16_t port, uint32_t id, const tlsa_tunnel_t *tunnel)
{
    memset(conv, 0, sizeof *conv);
    tlsa_ip_t client = { 4, { 10, 0, 0, 2 } }, server = { 4, { 10, 0, 0, 1 } };
    tlsa_side_t side;
    tlsa_conv_key_make(&conv->key, &client, port, &server, 443, 6, tunnel, &side);
    conv->id = id;
    conv->first_frame = 1;
    tlsa_tracker_init(&conv->tracker, TLSA_PROTO_TLS, tlsa_conv_port_hint(&conv->key));
}

static void make_conv(tlsa_conv_t *conv, uint16_t port, uint32_t id)
{
    make_tunnelled(conv, port, id, NULL);
}

/* The same VXLAN tunnel, as each session keeps its own copy. */
static void make_tunnel(tlsa_tunnel_t *tunnel)
{
    tlsa_ip_t eni = { 4, { 10, 0, 1, 25 } }, target = { 4, { 10, 0, 9, 100 } };
    bool src_is_b;
    tlsa_tunnel_make(tunnel, &eni, &target, 4242, &src_is_b);
}

static tlsa_side_t client_side(const tlsa_conv_t *conv)
{
    return (tlsa_side_t)tlsa_conv_port_hint(&conv->key);
}

static void test_which(void)
{
    tlsa_conv_t c;
    make_conv(&c, 50000, 1);
    CHECK(!tlsa_conv_carries(&c) && !tlsa_conv_counted_open(&c), "nothing seen: no handshake, not carried");
    feed(&c, TLSA_EV_SYN, client_side(&c), 0, 0, 10);
    feed(&c, TLSA_EV_HANDSHAKE, client_side(&c), 1, 0, 10);
    CHECK(tlsa_conv_carries(&c), "ClientHello seen, no answer: carried");
    feed(&c, TLSA_EV_FIN, client_side(&c), 0, 0, 10);
    CHECK(tlsa_conv_carries(&c), "half closed: the server's alert may still come");
    feed(&c, TLSA_EV_FIN, (tlsa_side_t)(1 - client_side(&c)), 0, 0, 10);
    CHECK(!tlsa_conv_carries(&c) && !tlsa_conv_counted_open(&c), "closed both ways: decided");

    make_conv(&c, 50001, 2);
    feed(&c, TLSA_EV_HANDSHAKE, client_side(&c), 1, 0, 10);
    feed(&c, TLSA_EV_ALERT, (tlsa_side_t)(1 - client_side(&c)), 0, 40, 10);
    CHECK(tlsa_conv_outcome(&c) == TLSA_OUTCOME_ALERT_BY_SERVER, "alert_by_server");
    CHECK(!tlsa_conv_carries(&c) && tlsa_conv_counted_open(&c), "final and open: its key only");

    CHECK(!tlsa_conv_idle_at(10, 10 + TLSA_CONV_IDLE_SEC - 1) && tlsa_conv_idle_at(10, 10 + TLSA_CONV_IDLE_SEC),
          "idle after TLSA_CONV_IDLE_SEC");
    CHECK(!tlsa_conv_idle_at(10, INT64_MIN), "no time yet: not idle (and no overflow)");
}

static void test_resume(void)
{
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    tlsa_carry_alloc_t alloc = { owned, test_alloc0, test_intern, test_intern_codes, test_intern_hello };
    tlsa_conv_carry_t *carry = tlsa_conv_carry_new();
    tlsa_conv_t before, decided, after, other;
    uint16_t ciphers[2] = { 0x002f, 0x0035 };

    /* Session 1: a ClientHello, then the reset. */
    tlsa_tunnel_t tunnel1, tunnel2;
    make_tunnel(&tunnel1);
    make_tunnel(&tunnel2);
    make_tunnelled(&before, 50000, 7, &tunnel1);
    tlsa_hello_t hello = { .sni = "server.test", .lists = 1, .ciphers = ciphers, .n_ciphers = 2 };
    before.hello = &hello;
    before.first_sec = 100;
    feed(&before, TLSA_EV_SYN, client_side(&before), 0, 0, 100);
    feed(&before, TLSA_EV_HANDSHAKE, client_side(&before), 1, 0, 100);
    feed(&before, TLSA_EV_ALERT, client_side(&before), 0, 0, 100); /* a close_notify: listed, not kept */
    make_conv(&decided, 50001, 8);
    feed(&decided, TLSA_EV_HANDSHAKE, client_side(&decided), 1, 0, 100);
    feed(&decided, TLSA_EV_ALERT, (tlsa_side_t)(1 - client_side(&decided)), 0, 40, 100);
    CHECK(tlsa_conv_carry_keep(carry, &before), "undecided: kept");
    CHECK(tlsa_conv_carry_keep(carry, &decided), "counted, open: its key kept");
    CHECK(tlsa_conv_carry_size(carry) == 2, "two entries");
    /* The session's memory goes: the copies own what they keep. */
    memset(&hello, 0, sizeof hello);
    memset(&tunnel1, 0xee, sizeof tunnel1);
    tlsa_conv_key_t next_key;
    memset(&next_key, 0, sizeof next_key);
    make_tunnelled(&other, 50000, 9, &tunnel2);
    next_key = other.key;
    CHECK(tlsa_conv_carry_has(carry, &next_key, 101) && !tlsa_conv_carry_has(carry, &decided.key, 101),
          "a FIN resumes only a full copy, found through the next session's copy of its tunnel");

    /* Session 2: the same key again (its frame numbers start at 1 again). */
    make_tunnelled(&after, 50000, 1, &tunnel2);
    CHECK(tlsa_conv_carry_resume(carry, &after, 101, &alloc), "resumed");
    CHECK(after.resumed == TLSA_RESUMED_UNDECIDED, "marked resumed");
    CHECK(after.id == 1 && after.first_frame == 1 && after.last_frame == 0, "this session's id and frames");
    CHECK(after.first_sec == 100, "the handshake's start time");
    CHECK(tlsa_conv_outcome(&after) == TLSA_OUTCOME_INCOMPLETE, "handshake seen: incomplete, not no_handshake_seen");
    CHECK(after.key.tunnel == &tunnel2, "this session's tunnel");
    CHECK(after.hello && after.hello != &hello && tlsa_conv_sni(&after) &&
          strcmp(tlsa_conv_sni(&after), "server.test") == 0, "SNI, re-interned");
    CHECK(after.hello && after.hello->lists && after.hello->n_ciphers == 2 && after.hello->ciphers != ciphers &&
          after.hello->ciphers[1] == 0x0035, "hello ciphers copied");
    CHECK(after.tracker.alerts == NULL && after.tracker.alerts_count == 0, "the alert list stays behind");
    CHECK(strcmp(after.tracker.history, before.tracker.history) == 0, "history kept: %s", after.tracker.history);
    /* The server's alert, after the reset: a failed handshake. */
    feed(&after, TLSA_EV_ALERT, (tlsa_side_t)(1 - client_side(&after)), 0, 40, 101);
    CHECK(tlsa_conv_outcome(&after) == TLSA_OUTCOME_ALERT_BY_SERVER, "alert_by_server across the reset");
    CHECK(!tlsa_conv_carry_resume(carry, &after, 101, &alloc), "a copy resumes once");

    make_conv(&other, 50001, 2);
    CHECK(tlsa_conv_carry_resume(carry, &other, 101, &alloc), "the counted one resumes");
    CHECK(other.resumed == TLSA_RESUMED_COUNTED && tlsa_conv_outcome(&other) == TLSA_OUTCOME_NO_HANDSHAKE_SEEN,
          "afresh, marked counted");
    CHECK(tlsa_conv_carry_size(carry) == 0, "nothing left");
    /* Still open at the next reset: remembered as counted again. */
    CHECK(tlsa_conv_carry_keep(carry, &other), "counted stays counted");
    make_conv(&other, 50001, 3);
    CHECK(tlsa_conv_carry_resume(carry, &other, 102, &alloc) && other.resumed == TLSA_RESUMED_COUNTED, "again");

    /* Idle copies go. */
    make_tunnel(&tunnel1);
    before.hello = NULL;
    CHECK(tlsa_conv_carry_keep(carry, &before), "kept again");
    tlsa_conv_carry_expire(carry, 100 + TLSA_CONV_IDLE_SEC - 1);
    CHECK(tlsa_conv_carry_size(carry) == 1, "not idle yet");
    make_tunnelled(&after, 50000, 1, &tunnel2);
    CHECK(!tlsa_conv_carry_resume(carry, &after, 100 + TLSA_CONV_IDLE_SEC, &alloc) && !after.resumed,
          "idle: not resumed, dropped");
    CHECK(tlsa_conv_carry_size(carry) == 0, "dropped");
    CHECK(tlsa_conv_carry_keep(carry, &before), "kept again");
    tlsa_conv_carry_expire(carry, 100 + TLSA_CONV_IDLE_SEC);
    CHECK(tlsa_conv_carry_size(carry) == 0, "expired");
    CHECK(tlsa_conv_carry_keep(carry, &before), "kept again");
    tlsa_conv_carry_clear(carry);
    CHECK(tlsa_conv_carry_size(carry) == 0, "cleared");

    tlsa_conv_carry_free(carry);
    g_ptr_array_free(owned, TRUE);
}

static double value(const tlsa_prom_counters_t *c, const char *line_prefix)
{
    GString *s = g_string_new(NULL);
    tlsa_prom_counters_render(c, NULL, s);
    double v = -1;
    size_t n = strlen(line_prefix);
    for (const char *p = s->str; p && *p;) {
        if (strncmp(p, line_prefix, n) == 0) {
            v = g_ascii_strtod(p + n, NULL);
            break;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    g_string_free(s, TRUE);
    return v;
}

#define HS(outcome) "tlsalerts_handshakes_total{protocol=\"tls\",outcome=\"" outcome "\"} "
#define FAILED "tlsalerts_failed_handshakes_total{protocol=\"tls\"} "

static tlsa_record_t record(const tlsa_conv_t *conv, tlsa_record_kind_t kind)
{
    tlsa_record_t r = {0};
    r.kind = (uint8_t)kind;
    r.conv = conv;
    return r;
}

/* The case that made the live sensor flaky: tshark -M resets the session
 * between the ClientHello and the server's handshake_failure. */
static void test_prom_across_reset(void)
{
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    tlsa_carry_alloc_t alloc = { owned, test_alloc0, test_intern, test_intern_codes, test_intern_hello };
    tlsa_conv_carry_t *carry = tlsa_conv_carry_new();
    tlsa_prom_counters_t c;
    tlsa_prom_counters_init(&c);
    tlsa_conv_t before, after, est, est_after, idle, idle_after;

    make_conv(&before, 50000, 1);
    feed(&before, TLSA_EV_SYN, client_side(&before), 0, 0, 200);
    feed(&before, TLSA_EV_HANDSHAKE, client_side(&before), 1, 0, 200);
    tlsa_record_t r = record(&before, TLSA_REC_CONVERSATION);
    tlsa_prom_counters_frame(&c, 200);
    tlsa_prom_counters_add_record(&c, &r);
    /* One established and still open (its key only), one that goes idle. */
    make_conv(&est, 50001, 2);
    feed(&est, TLSA_EV_HANDSHAKE, client_side(&est), 1, 0, 200);
    feed(&est, TLSA_EV_HANDSHAKE, (tlsa_side_t)(1 - client_side(&est)), 2, 0, 200);
    feed(&est, TLSA_EV_CCS, TLSA_SIDE_A, 0, 0, 200);
    feed(&est, TLSA_EV_CCS, TLSA_SIDE_B, 0, 0, 200);
    /* Application data both ways: a TLS 1.2 handshake is settled only then. */
    feed(&est, TLSA_EV_OPAQUE, client_side(&est), 100, 0, 200);
    feed(&est, TLSA_EV_OPAQUE, (tlsa_side_t)(1 - client_side(&est)), 100, 0, 200);
    r = record(&est, TLSA_REC_CONVERSATION);
    tlsa_prom_counters_add_record(&c, &r);
    make_conv(&idle, 50002, 3);
    feed(&idle, TLSA_EV_HANDSHAKE, client_side(&idle), 1, 0, 200);
    r = record(&idle, TLSA_REC_CONVERSATION);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, HS("established")) == 1, "established counted at once");
    CHECK(tlsa_prom_counters_pending(&c) == 2, "two pending");

    /* The reset: the companion and the counters, in either order. */
    tlsa_conv_carry_keep(carry, &before);
    tlsa_conv_carry_keep(carry, &est);
    tlsa_conv_carry_keep(carry, &idle);
    tlsa_prom_counters_new_session(&c);
    CHECK(c.resets == 1, "reset counted");
    CHECK(tlsa_prom_counters_pending(&c) == 2 && tlsa_prom_counters_tracked(&c) == 0,
          "both still pending, carried; the session forgotten");
    CHECK(value(&c, HS("incomplete")) == 0, "not settled as incomplete at the reset");

    /* Session 2: the server's alert; then the established one's next frame. */
    tlsa_prom_counters_frame(&c, 201);
    make_conv(&after, 50000, 1);
    CHECK(tlsa_conv_carry_resume(carry, &after, 201, &alloc), "resumed");
    feed(&after, TLSA_EV_ALERT, (tlsa_side_t)(1 - client_side(&after)), 0, 40, 201);
    r = record(&after, TLSA_REC_ALERT);
    r.level = 2;
    r.description = 40;
    r.sender = TLSA_SENDER_SERVER;
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, HS("alert_by_server")) == 1 && value(&c, FAILED) == 1, "the failure counted once");
    CHECK(value(&c, HS("incomplete")) == 0, "and not as incomplete");
    make_conv(&est_after, 50001, 2);
    CHECK(tlsa_conv_carry_resume(carry, &est_after, 201, &alloc), "the established one resumes as counted");
    feed(&est_after, TLSA_EV_QUIC_1RTT, TLSA_SIDE_A, 0, 0, 201);
    r = record(&est_after, TLSA_REC_CONVERSATION);
    tlsa_prom_counters_add_record(&c, &r);
    CHECK(value(&c, HS("established")) == 1, "never counted twice");
    CHECK(tlsa_prom_counters_pending(&c) == 1, "the idle one still pending");

    /* The third never comes back: settled once idle, with its outcome at the
     * reset — the same second the companion stops resuming it. */
    tlsa_prom_counters_frame(&c, 200 + TLSA_CONV_IDLE_SEC - 1);
    CHECK(tlsa_prom_counters_pending(&c) == 1, "not idle yet");
    tlsa_prom_counters_frame(&c, 200 + TLSA_CONV_IDLE_SEC);
    CHECK(tlsa_prom_counters_pending(&c) == 0 && value(&c, HS("incomplete")) == 1, "idle: settled once");
    make_conv(&idle_after, 50002, 3);
    CHECK(!tlsa_conv_carry_resume(carry, &idle_after, 200 + TLSA_CONV_IDLE_SEC, &alloc), "the companion agrees");
    tlsa_prom_counters_settle_all(&c);
    CHECK(value(&c, HS("incomplete")) == 1 && value(&c, HS("alert_by_server")) == 1 &&
          value(&c, HS("established")) == 1, "three handshakes, each once");

    /* A carried entry that never resumes is settled at the end too. */
    make_conv(&idle, 50003, 4);
    feed(&idle, TLSA_EV_HANDSHAKE, client_side(&idle), 1, 0, 400);
    r = record(&idle, TLSA_REC_CONVERSATION);
    tlsa_prom_counters_frame(&c, 400);
    tlsa_prom_counters_add_record(&c, &r);
    tlsa_prom_counters_new_session(&c);
    CHECK(tlsa_prom_counters_pending(&c) == 1, "carried");
    tlsa_prom_counters_settle_all(&c);
    CHECK(tlsa_prom_counters_pending(&c) == 0 && value(&c, HS("incomplete")) == 2, "settled at the end");

    tlsa_prom_counters_free(&c);
    tlsa_conv_carry_free(carry);
    g_ptr_array_free(owned, TRUE);
}

int main(void)
{
    test_which();
    test_resume();
    test_prom_across_reset();
    return check_report("test_conv_carry");
}
