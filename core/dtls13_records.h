/* dtls13_records.h — DTLS 1.3 records read from a datagram's bytes, for the
 * Wireshark versions whose DTLS dissector does not dissect the unified header
 * (RFC 9147 §4: first byte 001CSLEE), and the HelloRetryRequest test.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_DTLS13_RECORDS_H
#define TLSALERTS_DTLS13_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A unified-header (encrypted DTLS 1.3) record starts so. */
static inline bool tlsa_dtls13_is_unified(uint8_t first)
{
    return (first & 0xe0) == 0x20;
}

/* RFC 8446 §4.1.3: a ServerHello whose random is this value is a HelloRetryRequest. */
bool tlsa_is_hello_retry_random(const uint8_t *random, size_t length);

/* One unified header at p: its header length and the record's length (the
 * encrypted content: the length field, or the rest of the datagram when the
 * L bit is clear). False when it is not one or is cut short, or carries a
 * connection ID (its length is negotiated, not on the wire). */
bool tlsa_dtls13_unified_header(const uint8_t *p, size_t n, size_t *header_len, size_t *record_len);

typedef enum {
    TLSA_DTLS13_REC_UNIFIED,    /* encrypted record; length */
    TLSA_DTLS13_REC_PLAIN,      /* DTLSPlaintext; content_type, length, and for a handshake
                                 * record's first message: hs_type (-1 none) */
} tlsa_dtls13_rec_kind_t;

typedef struct {
    tlsa_dtls13_rec_kind_t kind;
    uint8_t  content_type;
    int      hs_type;           /* plaintext handshake message type at offset 0, else -1 */
    bool     hello_retry;       /* a ServerHello with the HelloRetryRequest random */
    uint16_t selected_version;  /* ServerHello: supported_versions, else legacy_version; 0 unknown */
    int32_t  cipher;            /* ServerHello: the suite, -1 unknown */
    uint8_t  alert_level, alert_desc; /* plaintext alert of 2 bytes */
    bool     has_alert;
    uint32_t length;
} tlsa_dtls13_rec_t;

/* Reads a whole datagram as DTLS records (DTLSPlaintext headers, version
 * 0xfeXX, and unified headers). Returns the number of records written to out
 * (at most max), or 0 unless the records cover the datagram exactly and at
 * least one is a unified header: only datagrams that are DTLS 1.3 through and
 * through are taken. */
size_t tlsa_dtls13_scan(const uint8_t *p, size_t n, tlsa_dtls13_rec_t *out, size_t max);

#endif
