/* names.h — tlsalerts' vocabulary in one place: the protocols, handshake
 * outcomes, stages, alert senders and protocol versions, and the names every
 * report, field and tree node shows for them.
 *
 * Pure C, no Wireshark types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_NAMES_H
#define TLSALERTS_NAMES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    TLSA_PROTO_TLS = 0,
    TLSA_PROTO_DTLS,
    TLSA_PROTO_QUIC, /* CONNECTION_CLOSE with CRYPTO_ERROR 0x100 + alert */
    TLSA_PROTO_COUNT
} tlsa_protocol_t;

typedef enum {
    TLSA_OUTCOME_INCOMPLETE = 0,        /* the capture ended mid-handshake */
    TLSA_OUTCOME_ESTABLISHED,
    TLSA_OUTCOME_ALERT_BY_SERVER,       /* first failure alert came from the server */
    TLSA_OUTCOME_ALERT_BY_CLIENT,
    TLSA_OUTCOME_ENCRYPTED_ALERT,       /* an alert whose description is not visible */
    TLSA_OUTCOME_CLIENT_REJECTED_LIKELY,/* TLS 1.3: one alert-sized encrypted record, then close */
    TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO,
    TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO,
    TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT,
    TLSA_OUTCOME_NO_HANDSHAKE_SEEN,     /* no handshake message nor SYN captured (alert-only
                                         * capture, capture started mid-connection): unknown,
                                         * not counted as a handshake */
    TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE,/* TLS <= 1.2: completed, then closed with no application
                                         * data either way and no alert from the client (a
                                         * client that checks the certificate afterwards, a
                                         * health check): not a failed handshake */
    TLSA_OUTCOME_COUNT
} tlsa_outcome_t;

typedef enum {
    TLSA_STAGE_BEFORE_CLIENT_HELLO = 0,
    TLSA_STAGE_AFTER_CLIENT_HELLO,
    TLSA_STAGE_AFTER_SERVER_FLIGHT,
    TLSA_STAGE_ESTABLISHED,
    TLSA_STAGE_COUNT
} tlsa_stage_t;

typedef enum {
    TLSA_SENDER_UNKNOWN = 0,
    TLSA_SENDER_CLIENT,
    TLSA_SENDER_SERVER,
    TLSA_SENDER_COUNT
} tlsa_sender_t;

/* Offered/negotiated versions as bits. */
enum {
    TLSA_V_SSL3 = 1u << 0,
    TLSA_V_TLS10 = 1u << 1,
    TLSA_V_TLS11 = 1u << 2,
    TLSA_V_TLS12 = 1u << 3,
    TLSA_V_TLS13 = 1u << 4,
    TLSA_V_DTLS10 = 1u << 5,
    TLSA_V_DTLS12 = 1u << 6,
    TLSA_V_DTLS13 = 1u << 7,
};

/* "tls", "dtls", "quic" (fields, JSON, CSV); "unknown" out of range. */
const char *tlsa_protocol_name(unsigned protocol);

/* "TLS", "DTLS", "QUIC" (tree nodes, packet details). */
const char *tlsa_protocol_label(unsigned protocol);

/* "established", "alert_by_server", ...; "unknown" out of range. */
const char *tlsa_outcome_name(tlsa_outcome_t outcome);

/* Failed handshake: an alert, a likely rejection, or an abort after the ClientHello. */
bool tlsa_outcome_is_failure(tlsa_outcome_t outcome);

/* Counted as a handshake: every outcome but no_handshake_seen. */
bool tlsa_outcome_is_handshake(tlsa_outcome_t outcome);

/* "before_client_hello", ..., "established". */
const char *tlsa_stage_name(tlsa_stage_t stage);

/* "client", "server", "unknown". */
const char *tlsa_sender_name(tlsa_sender_t sender);

/* "TLS 1.3", "DTLS 1.2", "0x7f1c" for a wire version value. Static storage or buf. */
const char *tlsa_version_name(uint16_t version, char *buf, unsigned size);

/* Wire version value -> TLSA_V_* bit (0 if unknown). */
uint16_t tlsa_version_bit(uint16_t version);

/* Offered versions as "TLS 1.2|TLS 1.3" into buf. */
const char *tlsa_versions_text(uint16_t bits, char *buf, unsigned size);

#endif
