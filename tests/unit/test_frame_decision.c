/* test_frame_decision.c — the per-frame rules: which records a frame yields,
 * in which order, with which sender and stage, on the event orders that real
 * captures hold (alert before/after the outcome changes in the same frame,
 * duplicates, several alerts in one frame, QUIC's repeated CONNECTION_CLOSE). */
#include "check.h"

#include <glib.h>

#include "frame_decision.h"

#define A TLSA_SIDE_A
#define B TLSA_SIDE_B

/* --- a GLib environment standing in for Wireshark's file scope ------------- */

typedef struct {
    GPtrArray *notes;    /* owned */
    GHashTable *strings; /* owned */
    GHashTable *seen;    /* "conv/side/position/extra" -> how many of its alerts were seen */
    GHashTable *hellos;  /* owned: one copy per distinct ClientHello value */
    unsigned interned;
} env_state_t;

static tlsa_alert_note_t *new_note(void *ctx)
{
    env_state_t *st = ctx;
    tlsa_alert_note_t *note = g_new0(tlsa_alert_note_t, 1);
    g_ptr_array_add(st->notes, note);
    return note;
}

static const char *intern(void *ctx, const char *s)
{
    env_state_t *st = ctx;
    if (!s || !*s)
        return NULL;
    char *known = g_hash_table_lookup(st->strings, s);
    if (known)
        return known;
    char *copy = g_strdup(s);
    g_hash_table_add(st->strings, copy);
    st->interned++;
    return copy;
}

static guint hello_hash(gconstpointer h) { return tlsa_hello_hash(h); }
static gboolean hello_equal(gconstpointer x, gconstpointer y) { return tlsa_hello_equal(x, y); }

static const tlsa_hello_t *intern_hello(void *ctx, const tlsa_hello_t *value)
{
    env_state_t *st = ctx;
    tlsa_hello_t *known = g_hash_table_lookup(st->hellos, value);
    if (known)
        return known;
    known = g_memdup2(value, sizeof *value);
    g_hash_table_add(st->hellos, known);
    return known;
}

static uint32_t *seen_count(void *ctx, const tlsa_conv_t *conv, tlsa_side_t side, uint64_t position,
                            uint32_t extra, bool create)
{
    env_state_t *st = ctx;
    char *key = g_strdup_printf("%p/%d/%" G_GUINT64_FORMAT "/%u", (const void *)conv, (int)side, position, extra);
    uint32_t *count = g_hash_table_lookup(st->seen, key);
    if (count || !create) {
        g_free(key);
        return count;
    }
    count = g_new0(uint32_t, 1);
    g_hash_table_insert(st->seen, key, count);
    return count;
}

static env_state_t state;
static tlsa_frame_env_t env = { .ctx = &state, .new_note = new_note, .intern = intern,
                                 .intern_hello = intern_hello, .seen_count = seen_count };

static void env_reset(void)
{
    if (state.notes) {
        g_ptr_array_free(state.notes, TRUE);
        g_hash_table_destroy(state.strings);
        g_hash_table_destroy(state.seen);
        g_hash_table_destroy(state.hellos);
    }
    state.notes = g_ptr_array_new_with_free_func(g_free);
    state.strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    state.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    state.hellos = g_hash_table_new_full(hello_hash, hello_equal, g_free, NULL);
    state.interned = 0;
}

/* --- frames ----------------------------------------------------------------- */

static tlsa_frame_t frame;
static tlsa_frame_alert_t alerts[8];
static tlsa_record_t out[9];
static uint32_t frame_no;

static void conv_init(tlsa_conv_t *conv, tlsa_protocol_t protocol)
{
    memset(conv, 0, sizeof *conv);
    conv->id = 1;
    tlsa_tracker_init(&conv->tracker, protocol, -1);
    conv->outcome = (uint8_t)tlsa_tracker_outcome(&conv->tracker);
}

static void frame_begin(tlsa_protocol_t protocol)
{
    memset(&frame, 0, sizeof frame);
    memset(alerts, 0, sizeof alerts);
    frame.frame = ++frame_no;
    frame.time_sec = 1700000000 + frame_no;
    frame.time_nsec = 1000 * (int32_t)frame_no;
    frame.protocol = protocol;
    frame.alerts = alerts;
}

static tlsa_event_t *event(tlsa_event_kind_t kind, uint32_t arg)
{
    tlsa_event_t *ev = &frame.before[frame.n_before++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->arg = arg;
    ev->cipher = -1;
    frame.has_content = frame.has_content || kind != TLSA_EV_SYN;
    if (kind == TLSA_EV_SYN)
        frame.syn = true;
    return ev;
}

static void client_hello(uint16_t offered)
{
    event(TLSA_EV_HANDSHAKE, 1)->versions = offered;
}

static void server_hello(uint16_t version, int cipher)
{
    tlsa_event_t *ev = event(TLSA_EV_HANDSHAKE, 2);
    ev->selected_version = version;
    ev->versions = tlsa_version_bit(version);
    ev->cipher = cipher;
}

/* level < 0: encrypted. TLS over TCP: position is the segment, extra 0, ordinal
 * the alert's number in it. */
static void alert_at(int level, int description, uint64_t position, uint32_t extra, uint32_t ordinal)
{
    tlsa_frame_alert_t *a = &alerts[frame.n_alerts++];
    a->record.kind = TLSA_REC_ALERT;
    a->record.frame = frame.frame;
    a->record.protocol = (uint8_t)frame.protocol;
    if (level < 0) {
        a->record.flags = TLSA_ALERT_ENCRYPTED;
    } else {
        a->record.level = (uint8_t)level;
        a->record.description = (uint8_t)description;
    }
    a->position = position;
    a->extra = extra;
    a->ordinal = ordinal;
    frame.has_content = true;
}

static void alert(int level, int description, uint64_t position, uint32_t ordinal)
{
    alert_at(level, description, position, 0, ordinal);
}

static void close_with(tlsa_event_kind_t kind)
{
    frame.after[frame.n_after++] = (tlsa_event_t){ .kind = kind, .cipher = -1 };
    if (kind == TLSA_EV_FIN)
        frame.fin = true;
    else
        frame.rst = true;
}

static unsigned decide(tlsa_conv_t *conv, tlsa_side_t side)
{
    memset(out, 0xab, sizeof out);
    return tlsa_decide_frame(conv, side, &frame, &env, out);
}

/* A TLS conversation whose client (side A) sent its ClientHello. */
static void after_client_hello(tlsa_conv_t *conv, uint16_t offered)
{
    conv_init(conv, TLSA_PROTO_TLS);
    frame_begin(TLSA_PROTO_TLS);
    client_hello(offered);
    decide(conv, A);
}

/* ... and whose server (side B) answered with a TLS 1.2 ServerHello. */
static void after_server_hello(tlsa_conv_t *conv)
{
    after_client_hello(conv, TLSA_V_TLS12);
    frame_begin(TLSA_PROTO_TLS);
    server_hello(0x0303, 0xc02f);
    decide(conv, B);
}

#define OUTCOME_RECORD(rec, kind_, from, to)                                          \
    CHECK((rec).kind == (kind_) && (rec).outcome_from == (from) && (rec).outcome_to == (to), \
          "record kind %u %u -> %u", (rec).kind, (rec).outcome_from, (rec).outcome_to)

/* --- cases ------------------------------------------------------------------ */

static void first_frame_yields_a_conversation_record(void)
{
    tlsa_conv_t conv;
    conv_init(&conv, TLSA_PROTO_TLS);
    frame_begin(TLSA_PROTO_TLS);
    event(TLSA_EV_SYN, 0);
    CHECK(tlsa_frame_is_relevant(&frame), "a SYN is relevant");
    CHECK(tlsa_frame_starts_conversation(&frame, true), "a SYN to a TLS port starts one");
    CHECK(!tlsa_frame_starts_conversation(&frame, false), "a SYN elsewhere does not");
    unsigned n = decide(&conv, A);
    CHECK(n == 1, "n %u", n);
    OUTCOME_RECORD(out[0], TLSA_REC_CONVERSATION, TLSA_OUTCOME_COUNT, TLSA_OUTCOME_INCOMPLETE);
    CHECK(out[0].conv == &conv && out[0].frame == frame.frame,
          "record identity");
    CHECK(conv.last_frame == frame.frame && conv.last_sec == frame.time_sec, "last frame");
    CHECK(conv.tracker.client == A, "the SYN sender is the client");

    /* The next frame changes nothing: no record at all. */
    frame_begin(TLSA_PROTO_TLS);
    frame.has_content = false;
    CHECK(!tlsa_frame_is_relevant(&frame), "an empty frame is not relevant");
    client_hello(TLSA_V_TLS12);
    n = decide(&conv, A);
    CHECK(n == 0, "no outcome change: n %u", n);
    CHECK(out[0].kind != TLSA_REC_CONVERSATION, "nothing written");
}

/* The server's ServerHello and its alert in one frame: the alert is given the
 * stage after the hello, then the outcome record follows it. */
static void alert_after_the_events_of_its_frame(void)
{
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS12 | TLSA_V_TLS13);

    frame_begin(TLSA_PROTO_TLS);
    server_hello(0x0303, 0xc02f);
    alert(2, 40, 1000, 0);
    unsigned n = decide(&conv, B);
    CHECK(n == 2, "n %u", n);
    CHECK(out[0].kind == TLSA_REC_ALERT && out[0].sender == TLSA_SENDER_SERVER &&
          out[0].stage == TLSA_STAGE_AFTER_SERVER_FLIGHT && out[0].conv == &conv, "alert record");
    OUTCOME_RECORD(out[1], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ALERT_BY_SERVER);
    CHECK(out[1].stage == TLSA_STAGE_AFTER_SERVER_FLIGHT, "outcome stage");
    CHECK(out[0].history_len == 3 && out[1].history_len == 3, "history %u %u (%s)",
          out[0].history_len, out[1].history_len, conv.tracker.history);
    CHECK_STR(conv.tracker.history, "Csl");
}

/* TLS 1.2: the server's ChangeCipherSpec completes the handshake, and the
 * encrypted alert in the same frame counts as after completion. */
static void alert_in_the_frame_that_completes(void)
{
    tlsa_conv_t conv;
    after_server_hello(&conv);
    frame_begin(TLSA_PROTO_TLS);
    event(TLSA_EV_CCS, 0);
    decide(&conv, A);

    frame_begin(TLSA_PROTO_TLS);
    event(TLSA_EV_CCS, 0);
    alert(-1, 0, 2000, 0);
    unsigned n = decide(&conv, B);
    CHECK(n == 2, "n %u", n);
    CHECK(out[0].kind == TLSA_REC_ALERT && tlsa_alert_is_encrypted(&out[0]) &&
          out[0].stage == TLSA_STAGE_ESTABLISHED, "encrypted alert after completion, stage %u", out[0].stage);
    OUTCOME_RECORD(out[1], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ESTABLISHED);
}

/* An alert and a FIN in one segment: the alert comes first, so the close
 * does not turn the handshake into an abort. */
static void alert_before_the_close_of_its_frame(void)
{
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS11);

    frame_begin(TLSA_PROTO_TLS);
    alert(2, 70, 500, 0);
    close_with(TLSA_EV_FIN);
    unsigned n = decide(&conv, B);
    CHECK(n == 2, "n %u", n);
    CHECK(out[0].stage == TLSA_STAGE_AFTER_CLIENT_HELLO && out[0].sender == TLSA_SENDER_SERVER, "alert");
    OUTCOME_RECORD(out[1], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ALERT_BY_SERVER);

    /* Without the alert the same close is an abort after the ClientHello. */
    tlsa_conv_t other;
    after_client_hello(&other, TLSA_V_TLS11);
    frame_begin(TLSA_PROTO_TLS);
    close_with(TLSA_EV_RST);
    n = decide(&other, B);
    CHECK(n == 1, "n %u", n);
    OUTCOME_RECORD(out[0], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
}

/* A retransmitted or mirrored alert record: marked, not fed, no outcome change. */
static void duplicates_are_marked_and_not_fed(void)
{
    tlsa_conv_t conv;
    after_server_hello(&conv);

    frame_begin(TLSA_PROTO_TLS);
    alert(2, 48, 7777, 0);
    unsigned n = decide(&conv, A);
    CHECK(n == 2 && !(out[0].flags & TLSA_ALERT_DUPLICATE), "first copy: n %u", n);
    CHECK(conv.tracker.alerts_count == 1, "fed once");
    unsigned notes = state.notes->len;

    frame_begin(TLSA_PROTO_TLS);
    alert(2, 48, 7777, 0);
    n = decide(&conv, A);
    CHECK(n == 1, "the copy yields its alert record only: n %u", n);
    CHECK((out[0].flags & TLSA_ALERT_DUPLICATE) && out[0].sender == TLSA_SENDER_CLIENT &&
          out[0].stage == TLSA_STAGE_AFTER_SERVER_FLIGHT && out[0].conv == &conv, "duplicate record");
    CHECK(conv.tracker.alerts_count == 1 && state.notes->len == notes, "not fed again");

    /* The same position from the other side is another record. */
    frame_begin(TLSA_PROTO_TLS);
    alert(2, 48, 7777, 0);
    n = decide(&conv, B);
    CHECK(!(out[0].flags & TLSA_ALERT_DUPLICATE) && out[0].sender == TLSA_SENDER_SERVER, "other direction");
    CHECK(conv.tracker.alerts_count == 2, "fed");
}

/* Several alerts in one frame keep their order; the first failure decides. */
static void several_alerts_in_one_frame(void)
{
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS12);

    frame_begin(TLSA_PROTO_TLS);
    alert(1, 0, 900, 0);   /* close_notify: not a failure */
    alert(2, 40, 900, 1);  /* handshake_failure */
    alert(2, 80, 900, 2);  /* internal_error */
    unsigned n = decide(&conv, B);
    CHECK(n == 4, "n %u", n);
    CHECK(out[0].description == 0 && out[1].description == 40 && out[2].description == 80, "order");
    for (unsigned i = 0; i < 3; i++)
        CHECK(out[i].kind == TLSA_REC_ALERT && out[i].sender == TLSA_SENDER_SERVER &&
              !(out[i].flags & TLSA_ALERT_DUPLICATE), "alert %u", i);
    OUTCOME_RECORD(out[3], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ALERT_BY_SERVER);
    CHECK(conv.tracker.first_failure && conv.tracker.first_failure->description == 40, "first failure");
    CHECK(conv.tracker.alerts_count == 3, "three notes");
    CHECK_STR(conv.tracker.history, "Clll");
}

/* QUIC endpoints repeat CONNECTION_CLOSE while closing: one alert per
 * connection and sender (the extractor keys it on the code). */
static void quic_repeats_count_once(void)
{
    tlsa_conv_t conv;
    conv_init(&conv, TLSA_PROTO_QUIC);
    frame_begin(TLSA_PROTO_QUIC);
    client_hello(TLSA_V_TLS13);
    unsigned n = decide(&conv, A);
    OUTCOME_RECORD(out[0], TLSA_REC_CONVERSATION, TLSA_OUTCOME_COUNT, TLSA_OUTCOME_INCOMPLETE);
    CHECK(out[0].protocol == TLSA_PROTO_QUIC && n == 1, "protocol");

    for (int copy = 0; copy < 3; copy++) {
        frame_begin(TLSA_PROTO_QUIC);
        alert_at(2, 120, 0, 0x100 | 120, 0);
        n = decide(&conv, B);
        if (copy == 0) {
            CHECK(n == 2 && !(out[0].flags & TLSA_ALERT_DUPLICATE), "first CONNECTION_CLOSE: n %u", n);
            OUTCOME_RECORD(out[1], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ALERT_BY_SERVER);
        } else {
            CHECK(n == 1 && (out[0].flags & TLSA_ALERT_DUPLICATE), "repeat %d: n %u", copy, n);
        }
    }
    CHECK(conv.tracker.alerts_count == 1, "one alert");
}

/* A frame of no tracked conversation (not IP, not TCP/UDP): its alerts pass
 * through unchanged, without conversation. */
static void alerts_without_conversation(void)
{
    frame_begin(TLSA_PROTO_TLS);
    alert(2, 50, 1, 0);
    alert(-1, 0, 1, 1);
    unsigned n = decide(NULL, A);
    CHECK(n == 2, "n %u", n);
    CHECK(out[0].conv == NULL && out[0].description == 50 && out[0].sender == TLSA_SENDER_UNKNOWN &&
          out[0].history_len == 0, "first");
    CHECK(out[1].conv == NULL && tlsa_alert_is_encrypted(&out[1]), "second");
    CHECK(tlsa_frame_starts_conversation(&frame, false), "alerts start a conversation");
}

/* A TLS 1.3 ClientHello frame from side A with these details (NULL: absent). */
static void hello_frame(tlsa_conv_t *conv, const char *sni, const char *ja3, const char *ja4, const char *ja3s)
{
    frame_begin(TLSA_PROTO_TLS);
    client_hello(TLSA_V_TLS13);
    frame.sni = sni;
    frame.ja3 = ja3;
    frame.ja4 = ja4;
    frame.ja3s = ja3s;
    decide(conv, A);
}

/* Hello details: the first value seen is kept, interned once. */
static void hello_details_first_wins(void)
{
    tlsa_conv_t conv;
    conv_init(&conv, TLSA_PROTO_TLS);
    hello_frame(&conv, "first.example", "abc", NULL, NULL);
    hello_frame(&conv, "second.example", NULL, "t13d", "");
    CHECK_STR(tlsa_conv_sni(&conv), "first.example");
    CHECK_STR(tlsa_conv_ja3(&conv), "abc");
    CHECK_STR(tlsa_conv_ja4(&conv), "t13d");
    CHECK(conv.ja3s == NULL, "an empty value is not kept");

    /* Another client saying the same shares the one kept value. */
    tlsa_conv_t other;
    conv_init(&other, TLSA_PROTO_TLS);
    hello_frame(&other, "first.example", "abc", "t13d", NULL);
    CHECK(other.hello == conv.hello, "one ClientHello value, kept once");
    CHECK(g_hash_table_size(state.hellos) == 2, "kept: {first.example, abc}, then with t13d, and no more (%u)",
          g_hash_table_size(state.hellos));
}

/* Issue 14 part 4: the first bytes of a real ClientHello record (the
 * tests/oracle cut-hello client's: OpenSSL 3.0 through Python's ssl), and
 * what must not pass for one. */
static void client_hello_start_in_payload(void)
{
    static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 };
    CHECK(tlsa_payload_starts_client_hello(hello, sizeof hello), "a ClientHello record");
    CHECK(tlsa_payload_starts_client_hello(hello, 6), "six bytes are enough");
    CHECK(!tlsa_payload_starts_client_hello(hello, 5), "a record header alone is not");
    uint8_t x[sizeof hello];
    memcpy(x, hello, sizeof x); x[5] = 2;
    CHECK(!tlsa_payload_starts_client_hello(x, sizeof x), "a ServerHello is not");
    memcpy(x, hello, sizeof x); x[0] = 0x17;
    CHECK(!tlsa_payload_starts_client_hello(x, sizeof x), "application data is not");
    memcpy(x, hello, sizeof x); x[1] = 0x47; /* "GET" would fail at byte 0 already */
    CHECK(!tlsa_payload_starts_client_hello(x, sizeof x), "a non-TLS version is not");
    memcpy(x, hello, sizeof x); x[9] = 0x7f;
    CHECK(!tlsa_payload_starts_client_hello(x, sizeof x), "a hello with a strange legacy version is not");
    memcpy(x, hello, sizeof x); x[3] = 0; x[4] = 2;
    CHECK(!tlsa_payload_starts_client_hello(x, sizeof x), "a record too short for a handshake header is not");

    /* The frame that carries it starts a conversation and makes it a failed
     * handshake when the connection then closes. */
    tlsa_conv_t conv;
    conv_init(&conv, TLSA_PROTO_TLS);
    frame_begin(TLSA_PROTO_TLS);
    frame.hello_begun = true;
    frame.before[frame.n_before++] = (tlsa_event_t){ .kind = TLSA_EV_HELLO_BEGUN, .cipher = -1 };
    CHECK(tlsa_frame_is_relevant(&frame), "relevant");
    CHECK(tlsa_frame_starts_conversation(&frame, false), "starts a conversation on any port");
    decide(&conv, A);
    frame_begin(TLSA_PROTO_TLS);
    close_with(TLSA_EV_FIN);
    unsigned n = decide(&conv, A);
    CHECK(n == 1, "n %u", n);
    OUTCOME_RECORD(out[0], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
    CHECK(out[0].stage == TLSA_STAGE_AFTER_CLIENT_HELLO, "stage %u", out[0].stage);
}

/* Issue 14 part 5: ClientHello and FIN in the client's frames, the server's
 * flight after them: the outcome record names the stage at the FIN. */
static void close_before_the_flight(void)
{
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS13);
    frame_begin(TLSA_PROTO_TLS);
    close_with(TLSA_EV_FIN);
    decide(&conv, A);
    frame_begin(TLSA_PROTO_TLS);
    server_hello(0x0304, 0x1301);
    event(TLSA_EV_OPAQUE, 1100);
    unsigned n = decide(&conv, B);
    /* The outcome stays; the record only says the row's version changed. */
    CHECK(n == 1, "n %u", n);
    OUTCOME_RECORD(out[0], TLSA_REC_OUTCOME, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO,
                   TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
    CHECK(tlsa_conv_outcome(&conv) == TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO, "outcome %s",
          tlsa_outcome_name(tlsa_conv_outcome(&conv)));
    frame_begin(TLSA_PROTO_TLS);
    event(TLSA_EV_OPAQUE, 300);
    n = decide(&conv, B);
    CHECK(n == 0, "more of the flight changes nothing: n %u", n);
}

/* The de-duplication rule on its own: what was seen of a position is always
 * alerts 0 .. count - 1. */
static void seen_ordinal_rule(void)
{
    uint32_t count = 0;
    CHECK(!tlsa_seen_ordinal(&count, 0) && count == 1, "first alert new, count %u", count);
    CHECK(tlsa_seen_ordinal(&count, 0) && count == 1, "same alert again seen");
    CHECK(!tlsa_seen_ordinal(&count, 1) && !tlsa_seen_ordinal(&count, 2) && count == 3, "more: new");
    CHECK(tlsa_seen_ordinal(&count, 2) && tlsa_seen_ordinal(&count, 1) && count == 3, "retransmitted");
    count = UINT32_MAX;
    CHECK(tlsa_seen_ordinal(&count, UINT32_MAX - 1) && !tlsa_seen_ordinal(&count, UINT32_MAX) &&
          count == UINT32_MAX, "saturates");
}

/* An alert flood: a segment of 9,000 identical alerts is one record standing
 * for all of them, and one entry in the memory of what was seen; counts stay
 * exact (the tracker is fed every alert), a retransmission of the segment is
 * one duplicate record, and a repacketized one with one alert more yields
 * that alert alone. */
#define FLOOD 9000
static void identical_alerts_are_one_record(void)
{
    static tlsa_frame_alert_t flood[FLOOD + 1];
    static tlsa_record_t flood_out[FLOOD + 2];
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS12);
    unsigned seen_before = g_hash_table_size(state.seen);

    for (int round = 0; round < 3; round++) {
        unsigned count = round == 2 ? FLOOD + 1 : FLOOD;
        frame_begin(TLSA_PROTO_TLS);
        frame.alerts = flood;
        memset(flood, 0, sizeof flood);
        for (unsigned i = 0; i < count; i++) {
            tlsa_frame_alert_t *a = &flood[frame.n_alerts++];
            a->record.kind = TLSA_REC_ALERT;
            a->record.frame = frame.frame;
            a->record.protocol = TLSA_PROTO_TLS;
            a->record.level = 1;
            a->record.description = 112; /* unrecognized_name, warning */
            a->position = 4242;
            a->ordinal = i;
        }
        frame.has_content = true;
        unsigned n = tlsa_decide_frame(&conv, B, &frame, &env, flood_out);
        const tlsa_record_t *r = flood_out;
        if (round == 0) {
            CHECK(n == 2, "one alert record and the outcome record: n %u", n);
            CHECK(r[0].kind == TLSA_REC_ALERT && tlsa_record_alerts(&r[0]) == FLOOD && !(r[0].flags & TLSA_ALERT_DUPLICATE) &&
                  r[0].sender == TLSA_SENDER_SERVER && r[0].description == 112,
                  "alerts %" G_GUINT64_FORMAT, tlsa_record_alerts(&r[0]));
            OUTCOME_RECORD(r[1], TLSA_REC_OUTCOME, TLSA_OUTCOME_INCOMPLETE, TLSA_OUTCOME_ALERT_BY_SERVER);
            CHECK(tlsa_record_alerts(&r[1]) == 0, "an outcome record is no alert");
        } else if (round == 1) {
            CHECK(n == 1 && (r[0].flags & TLSA_ALERT_DUPLICATE) && tlsa_record_alerts(&r[0]) == FLOOD,
                  "retransmission: one duplicate record, n %u", n);
        } else {
            CHECK(n == 2, "repacketized: n %u", n);
            CHECK((r[0].flags & TLSA_ALERT_DUPLICATE) && tlsa_record_alerts(&r[0]) == FLOOD, "old ones duplicates");
            CHECK(!(r[1].flags & TLSA_ALERT_DUPLICATE) && tlsa_record_alerts(&r[1]) == 1, "the new one counted");
        }
    }
    CHECK(conv.tracker.alerts_count == FLOOD + 1, "every alert fed: %u", conv.tracker.alerts_count);
    CHECK(conv.tracker.alerts_listed == TLSA_ALERTS_LISTED, "list bounded: %u", conv.tracker.alerts_listed);
    /* The segment's count is held by the note of its first alert, the
     * head of the list: the environment keeps nothing for it. */
    CHECK(conv.tracker.alerts && conv.tracker.alerts->seen_count == FLOOD + 1 &&
          conv.tracker.alerts->seen_position == 4242, "the first note holds the segment's count: %u",
          conv.tracker.alerts ? conv.tracker.alerts->seen_count : 0);
    CHECK(g_hash_table_size(state.seen) == seen_before, "no de-duplication entry of the environment: %u",
          g_hash_table_size(state.seen) - seen_before);
}

/* Where a place's count is kept: in the note of its first alert while the
 * conversation's alert list has room, in the environment past it (and for a
 * first failure kept past the list). Either way a copy of any of them is a
 * duplicate, and a new alert at a known place is not. */
static void places_past_the_note_list(void)
{
    tlsa_conv_t conv;
    after_server_hello(&conv);
    unsigned seen_before = g_hash_table_size(state.seen);
    const unsigned places = TLSA_ALERTS_LISTED + 10;
    for (unsigned p = 0; p < places; p++) {
        frame_begin(TLSA_PROTO_TLS);
        alert(1, 90, 1000 + p, 0); /* user_canceled: no failure */
        decide(&conv, B);
    }
    frame_begin(TLSA_PROTO_TLS);
    alert(2, 40, 5000, 0); /* the first failure, past the list */
    decide(&conv, B);
    CHECK(conv.tracker.alerts_listed == TLSA_ALERTS_LISTED && conv.tracker.first_failure &&
          conv.tracker.first_failure->description == 40, "listed %u, first failure kept", conv.tracker.alerts_listed);
    CHECK(g_hash_table_size(state.seen) == seen_before + 11, "the environment counts the places past the list: %u",
          g_hash_table_size(state.seen) - seen_before);

    unsigned dups = 0, fed = conv.tracker.alerts_count;
    for (unsigned p = 0; p < places; p++) {
        frame_begin(TLSA_PROTO_TLS);
        alert(1, 90, 1000 + p, 0);
        decide(&conv, B);
        dups += (out[0].flags & TLSA_ALERT_DUPLICATE) != 0;
    }
    frame_begin(TLSA_PROTO_TLS);
    alert(2, 40, 5000, 0);
    decide(&conv, B);
    dups += (out[0].flags & TLSA_ALERT_DUPLICATE) != 0;
    CHECK(dups == places + 1 && conv.tracker.alerts_count == fed, "every copy a duplicate: %u of %u", dups,
          places + 1);

    /* A second alert in a known segment, listed or not, is new; then both are known. */
    unsigned known[2] = { 1000, 1000 + places - 1 };
    for (unsigned k = 0; k < 2; k++) {
        frame_begin(TLSA_PROTO_TLS);
        alert(1, 90, known[k], 0);
        alert(1, 0, known[k], 1);
        decide(&conv, B);
        CHECK((out[0].flags & TLSA_ALERT_DUPLICATE) && !(out[1].flags & TLSA_ALERT_DUPLICATE),
              "segment %u: the old alert a duplicate, the new one counted", known[k]);
        frame_begin(TLSA_PROTO_TLS);
        alert(1, 90, known[k], 0);
        alert(1, 0, known[k], 1);
        decide(&conv, B);
        CHECK((out[0].flags & TLSA_ALERT_DUPLICATE) && (out[1].flags & TLSA_ALERT_DUPLICATE),
              "segment %u again: both duplicates", known[k]);
    }
    CHECK(conv.tracker.alerts_count == fed + 2, "fed the two new ones: %u", conv.tracker.alerts_count - fed);
    /* The other side's alerts at the same places are other places. */
    frame_begin(TLSA_PROTO_TLS);
    alert(1, 90, 1000, 0);
    decide(&conv, A);
    CHECK(!(out[0].flags & TLSA_ALERT_DUPLICATE), "the other direction");
}

/* Only identical neighbours merge: a different alert in between starts a new
 * record, and so do a different sender and the encrypted flag. */
static void runs_break_on_any_difference(void)
{
    tlsa_conv_t conv;
    after_client_hello(&conv, TLSA_V_TLS12);
    frame_begin(TLSA_PROTO_TLS);
    alert(1, 112, 50, 0);
    alert(1, 112, 50, 1);
    alert(1, 0, 50, 2);
    alert(1, 112, 50, 3);
    alert(-1, 0, 50, 4);
    alert(-1, 0, 50, 5);
    unsigned n = decide(&conv, B);
    CHECK(n == 5, "four alert records and the outcome: n %u", n);
    CHECK(tlsa_record_alerts(&out[0]) == 2 && out[0].description == 112, "run of two");
    CHECK(tlsa_record_alerts(&out[1]) == 1 && out[1].description == 0, "close_notify apart");
    CHECK(tlsa_record_alerts(&out[2]) == 1 && out[2].description == 112, "then one again");
    CHECK(tlsa_record_alerts(&out[3]) == 2 && tlsa_alert_is_encrypted(&out[3]), "two encrypted");
    CHECK(out[4].kind == TLSA_REC_OUTCOME, "outcome last");
    CHECK(conv.tracker.alerts_count == 6, "six fed");

    /* Without a conversation, runs merge too. */
    frame_begin(TLSA_PROTO_TLS);
    alert(2, 40, 60, 0);
    alert(2, 40, 60, 1);
    alert(2, 40, 60, 2);
    n = decide(NULL, A);
    CHECK(n == 1 && tlsa_record_alerts(&out[0]) == 3 && out[0].conv == NULL, "no conversation: n %u", n);
}

int main(void)
{
    env_reset();
    first_frame_yields_a_conversation_record();
    alert_after_the_events_of_its_frame();
    alert_in_the_frame_that_completes();
    alert_before_the_close_of_its_frame();
    duplicates_are_marked_and_not_fed();
    several_alerts_in_one_frame();
    quic_repeats_count_once();
    alerts_without_conversation();
    hello_details_first_wins();
    client_hello_start_in_payload();
    close_before_the_flight();
    seen_ordinal_rule();
    identical_alerts_are_one_record();
    places_past_the_note_list();
    runs_break_on_any_difference();
    int rc = check_report("test_frame_decision");
    env_reset();
    g_ptr_array_free(state.notes, TRUE);
    g_hash_table_destroy(state.strings);
    g_hash_table_destroy(state.seen);
    return rc;
}
