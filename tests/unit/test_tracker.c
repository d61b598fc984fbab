/* test_tracker.c — the handshake outcome state machine on the message
 * sequences real stacks produce (the same ones as the captures). */
#include "tracker_feed.h"

#define A TLSA_SIDE_A
#define B TLSA_SIDE_B

/* A fresh TLS conversation: the client (A) offers TLS 1.3, the server (B)
 * selects it with TLS_AES_128_GCM_SHA256. */
static void tls13_hellos(tlsa_tracker_t *t)
{
    tlsa_tracker_init(t, TLSA_PROTO_TLS, -1);
    tf_client_hello(t, A, TLSA_V_TLS13);
    tf_server_hello(t, B, 0x0304, 0x1301);
}

static void tls12_success_with_encrypted_close_notify(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_client_hello(&t, A, TLSA_V_TLS12 | TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0303, 0xc02f);
    tf_feed(&t, TLSA_EV_HANDSHAKE, B, 11); tf_feed(&t, TLSA_EV_HANDSHAKE, B, 12); tf_feed(&t, TLSA_EV_HANDSHAKE, B, 14);
    tf_feed(&t, TLSA_EV_HANDSHAKE, A, 16);
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    tf_feed(&t, TLSA_EV_CCS, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 40); /* encrypted Finished shows as handshake, but data is fine too */
    tf_feed(&t, TLSA_EV_CCS, B, 0);
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_ESTABLISHED, "stage %s", tlsa_stage_name(tlsa_tracker_stage(&t)));
    tf_feed(&t, TLSA_EV_OPAQUE, B, 100);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 100);
    CHECK(tf_alert(&t, A, -1, 0) == TLSA_SENDER_CLIENT, "close_notify sender");
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK(t.alerts && t.alerts->stage == TLSA_STAGE_ESTABLISHED && t.alerts->encrypted, "alert note");
    CHECK(t.first_failure == NULL, "no failure");
    CHECK_STR(t.history, "CsxknGIDidL");
    CHECK(t.version == 0x0303 && t.has_cipher && t.cipher == 0xc02f, "version/cipher");
    CHECK(t.offered == (TLSA_V_TLS12 | TLSA_V_TLS13), "offered");
}

static void tls13_openssl_client_rejects_in_plaintext(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12 | TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1302);
    tf_feed(&t, TLSA_EV_CCS, B, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 30);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 900);
    CHECK(tf_alert(&t, A, 2, 48) == TLSA_SENDER_CLIENT, "sender");
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    CHECK(t.first_failure && t.first_failure->description == 48 &&
          t.first_failure->stage == TLSA_STAGE_AFTER_SERVER_FLIGHT, "first failure");
    CHECK(tlsa_outcome_is_failure(tlsa_tracker_outcome(&t)), "is failure");
    CHECK_STR(t.history, "CsidL");
}

static void tls13_client_rejects_encrypted(void)
{
    tlsa_tracker_t t;
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 2000);
    tf_feed(&t, TLSA_EV_CCS, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 19);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLIENT_REJECTED_LIKELY);

    /* The same client answering with its Finished (53 bytes) is not a rejection. */
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 2000);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 250); /* session ticket */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

static void tls13_mtls_server_rejects_encrypted(void)
{
    tlsa_tracker_t t;
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1500);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 25); /* empty Certificate */
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53); /* Finished */
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19); /* certificate_required, encrypted */
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ENCRYPTED_ALERT);

    /* With the key log the alert is readable: the server sent it. */
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1500);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 25);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_alert(&t, B, 2, 116);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
}

static void server_alerts_and_aborts(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS10);
    CHECK(tf_alert(&t, B, 2, 70) == TLSA_SENDER_SERVER, "sender");
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
    CHECK(t.first_failure->stage == TLSA_STAGE_AFTER_CLIENT_HELLO, "stage");

    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);

    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    tf_server_hello(&t, B, 0x0303, 0xc02b);
    tf_feed(&t, TLSA_EV_HANDSHAKE, B, 11);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);
    CHECK(!tlsa_outcome_is_failure(TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO), "before CH is no failure");

    tlsa_tracker_init(&t, TLSA_PROTO_TLS, 1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO);

    /* Warnings that are failures count; close_notify alone does not. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    tf_alert(&t, B, 1, 0);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
    tf_alert(&t, B, 1, 112);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
}

static void client_identification(void)
{
    tlsa_tracker_t t;
    /* Capture began late: no ClientHello, the SYN tells. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, B, 0);
    CHECK(tf_alert(&t, A, 2, 40) == TLSA_SENDER_SERVER, "SYN sender is the client");
    /* Neither: the side off the well-known port is the client. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, 0);
    CHECK(tf_alert(&t, B, 2, 40) == TLSA_SENDER_SERVER, "hint");
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    CHECK(tf_alert(&t, B, 2, 40) == TLSA_SENDER_UNKNOWN, "unknown");
    /* The ClientHello overrides a guess. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, 0);
    tf_client_hello(&t, B, TLSA_V_TLS12);
    CHECK(tlsa_tracker_sender(&t, B) == TLSA_SENDER_CLIENT, "ClientHello wins");
}

static void quic(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_QUIC, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_alert(&t, B, 2, 120);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
    tlsa_tracker_init(&t, TLSA_PROTO_QUIC, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_feed(&t, TLSA_EV_QUIC_1RTT, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    tf_feed(&t, TLSA_EV_QUIC_1RTT, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    /* With keys: the server's HANDSHAKE_DONE completes; an alert before it fails. */
    tlsa_tracker_init(&t, TLSA_PROTO_QUIC, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1301);
    tf_alert(&t, B, 2, 116);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
    tlsa_tracker_init(&t, TLSA_PROTO_QUIC, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1301);
    tf_feed(&t, TLSA_EV_QUIC_HANDSHAKE_DONE, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

static void bounded_history(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    for (int i = 0; i < 1000; i++) {
        tf_feed(&t, TLSA_EV_CCS, i & 1 ? A : B, 0);
        tf_feed(&t, TLSA_EV_OPAQUE, A, 100);
    }
    CHECK(t.history_len == TLSA_HISTORY_MAX && strlen(t.history) == TLSA_HISTORY_MAX, "%u", t.history_len);
}

static void names(void)
{
    char buf[32];
    CHECK_STR(tlsa_version_name(0x0304, buf, sizeof buf), "TLS 1.3");
    CHECK_STR(tlsa_version_name(0xfefd, buf, sizeof buf), "DTLS 1.2");
    CHECK_STR(tlsa_version_name(0x7f1c, buf, sizeof buf), "0x7f1c");
    CHECK_STR(tlsa_versions_text(TLSA_V_TLS12 | TLSA_V_TLS13, buf, sizeof buf), "TLS 1.2|TLS 1.3");
    CHECK_STR(tlsa_versions_text(0, buf, sizeof buf), "");
    CHECK_STR(tlsa_outcome_name(TLSA_OUTCOME_CLIENT_REJECTED_LIKELY), "client_rejected_likely");
    CHECK_STR(tlsa_outcome_name(TLSA_OUTCOME_COUNT), "unknown");
    CHECK_STR(tlsa_stage_name(TLSA_STAGE_AFTER_SERVER_FLIGHT), "after_server_flight");
    CHECK_STR(tlsa_sender_name(TLSA_SENDER_SERVER), "server");
}

/* An alert flood: counts stay exact, the list stops at TLSA_ALERTS_LISTED,
 * a first failure past the list is still kept, and an encrypted alert past
 * it still decides the outcome. */
static void alert_flood(void)
{
    enum { FLOOD = 200000 };
    static tlsa_alert_note_t flood_notes[TLSA_ALERTS_LISTED + 1];
    unsigned used = 0;
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    for (unsigned i = 0; i < FLOOD; i++) {
        tlsa_event_t e = tf_event(TLSA_EV_ALERT, B, 0);
        e.level = 1;
        e.description = 0;            /* close_notify: not a failure */
        if (i == FLOOD - 2) {
            e.level = 2;
            e.description = 40;       /* the first failure, far past the list */
        }
        if (i == FLOOD - 1)
            e.encrypted = 1;
        tlsa_alert_note_t *note = tlsa_tracker_wants_note(&t, &e) ? &flood_notes[used++] : NULL;
        if (used > TLSA_ALERTS_LISTED + 1) {
            CHECK(used <= TLSA_ALERTS_LISTED + 1, "notes used %u at alert %u", used, i);
            break;
        }
        tlsa_tracker_feed(&t, &e, note);
    }
    CHECK(t.alerts_count == FLOOD, "alerts_count %u", t.alerts_count);
    CHECK(t.alerts_listed == TLSA_ALERTS_LISTED, "listed %u", t.alerts_listed);
    CHECK(used == TLSA_ALERTS_LISTED + 1, "notes %u: the list and the first failure", used);
    unsigned listed = 0;
    for (const tlsa_alert_note_t *a = t.alerts; a; a = a->next)
        listed++;
    CHECK(listed == TLSA_ALERTS_LISTED, "list length %u", listed);
    CHECK(t.first_failure && t.first_failure->description == 40 && t.first_failure->next == NULL,
          "first failure kept outside the list");
    CHECK(t.encrypted_early, "the encrypted alert past the list is seen");
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
    CHECK(t.history_len <= TLSA_HISTORY_MAX, "history bounded");
}

/* Issue 14 part 3 (tests/oracle data-fin13, captures/outcome-order.pcapng):
 * a TLS 1.3 client sends its Finished (69 bytes with a SHA-384 suite) and
 * then data with its FIN; the server, which sends no ticket, answers with its
 * FIN only. The client's records prove it completed: established. */
static void tls13_client_finished_then_data_is_established(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1302);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);          /* EE, Certificate, CV, Finished */
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);            /* the client's Finished */
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);          /* a Finished alone proves nothing yet */
    tf_feed(&t, TLSA_EV_OPAQUE, A, 47);            /* data */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_ESTABLISHED, "stage established");

    /* SHA-256 suite: 53 bytes; 69 is not a Finished there. */
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 47);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 47);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);

    /* The server answers the client's Finished and data with one alert-sized
     * record (certificate_required, say), then closes: not established. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1302);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 47);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 19);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ENCRYPTED_ALERT);

    /* A client certificate first (not Finished-sized): the old rule decides. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1302);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 600);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 69);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);
}

/* Issue 14 part 4 (tests/oracle cut-hello): the first segment of a
 * ClientHello record, then FIN: a handshake was begun. */
static void cut_client_hello_is_a_failed_handshake(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_feed(&t, TLSA_EV_HELLO_BEGUN, A, 0);
    CHECK(t.client == A, "the hello's sender is the client");
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_AFTER_CLIENT_HELLO, "stage after the ClientHello");
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
    CHECK(tlsa_outcome_is_failure(tlsa_tracker_outcome(&t)), "a failed handshake");
    CHECK_STR(t.history, "H");

    /* The usual case: the rest comes and the ClientHello is dissected. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_HELLO_BEGUN, A, 0);
    tf_client_hello(&t, A, TLSA_V_TLS13);
    tf_server_hello(&t, B, 0x0304, 0x1301);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    CHECK_STR(t.history, "Cs");
    CHECK(t.offered == TLSA_V_TLS13, "offered from the dissected hello");
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);

    /* A port probe stays what it was. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO);
    CHECK(!tlsa_outcome_is_failure(tlsa_tracker_outcome(&t)), "not a failed handshake");
}

/* Issue 14 part 5 (tests/oracle hello-fin, captures/outcome-order.pcapng):
 * the client sends its ClientHello and FIN before the server's flight
 * arrives: the stage is what the closing side had received. */
static void abort_stage_follows_packet_order(void)
{
    tlsa_tracker_t t;
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_client_hello(&t, A, TLSA_V_TLS12 | TLSA_V_TLS13);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_server_hello(&t, B, 0x0304, 0x1301);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);
    CHECK(tlsa_tracker_stage(&t) == TLSA_STAGE_AFTER_CLIENT_HELLO, "stage after the ClientHello");

    /* The flight first, then the client's RST: after the server's flight. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    tf_server_hello(&t, B, 0x0303, 0xc02f);
    tf_feed(&t, TLSA_EV_HANDSHAKE, B, 11); tf_feed(&t, TLSA_EV_HANDSHAKE, B, 14);
    tf_feed(&t, TLSA_EV_RST, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);

    /* The server closes without answering; the client's late FIN changes nothing. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, -1);
    tf_client_hello(&t, A, TLSA_V_TLS12);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO);

    /* A half-closing TLS 1.3 client whose server completes after its FIN. */
    tls13_hellos(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 1100);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 53);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 250);           /* a ticket after the client's FIN */
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
}

/* Issue 14 part 2 (captures/alert-only.pcapng, mid-connection.pcapng): no
 * handshake message and no SYN captured: the outcome is unknown, neither a
 * handshake nor a failure, whatever alert is seen. */
static void no_handshake_seen(void)
{
    tlsa_tracker_t t;
    /* An alert-only capture: a healthy TLS 1.2 session's two close_notify. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, A);
    tf_alert(&t, B, -1, 0);
    tf_alert(&t, A, -1, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_NO_HANDSHAKE_SEEN);
    CHECK(!tlsa_outcome_is_handshake(TLSA_OUTCOME_NO_HANDSHAKE_SEEN), "not a handshake");
    CHECK(!tlsa_outcome_is_failure(TLSA_OUTCOME_NO_HANDSHAKE_SEEN), "not a failure");
    /* A plaintext failure alert alone: still unknown, the alert is still noted. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, A);
    CHECK(tf_alert(&t, A, 2, 48) == TLSA_SENDER_CLIENT, "sender from the port hint");
    OUTCOME(&t, TLSA_OUTCOME_NO_HANDSHAKE_SEEN);
    CHECK(t.first_failure && t.first_failure->description == 48, "first failure kept");
    /* Mid-connection: encrypted data both ways, then FIN. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, A);
    tf_feed(&t, TLSA_EV_OPAQUE, A, 100);
    tf_feed(&t, TLSA_EV_OPAQUE, B, 300);
    tf_feed(&t, TLSA_EV_FIN, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_NO_HANDSHAKE_SEEN);
    /* A SYN is a start: a port probe is known. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, A);
    tf_feed(&t, TLSA_EV_SYN, A, 0);
    tf_feed(&t, TLSA_EV_FIN, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO);
    /* A capture that starts at the ServerHello still decides. */
    tlsa_tracker_init(&t, TLSA_PROTO_TLS, A);
    tf_server_hello(&t, B, 0x0303, 0xc02f);
    tf_alert(&t, B, 2, 40);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_SERVER);
    /* QUIC without keys, mid-connection: 1-RTT both ways proves completion. */
    tlsa_tracker_init(&t, TLSA_PROTO_QUIC, A);
    tf_feed(&t, TLSA_EV_QUIC_1RTT, A, 0);
    OUTCOME(&t, TLSA_OUTCOME_NO_HANDSHAKE_SEEN);
    tf_feed(&t, TLSA_EV_QUIC_1RTT, B, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);
    CHECK_STR(tlsa_outcome_name(TLSA_OUTCOME_NO_HANDSHAKE_SEEN), "no_handshake_seen");
}

int main(void)
{
    tls12_success_with_encrypted_close_notify();
    tls13_openssl_client_rejects_in_plaintext();
    tls13_client_rejects_encrypted();
    tls13_mtls_server_rejects_encrypted();
    server_alerts_and_aborts();
    client_identification();
    quic();
    bounded_history();
    names();
    alert_flood();
    tls13_client_finished_then_data_is_established();
    cut_client_hello_is_a_failed_handshake();
    abort_stage_follows_packet_order();
    no_handshake_seen();
    return check_report("test_tracker");
}
