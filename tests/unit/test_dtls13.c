/* test_dtls13.c — DTLS 1.3 records read from a datagram's bytes (the rule the
 * plugin applies where Wireshark does not dissect the unified header), the
 * HelloRetryRequest test, and the tracker on the record sequences of
 * captures/dtls13.pcapng (wolfSSL 5.9). */
#include "check.h"

#include <string.h>

#include "dtls13_records.h"
#include "frame_decision.h"
#include "handshake_tracker.h"

#define A TLSA_SIDE_A
#define B TLSA_SIDE_B

static const uint8_t HRR[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* Builders: a datagram assembled record by record. */
static uint8_t dgram[2048];
static size_t dlen;

static void put(const void *p, size_t n)
{
    memcpy(dgram + dlen, p, n);
    dlen += n;
}

static void put16(unsigned v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    put(b, 2);
}

/* unified header 001CSLEE with a 16-bit sequence number and a length, then len bytes */
static void unified(size_t len, bool with_length)
{
    uint8_t first = (uint8_t)(0x20 | 0x08 | (with_length ? 0x04 : 0) | 0x02);
    put(&first, 1);
    put16(0x1234);
    if (with_length)
        put16((unsigned)len);
    for (size_t i = 0; i < len; i++)
        dgram[dlen++] = (uint8_t)(0xa5 ^ i);
}

/* DTLSPlaintext header: type, version fefd, epoch 0, sequence, length */
static void plain_header(uint8_t type, size_t len)
{
    uint8_t h[11] = { type, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1 };
    put(h, sizeof h);
    put16((unsigned)len);
}

/* A ServerHello record: handshake header (12 bytes), version, random, empty
 * session id, suite, compression, supported_versions(0xfefc). */
static void server_hello_record(const uint8_t random[32], unsigned suite)
{
    size_t body = 2 + 32 + 1 + 2 + 1 + 2 + 6;
    plain_header(22, 12 + body);
    uint8_t hh[12] = { 2, 0, 0, (uint8_t)body, 0, 0, 0, 0, 0, 0, 0, (uint8_t)body };
    put(hh, sizeof hh);
    put16(0xfefd);
    put(random, 32);
    uint8_t sid = 0;
    put(&sid, 1);
    put16(suite);
    uint8_t comp = 0;
    put(&comp, 1);
    put16(6);
    put16(43);
    put16(2);
    put16(0xfefc);
}

static void unified_header_rule(void)
{
    CHECK(tlsa_dtls13_is_unified(0x2e), "0x2e is a unified header");
    CHECK(tlsa_dtls13_is_unified(0x3f), "0x3f is a unified header");
    CHECK(!tlsa_dtls13_is_unified(0x16), "a plaintext handshake record is not");
    CHECK(!tlsa_dtls13_is_unified(0x17), "application data (DTLS 1.2) is not");
    CHECK(!tlsa_dtls13_is_unified(0x40), "0x40 is not");

    size_t h, len;
    dlen = 0;
    unified(19, true);
    CHECK(tlsa_dtls13_unified_header(dgram, dlen, &h, &len) && h == 5 && len == 19, "h %zu len %zu", h, len);
    dlen = 0;
    unified(30, false);
    CHECK(tlsa_dtls13_unified_header(dgram, dlen, &h, &len) && h == 3 && len == 30,
          "no length field: the rest of the datagram (h %zu len %zu)", h, len);
    dlen = 0;
    unified(19, true);
    CHECK(!tlsa_dtls13_unified_header(dgram, dlen - 1, &h, &len), "a record cut short");
    uint8_t cid[8] = { 0x3e, 1, 2, 3, 4, 0, 2, 0 };
    CHECK(!tlsa_dtls13_unified_header(cid, sizeof cid, &h, &len), "a connection ID: not read");
}

static void hello_retry_random(void)
{
    uint8_t other[32];
    memcpy(other, HRR, 32);
    other[31] ^= 1;
    CHECK(tlsa_is_hello_retry_random(HRR, 32), "the RFC 8446 value");
    CHECK(!tlsa_is_hello_retry_random(other, 32), "one bit off");
    CHECK(!tlsa_is_hello_retry_random(HRR, 31), "too short");
}

static void scan_datagrams(void)
{
    tlsa_dtls13_rec_t r[8];
    uint8_t random[32] = { 1, 2, 3 };

    /* The server's first datagram: plaintext ServerHello, then two encrypted records. */
    dlen = 0;
    server_hello_record(random, 0x1302);
    unified(31, true);
    unified(491, true);
    size_t n = tlsa_dtls13_scan(dgram, dlen, r, 8);
    CHECK(n == 3, "records %zu", n);
    CHECK(r[0].kind == TLSA_DTLS13_REC_PLAIN && r[0].content_type == 22 && r[0].hs_type == 2 && !r[0].hello_retry,
          "ServerHello");
    CHECK(r[0].selected_version == 0xfefc && r[0].cipher == 0x1302, "version %#x cipher %#x",
          r[0].selected_version, (unsigned)r[0].cipher);
    CHECK(r[1].kind == TLSA_DTLS13_REC_UNIFIED && r[1].length == 31 && r[2].length == 491, "lengths");

    /* An encrypted alert alone. */
    dlen = 0;
    unified(19, true);
    n = tlsa_dtls13_scan(dgram, dlen, r, 8);
    CHECK(n == 1 && r[0].kind == TLSA_DTLS13_REC_UNIFIED && r[0].length == 19, "alert-sized record");

    /* A HelloRetryRequest followed by an encrypted record (not on the wire in
     * the capture, but the rule is the same). */
    dlen = 0;
    server_hello_record(HRR, 0x1301);
    unified(20, false);
    n = tlsa_dtls13_scan(dgram, dlen, r, 8);
    CHECK(n == 2 && r[0].hello_retry && r[0].cipher == 0x1301, "HelloRetryRequest");

    /* Not DTLS 1.3 through and through: left alone. */
    dlen = 0;
    server_hello_record(random, 0x1302);
    CHECK(tlsa_dtls13_scan(dgram, dlen, r, 8) == 0, "plaintext only (Wireshark dissects that)");
    dlen = 0;
    unified(19, true);
    dgram[dlen++] = 0;
    CHECK(tlsa_dtls13_scan(dgram, dlen, r, 8) == 0, "a trailing byte");
    uint8_t rtp[12] = { 0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    CHECK(tlsa_dtls13_scan(rtp, sizeof rtp, r, 8) == 0, "RTP");
    uint8_t dns[12] = { 0x2e, 0x1b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
    CHECK(tlsa_dtls13_scan(dns, sizeof dns, r, 8) == 0, "a DNS query whose id starts 001: what follows is no record");
    /* Without a length field any datagram starting 001 reads as one record:
     * only the conversation rule (tlsa_dtls13_records_apply) keeps such
     * traffic out. */
    dns[0] = 0x2a;
    CHECK(tlsa_dtls13_scan(dns, sizeof dns, r, 8) == 1 && r[0].length == 9, "one record of 9 bytes");
    dlen = 0;
    for (int i = 0; i < 9; i++)
        unified(1, true);
    CHECK(tlsa_dtls13_scan(dgram, dlen, r, 8) == 0, "more records than room");
}

static uint32_t frame;

static void feed(tlsa_tracker_t *t, tlsa_event_kind_t kind, tlsa_side_t side, uint32_t arg)
{
    tlsa_event_t e = { .kind = kind, .side = side, .arg = arg, .frame = ++frame, .cipher = -1 };
    tlsa_tracker_feed(t, &e, NULL);
}

static void client_hello(tlsa_tracker_t *t)
{
    tlsa_event_t e = { .kind = TLSA_EV_HANDSHAKE, .side = A, .arg = 1, .frame = ++frame, .cipher = -1,
                       .versions = TLSA_V_DTLS13 };
    tlsa_tracker_feed(t, &e, NULL);
}

static void server_hello(tlsa_tracker_t *t, unsigned type)
{
    tlsa_event_t e = { .kind = TLSA_EV_HANDSHAKE, .side = B, .arg = type, .frame = ++frame, .cipher = 0x1302,
                       .selected_version = 0xfefc, .versions = TLSA_V_DTLS13 };
    tlsa_tracker_feed(t, &e, NULL);
}

#define OUTCOME(t, expected) \
    CHECK(tlsa_tracker_outcome(t) == (expected), "outcome %s, expected %s", \
          tlsa_outcome_name(tlsa_tracker_outcome(t)), tlsa_outcome_name(expected))

/* Record lengths of captures/dtls13.pcapng (TLS_AES_256_GCM_SHA384). */
static void dtls13_completed(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_DTLS, -1);
    client_hello(&t);
    server_hello(&t, 2);
    feed(&t, TLSA_EV_OPAQUE, B, 31);  /* EncryptedExtensions */
    feed(&t, TLSA_EV_OPAQUE, B, 491); /* Certificate */
    feed(&t, TLSA_EV_OPAQUE, B, 103); /* CertificateVerify */
    feed(&t, TLSA_EV_OPAQUE, B, 77);  /* Finished */
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    feed(&t, TLSA_EV_OPAQUE, A, 77);  /* the client's Finished */
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    feed(&t, TLSA_EV_OPAQUE, B, 35);  /* ACK: alert-sized, proves nothing */
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    feed(&t, TLSA_EV_OPAQUE, B, 316); /* NewSessionTicket */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    feed(&t, TLSA_EV_OPAQUE, A, 48);
    feed(&t, TLSA_EV_OPAQUE, A, 35);
    feed(&t, TLSA_EV_OPAQUE, B, 48);
    feed(&t, TLSA_EV_OPAQUE, A, 19);  /* close_notify */
    feed(&t, TLSA_EV_OPAQUE, B, 19);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK_STR(t.history, "CsdDdDdDd");
}

static void dtls13_client_rejects(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_DTLS, -1);
    client_hello(&t);
    server_hello(&t, 2);
    feed(&t, TLSA_EV_OPAQUE, B, 31);
    feed(&t, TLSA_EV_OPAQUE, B, 496);
    feed(&t, TLSA_EV_OPAQUE, A, 19);  /* bad_certificate, encrypted */
    OUTCOME(&t, TLSA_OUTCOME_CLIENT_REJECTED_LIKELY);
    /* the rest of the server's flight, already on its way */
    feed(&t, TLSA_EV_OPAQUE, B, 103);
    feed(&t, TLSA_EV_OPAQUE, B, 77);
    OUTCOME(&t, TLSA_OUTCOME_CLIENT_REJECTED_LIKELY);

    /* The same records in TLS 1.3 rules would read as established: the
     * server sent a large record after the client's first one. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tlsa_event_t ch = { .kind = TLSA_EV_HANDSHAKE, .side = A, .arg = 1, .cipher = -1, .versions = TLSA_V_TLS13 };
    tlsa_tracker_feed(&t, &ch, NULL);
    tlsa_event_t sh = { .kind = TLSA_EV_HANDSHAKE, .side = B, .arg = 2, .cipher = 0x1302, .selected_version = 0x0304 };
    tlsa_tracker_feed(&t, &sh, NULL);
    feed(&t, TLSA_EV_OPAQUE, B, 496);
    feed(&t, TLSA_EV_OPAQUE, A, 19);
    feed(&t, TLSA_EV_OPAQUE, B, 103);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

static void hello_retry_history(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_DTLS, -1);
    client_hello(&t);
    server_hello(&t, 6); /* HelloRetryRequest */
    CHECK(t.hello_retry && t.seen_server_hello && t.version == 0xfefc, "HRR noted");
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    client_hello(&t);
    server_hello(&t, 2);
    feed(&t, TLSA_EV_OPAQUE, B, 491);
    feed(&t, TLSA_EV_OPAQUE, A, 77);
    feed(&t, TLSA_EV_OPAQUE, B, 316);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK_STR(t.history, "CjCsdDd");

    /* TLS 1.3 too (the plugin feeds a ServerHello with the HRR random as 6). */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tlsa_event_t ch = { .kind = TLSA_EV_HANDSHAKE, .side = A, .arg = 1, .cipher = -1, .versions = TLSA_V_TLS13 };
    tlsa_event_t hrr = { .kind = TLSA_EV_HANDSHAKE, .side = B, .arg = 6, .cipher = 0x1301, .selected_version = 0x0304 };
    tlsa_tracker_feed(&t, &ch, NULL);
    tlsa_tracker_feed(&t, &hrr, NULL);
    tlsa_tracker_feed(&t, &ch, NULL);
    CHECK_STR(t.history, "CjC");
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_AFTER_SERVER_FLIGHT, "an HRR is the server's answer");
}

static void records_need_a_dtls_conversation(void)
{
    tlsa_conv_t conv;
    memset(&conv, 0, sizeof conv);
    CHECK(!tlsa_dtls13_records_apply(NULL), "no conversation");
    tlsa_tracker_init(&conv.tracker, TLSA_PROTO_DTLS, -1);
    CHECK(!tlsa_dtls13_records_apply(&conv), "DTLS, but no ClientHello seen");
    client_hello(&conv.tracker);
    CHECK(tlsa_dtls13_records_apply(&conv), "DTLS with its ClientHello");
    tlsa_tracker_init(&conv.tracker, TLSA_PROTO_QUIC, -1);
    conv.tracker.seen_client_hello = 1;
    CHECK(!tlsa_dtls13_records_apply(&conv), "QUIC");
    tlsa_frame_t fe;
    memset(&fe, 0, sizeof fe);
    fe.dtls13_records = true;
    CHECK(tlsa_frame_is_relevant(&fe) && !tlsa_frame_starts_conversation(&fe, false),
          "relevant, but never starts a conversation");
}

int main(void)
{
    unified_header_rule();
    hello_retry_random();
    scan_datagrams();
    dtls13_completed();
    dtls13_client_rejects();
    hello_retry_history();
    records_need_a_dtls_conversation();
    return check_report("test_dtls13");
}
