/* test_tracker_stacks.c — outcomes of the client stacks that check the server
 * certificate late or pad their alerts (issue 14 part 7), on the record
 * sequences of captures/client-{nss,go,node,java}.pcapng and the captures that
 * border on the same rules (a refused renegotiation, GnuTLS's two alerts). */
#include "tracker_feed.h"

#define A TLSA_SIDE_A /* the client */
#define B TLSA_SIDE_B

/* The client offers TLS 1.2 and 1.3, the server selects VERSION and CIPHER. */
static void hello(tlsa_tracker_t *t, uint16_t version, int cipher)
{
    tf_client_hello(t, A, TLSA_V_TLS12 | TLSA_V_TLS13);
    tf_server_hello(t, B, version, cipher);
}

/* TLS 1.2 up to the client's side of the handshake: SYN, hellos, the
 * server's Certificate, ServerKeyExchange, ServerHelloDone, the client's
 * ClientKeyExchange and ChangeCipherSpec (its Finished is an encrypted
 * handshake record: no event). */
static void tls12_client_side_done(tlsa_tracker_t *t)
{
    tlsa_tracker_init(t, TLSA_PROTO_TLS, -1);
    tf_feed(t, TLSA_EV_SYN, A, 0);
    hello(t, 0x0303, 0xc02b);
    tf_feed(t, TLSA_EV_HANDSHAKE, B, 11);
    tf_feed(t, TLSA_EV_HANDSHAKE, B, 12);
    tf_feed(t, TLSA_EV_HANDSHAKE, B, 14);
    tf_feed(t, TLSA_EV_HANDSHAKE, A, 16);
    tf_feed(t, TLSA_EV_CCS, A, 0);
}

static void tls12_from_client_side(tlsa_tracker_t *t)
{
    tls12_client_side_done(t);
    tf_feed(t, TLSA_EV_CCS, B, 0);
}

/* tstclnt: one encrypted alert right after its Finished, FIN, no data. */
static void nss_tls12_rejection(void)
{
    tlsa_tracker_t t;
    /* before the server's ChangeCipherSpec and Finished arrive (client-nss 3) */
    tls12_client_side_done(&t);
    tf_alert(&t, A, -1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_CCS, B, 0);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLIENT_REJECTED_LIKELY);
    CHECK(tlsa_outcome_is_failure(tlsa_tracker_outcome(&t)), "a failed handshake");
    /* ... and no server ChangeCipherSpec at all */
    tls12_client_side_done(&t);
    tf_alert(&t, A, -1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLIENT_REJECTED_LIKELY);
    /* after them: a rejection and a polite close_notify look the same
     * (tests/oracle closed-after-hs12: openssl s_client -tls1_2 </dev/null
     * to nginx, alert, FIN both ways; nginx counts no failed handshake) */
    tls12_from_client_side(&t);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    tf_alert(&t, A, -1, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    /* with keys (client-nss 4): unknown_ca, the row agrees with its alert
     * whether the server's Finished came first or not */
    tls12_client_side_done(&t);
    tf_alert(&t, A, 2, 48);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_CCS, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    CHECK(t.first_failure && t.first_failure->description == 48 && t.first_failure->sender == TLSA_SENDER_CLIENT,
          "failure alert unknown_ca from the client");
    tls12_from_client_side(&t);
    tf_alert(&t, A, 2, 48);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    CHECK(t.first_failure && t.first_failure->stage == TLSA_STAGE_ESTABLISHED &&
          t.first_failure->sender == TLSA_SENDER_CLIENT, "failure alert after completion, from the client");
}

/* Node.js: completes, closes without alert or request; OpenSSL answers the
 * close with an alert, the client resets (client-node 3, 4). */
static void node_tls12_close_after_handshake(void)
{
    tlsa_tracker_t t;
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_HANDSHAKE, B, 4); /* NewSessionTicket before the server's CCS */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    tf_alert(&t, B, -1, 0);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    CHECK(!tlsa_outcome_is_failure(TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE), "not a failed handshake");
    CHECK(tlsa_outcome_is_handshake(TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE), "a handshake");
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_ESTABLISHED, "stage established");
    /* with keys: the server's decode_error is listed, the outcome stays */
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_alert(&t, B, 2, 50);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    CHECK(t.first_failure && t.first_failure->description == 50 && t.first_failure->sender == TLSA_SENDER_SERVER,
          "the server's alert is the failure alert");
    /* the server closes first, no data either way: the same */
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    /* a client that says close_notify (readable) and goes: closed, not failed */
    tls12_from_client_side(&t);
    tf_alert(&t, A, 1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);
    /* still open when the capture ends: established (nothing says more) */
    tls12_from_client_side(&t);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

/* Data either way, or an alert that answers the server's: the old rules. */
static void tls12_not_quiet(void)
{
    tlsa_tracker_t t;
    /* a request and an answer, then the client's encrypted close_notify */
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 61);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 4918);
    tf_alert(&t, A, -1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    /* data from the server only (it speaks first), then a bare FIN */
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 40);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    /* a refused renegotiation (multi-alert 3, 4): the server's warning
     * no_renegotiation and close_notify, then the client's handshake_failure */
    tls12_from_client_side(&t);
    tf_feed(&t, TLSA_EV_HANDSHAKE, A, 1);
    tf_alert(&t, B, 1, 100);
    tf_alert(&t, B, 1, 0);
    tf_alert(&t, A, 2, 40);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK(t.first_failure && t.first_failure->description == 100, "first failure no_renegotiation");
    tls12_from_client_side(&t);
    tf_alert(&t, B, -1, 0);
    tf_alert(&t, B, -1, 0);
    tf_alert(&t, A, -1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    /* a client alert before its ChangeCipherSpec: a plain handshake alert */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    hello(&t, 0x0303, 0xc02b);
    tf_alert(&t, A, 2, 46);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    /* DTLS 1.2 is left alone (no FIN, datagrams) */
    tlsa_tracker_init(&t, TLSA_PROTO_DTLS, -1);
    hello(&t, 0xfefd, 0xc02b);
    tf_feed(&t, TLSA_EV_CCS, A, 0);
    tf_feed(&t, TLSA_EV_CCS, B, 0);
    tf_alert(&t, A, -1, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

/* TLS 1.3: server's flight, then the client's records. */
static void tls13_flight(tlsa_tracker_t *t, int cipher)
{
    tlsa_tracker_init(t, TLSA_PROTO_TLS, -1);
    tf_feed(t, TLSA_EV_SYN, A, 0);
    hello(t, 0x0304, cipher);
    tf_feed(t, TLSA_EV_CCS, B, 0);
    tf_feed(t, TLSA_EV_OPAQUE, B, 23);
    tf_feed(t, TLSA_EV_OPAQUE, B, 477);
    tf_feed(t, TLSA_EV_OPAQUE, B, 96);
    tf_feed(t, TLSA_EV_OPAQUE, B, cipher == 0x1302 ? 69 : 53);
}

static tlsa_outcome_t client_one_record(int cipher, unsigned length)
{
    tlsa_tracker_t t;
    tls13_flight(&t, cipher);
    tf_feed(&t, TLSA_EV_CCS, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, A, length);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    return tlsa_tracker_outcome(&t);
}

static void tls13_alert_sized_follows_the_suite(void)
{
    const tlsa_outcome_t R = TLSA_OUTCOME_CLIENT_REJECTED_LIKELY, X = TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT;
    /* Java pads its alert to 35 bytes (client-java 7), others send 19 */
    CHECK(client_one_record(0x1302, 35) == R, "Java's 35-byte alert, AES-256-GCM-SHA384");
    CHECK(client_one_record(0x1301, 19) == R, "19 bytes, AES-128-GCM");
    CHECK(client_one_record(0x1303, 19) == R, "19 bytes, ChaCha20");
    /* up to the suite's smallest Finished, not including it */
    CHECK(client_one_record(0x1302, 68) == R, "68 < 69 (SHA-384 Finished)");
    CHECK(client_one_record(0x1302, 69) == X, "69: a Finished, no data after it");
    CHECK(client_one_record(0x1301, 52) == R, "52 < 53 (SHA-256 Finished)");
    CHECK(client_one_record(0x1301, 53) == X, "53: a Finished");
    CHECK(client_one_record(0x1301, 18) == X, "18: too short for an alert with a 16-byte tag");
    /* CCM_8: 8-byte tag */
    CHECK(client_one_record(0x1305, 11) == R, "11 bytes, CCM_8");
    CHECK(client_one_record(0x1305, 10) == X, "10: too short");
    CHECK(client_one_record(0x1305, 45) == X, "45: CCM_8 Finished");
    /* suite unknown: any suite's bounds */
    CHECK(client_one_record(-1, 11) == R, "unknown suite, 11");
    CHECK(client_one_record(-1, 44) == R, "unknown suite, 44");
    CHECK(client_one_record(-1, 45) == X, "unknown suite, 45");

    /* Two records (EndOfEarlyData or an empty Certificate, then Finished) are
     * not one alert. */
    tlsa_tracker_t t;
    tls13_flight(&t, 0x1301);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 21);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);

    /* Server side: answers the client's Finished with alert-sized records only
     * (GnuTLS: access_denied then bad_certificate, 19 bytes each; a padded
     * 35-byte one) -> encrypted_alert; a ticket -> established. */
    tls13_flight(&t, 0x1301);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ENCRYPTED_ALERT);
    tls13_flight(&t, 0x1302);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 35);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ENCRYPTED_ALERT);
    tls13_flight(&t, 0x1302);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 250);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19); /* the close_notify that follows */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

/* Node.js in TLS 1.3 (client-node 7, 8): FIN after the server's flight, no
 * Finished, no alert; OpenSSL answers with an alert. */
static void node_tls13_abort(void)
{
    tlsa_tracker_t t;
    tls13_flight(&t, 0x1302);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);
    tls13_flight(&t, 0x1302);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_alert(&t, B, 2, 50);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
}

int main(void)
{
    nss_tls12_rejection();
    node_tls12_close_after_handshake();
    tls12_not_quiet();
    tls13_alert_sized_follows_the_suite();
    node_tls13_abort();
    CHECK_STR(tlsa_outcome_name(TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE), "closed_after_handshake");
    return check_report("test_tracker_stacks");
}
