/* test_tracker_eap.c — outcomes of EAP-TLS conversations (TLS in EAP in RADIUS
 * over UDP): the event sequences of captures/eap-tls.pcapng (FreeRADIUS 3.2,
 * eapol_test), as the plugin feeds them. There is no SYN and no FIN: the
 * plugin feeds the authenticator's EAP-Failure as a close (TLSA_EV_FIN) from
 * its sender; EAP-Success is fed as nothing. */
#include "tracker_feed.h"

#define NAS TLSA_SIDE_A    /* eapol_test: supplicant and RADIUS client, sends the ClientHello */
#define AAA TLSA_SIDE_B    /* FreeRADIUS */

/* FreeRADIUS selects VERSION with the suite it picks for it. */
static void server_hello(tlsa_tracker_t *t, uint16_t version)
{
    tf_server_hello(t, AAA, version, version == 0x0304 ? 0x1302 : 0xc02c);
}

static void unknown_ca_from_client(tlsa_tracker_t *t)
{
    tf_alert(t, NAS, 2, 48);
}

/* ClientHello; ServerHello, Certificate, ServerKeyExchange, CertificateRequest,
 * ServerHelloDone (EAP-TLS fragments, reassembled by Wireshark). */
static void tls12_server_flight(tlsa_tracker_t *t)
{
    tlsa_tracker_init(t, TLSA_PROTO_TLS, -1);
    tf_client_hello(t, NAS, TLSA_V_TLS12 | TLSA_V_TLS13);
    server_hello(t, 0x0303);
    tf_feed(t, TLSA_EV_HANDSHAKE, AAA, 11);
    tf_feed(t, TLSA_EV_HANDSHAKE, AAA, 12);
    tf_feed(t, TLSA_EV_HANDSHAKE, AAA, 13);
    tf_feed(t, TLSA_EV_HANDSHAKE, AAA, 14);
}

/* Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and an
 * encrypted Finished (a handshake record without a readable type). */
static void tls12_client_flight(tlsa_tracker_t *t)
{
    tf_feed(t, TLSA_EV_HANDSHAKE, NAS, 11);
    tf_feed(t, TLSA_EV_HANDSHAKE, NAS, 16);
    tf_feed(t, TLSA_EV_HANDSHAKE, NAS, 15);
    tf_feed(t, TLSA_EV_CCS, NAS, 0);
}

static void tls12(void)
{
    tlsa_tracker_t t;

    /* 1: the server's ChangeCipherSpec and Finished, then EAP-Success in an
     * Access-Accept (no event): established, although no application data
     * ever goes either way in EAP-TLS 1.2 and nothing closes. */
    tls12_server_flight(&t);
    tls12_client_flight(&t);
    tf_feed(&t, TLSA_EV_CCS, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);

    /* The same, then an EAP-Failure (a policy rejects the authenticated
     * client after TLS): completed, then closed before any data. */
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE);

    /* 3: the client does not trust the server's CA: its plaintext unknown_ca
     * answers the server's flight, then the Access-Reject. */
    tls12_server_flight(&t);
    unknown_ca_from_client(&t);
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    CHECK(t.first_failure && t.first_failure->description == 48 && t.first_failure->sender == TLSA_SENDER_CLIENT,
          "first failure unknown_ca from the client");

    /* 4: FreeRADIUS rejects the client's certificate with EAP-Failure and no
     * alert: without the close the capture would look cut (incomplete). */
    tls12_server_flight(&t);
    tls12_client_flight(&t);
    OUTCOME(&t, TLSA_OUTCOME_INCOMPLETE);
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT);
    CHECK(tlsa_outcome_is_failure(TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT), "a failed handshake");

    /* 5: scenario 3 twice in one UDP 5-tuple: one conversation, two alerts. */
    tls12_server_flight(&t);
    unknown_ca_from_client(&t);
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    tf_client_hello(&t, NAS, TLSA_V_TLS12 | TLSA_V_TLS13);
    server_hello(&t, 0x0303);
    tf_feed(&t, TLSA_EV_HANDSHAKE, AAA, 11);
    tf_feed(&t, TLSA_EV_HANDSHAKE, AAA, 14);
    unknown_ca_from_client(&t);
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
    CHECK(t.alerts_count == 2, "two alerts counted, got %u", t.alerts_count);
}

/* ClientHello, HelloRetryRequest (a ServerHello) with the compatibility
 * ChangeCipherSpec, the second ClientHello, the ServerHello and the
 * server's encrypted flight (EncryptedExtensions, CertificateRequest,
 * Certificate, CertificateVerify, Finished). */
static void tls13_server_flight(tlsa_tracker_t *t)
{
    tlsa_tracker_init(t, TLSA_PROTO_TLS, -1);
    tf_client_hello(t, NAS, TLSA_V_TLS12 | TLSA_V_TLS13);
    server_hello(t, 0x0304);
    tf_feed(t, TLSA_EV_CCS, AAA, 0);
    tf_client_hello(t, NAS, TLSA_V_TLS12 | TLSA_V_TLS13);
    server_hello(t, 0x0304);
    static const uint32_t lengths[] = { 23, 100, 904, 95, 69 };
    for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        tf_feed(t, TLSA_EV_OPAQUE, AAA, lengths[i]);
}

static void tls13(void)
{
    tlsa_tracker_t t;

    /* 2: the client's encrypted Certificate, CertificateVerify and Finished,
     * the server's one-byte commitment message (RFC 9190), EAP-Success. */
    tls13_server_flight(&t);
    tf_feed(&t, TLSA_EV_OPAQUE, NAS, 884);
    tf_feed(&t, TLSA_EV_OPAQUE, NAS, 95);
    tf_feed(&t, TLSA_EV_OPAQUE, NAS, 69);
    tf_feed(&t, TLSA_EV_OPAQUE, AAA, 18);
    OUTCOME(&t, TLSA_OUTCOME_ESTABLISHED);

    /* 6: the client does not trust the server's CA: OpenSSL's client alerts
     * before it has switched to its handshake keys, so in plaintext. */
    tls13_server_flight(&t);
    unknown_ca_from_client(&t);
    tf_feed(&t, TLSA_EV_FIN, AAA, 0);
    OUTCOME(&t, TLSA_OUTCOME_ALERT_BY_CLIENT);
}

int main(void)
{
    tls12();
    tls13();
    return check_report("test_tracker_eap");
}
