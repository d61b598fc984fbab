/* alert_record.h — one TLS/DTLS/QUIC alert as seen in a frame: the record the
 * post-dissector stores per frame and queues on the "tlsalerts" tap.
 *
 * Pure C, no Wireshark types: listeners and unit tests share it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_RECORD_H
#define TLSALERTS_ALERT_RECORD_H

#include <stdint.h>

/* Name of the tap every listener registers on. */
#define TLSA_TAP_NAME "tlsalerts"

typedef enum {
    TLSA_PROTO_TLS = 0,
    TLSA_PROTO_DTLS,
    TLSA_PROTO_QUIC, /* CONNECTION_CLOSE with CRYPTO_ERROR 0x100 + alert */
    TLSA_PROTO_COUNT
} tlsa_protocol_t;

/* The description is not visible: an encrypted alert record (no key). */
#define TLSA_ALERT_ENCRYPTED 0x01u

typedef struct {
    uint32_t frame;       /* frame number */
    uint8_t  protocol;    /* tlsa_protocol_t */
    uint8_t  level;       /* wire value; 0 when encrypted */
    uint8_t  description; /* wire value; 0 when encrypted */
    uint8_t  flags;       /* TLSA_ALERT_* */
    int32_t  time_nsec;   /* absolute time of the frame */
    int64_t  time_sec;
} tlsa_alert_t;

static inline const char *tlsa_protocol_name(unsigned protocol)
{
    static const char *const names[TLSA_PROTO_COUNT] = { "tls", "dtls", "quic" };
    return protocol < TLSA_PROTO_COUNT ? names[protocol] : "unknown";
}

static inline const char *tlsa_protocol_label(unsigned protocol)
{
    static const char *const labels[TLSA_PROTO_COUNT] = { "TLS", "DTLS", "QUIC" };
    return protocol < TLSA_PROTO_COUNT ? labels[protocol] : "unknown";
}

static inline int tlsa_alert_is_encrypted(const tlsa_alert_t *alert)
{
    return (alert->flags & TLSA_ALERT_ENCRYPTED) != 0;
}

#endif
