/* names.c — the names of tlsalerts' vocabulary (see names.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "names.h"

#include <stdio.h>
#include <string.h>

const char *tlsa_protocol_name(unsigned protocol)
{
    static const char *const names[TLSA_PROTO_COUNT] = { "tls", "dtls", "quic" };
    return protocol < TLSA_PROTO_COUNT ? names[protocol] : "unknown";
}

const char *tlsa_protocol_label(unsigned protocol)
{
    static const char *const labels[TLSA_PROTO_COUNT] = { "TLS", "DTLS", "QUIC" };
    return protocol < TLSA_PROTO_COUNT ? labels[protocol] : "unknown";
}

static const char *const outcome_names[TLSA_OUTCOME_COUNT] = {
    [TLSA_OUTCOME_INCOMPLETE] = "incomplete",
    [TLSA_OUTCOME_ESTABLISHED] = "established",
    [TLSA_OUTCOME_ALERT_BY_SERVER] = "alert_by_server",
    [TLSA_OUTCOME_ALERT_BY_CLIENT] = "alert_by_client",
    [TLSA_OUTCOME_ENCRYPTED_ALERT] = "encrypted_alert",
    [TLSA_OUTCOME_CLIENT_REJECTED_LIKELY] = "client_rejected_likely",
    [TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO] = "aborted_before_client_hello",
    [TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO] = "aborted_after_client_hello",
    [TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT] = "aborted_after_server_flight",
    [TLSA_OUTCOME_NO_HANDSHAKE_SEEN] = "no_handshake_seen",
    [TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE] = "closed_after_handshake",
};

static const char *const stage_names[TLSA_STAGE_COUNT] = {
    [TLSA_STAGE_BEFORE_CLIENT_HELLO] = "before_client_hello",
    [TLSA_STAGE_AFTER_CLIENT_HELLO] = "after_client_hello",
    [TLSA_STAGE_AFTER_SERVER_FLIGHT] = "after_server_flight",
    [TLSA_STAGE_ESTABLISHED] = "established",
};

const char *tlsa_outcome_name(tlsa_outcome_t outcome)
{
    return (unsigned)outcome < TLSA_OUTCOME_COUNT ? outcome_names[outcome] : "unknown";
}

const char *tlsa_stage_name(tlsa_stage_t stage)
{
    return (unsigned)stage < TLSA_STAGE_COUNT ? stage_names[stage] : "unknown";
}

const char *tlsa_sender_name(tlsa_sender_t sender)
{
    switch (sender) {
    case TLSA_SENDER_CLIENT: return "client";
    case TLSA_SENDER_SERVER: return "server";
    default: return "unknown";
    }
}

bool tlsa_outcome_is_handshake(tlsa_outcome_t outcome)
{
    return (unsigned)outcome < TLSA_OUTCOME_COUNT && outcome != TLSA_OUTCOME_NO_HANDSHAKE_SEEN;
}

bool tlsa_outcome_is_failure(tlsa_outcome_t outcome)
{
    switch (outcome) {
    case TLSA_OUTCOME_ALERT_BY_SERVER:
    case TLSA_OUTCOME_ALERT_BY_CLIENT:
    case TLSA_OUTCOME_ENCRYPTED_ALERT:
    case TLSA_OUTCOME_CLIENT_REJECTED_LIKELY:
    case TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO:
    case TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT:
        return true;
    default:
        return false;
    }
}

static const struct {
    uint16_t wire;
    uint16_t bit;
    const char *name;
} versions[] = {
    { 0x0300, TLSA_V_SSL3, "SSL 3.0" },
    { 0x0301, TLSA_V_TLS10, "TLS 1.0" },
    { 0x0302, TLSA_V_TLS11, "TLS 1.1" },
    { 0x0303, TLSA_V_TLS12, "TLS 1.2" },
    { 0x0304, TLSA_V_TLS13, "TLS 1.3" },
    { 0xfeff, TLSA_V_DTLS10, "DTLS 1.0" },
    { 0xfefd, TLSA_V_DTLS12, "DTLS 1.2" },
    { 0xfefc, TLSA_V_DTLS13, "DTLS 1.3" },
};

uint16_t tlsa_version_bit(uint16_t version)
{
    for (unsigned i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (versions[i].wire == version)
            return versions[i].bit;
    return 0;
}

const char *tlsa_version_name(uint16_t version, char *buf, unsigned size)
{
    for (unsigned i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (versions[i].wire == version)
            return versions[i].name;
    snprintf(buf, size, "0x%04x", version);
    return buf;
}

const char *tlsa_versions_text(uint16_t bits, char *buf, unsigned size)
{
    size_t used = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (unsigned i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        if (!(bits & versions[i].bit))
            continue;
        size_t len = strlen(versions[i].name);
        if ((used ? 1 : 0) + len >= size - used)
            break;
        if (used)
            buf[used++] = '|';
        memcpy(buf + used, versions[i].name, len + 1);
        used += len;
    }
    return buf;
}
