/* dtls13_records.c — DTLS 1.3 records from a datagram's bytes (see dtls13_records.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dtls13_records.h"

#include <string.h>

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

bool tlsa_is_hello_retry_random(const uint8_t *random, size_t length)
{
    return length >= sizeof hrr_random && memcmp(random, hrr_random, sizeof hrr_random) == 0;
}

bool tlsa_dtls13_unified_header(const uint8_t *p, size_t n, size_t *header_len, size_t *record_len)
{
    if (n < 1 || !tlsa_dtls13_is_unified(p[0]) || (p[0] & 0x10))
        return false;
    size_t h = 1 + ((p[0] & 0x08) ? 2 : 1);
    bool has_length = (p[0] & 0x04) != 0;
    if (has_length)
        h += 2;
    if (n < h)
        return false;
    size_t len = has_length ? ((size_t)p[h - 2] << 8 | p[h - 1]) : n - h;
    if (len > n - h)
        return false;
    *header_len = h;
    *record_len = len;
    return true;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* A DTLS ServerHello body (after the 12-byte handshake header): version,
 * random, session id, suite, compression, extensions (supported_versions). */
static void server_hello(const uint8_t *b, size_t n, tlsa_dtls13_rec_t *r)
{
    if (n < 2 + 32 + 1)
        return;
    r->selected_version = be16(b);
    r->hello_retry = tlsa_is_hello_retry_random(b + 2, 32);
    size_t at = 2 + 32;
    at += 1 + b[at];
    if (n < at + 3)
        return;
    r->cipher = be16(b + at);
    at += 3;
    if (n < at + 2)
        return;
    size_t end = at + 2 + be16(b + at);
    at += 2;
    if (end > n)
        end = n;
    while (at + 4 <= end) {
        uint16_t type = be16(b + at), len = be16(b + at + 2);
        at += 4;
        if (at + len > end)
            break;
        if (type == 43 && len == 2)
            r->selected_version = be16(b + at);
        at += len;
    }
}

size_t tlsa_dtls13_scan(const uint8_t *p, size_t n, tlsa_dtls13_rec_t *out, size_t max)
{
    size_t at = 0, count = 0;
    bool unified = false;
    while (at < n) {
        if (count >= max)
            return 0;
        tlsa_dtls13_rec_t *r = &out[count];
        memset(r, 0, sizeof *r);
        r->hs_type = -1;
        r->cipher = -1;
        size_t h, len;
        if (tlsa_dtls13_unified_header(p + at, n - at, &h, &len)) {
            r->kind = TLSA_DTLS13_REC_UNIFIED;
            r->length = (uint32_t)len;
            unified = true;
        } else {
            /* DTLSPlaintext: type(1) version(2) epoch(2) sequence(6) length(2) */
            if (n - at < 13 || p[at] < 20 || p[at] > 26 || p[at + 1] != 0xfe)
                return 0;
            h = 13;
            len = be16(p + at + 11);
            if (len > n - at - h)
                return 0;
            r->kind = TLSA_DTLS13_REC_PLAIN;
            r->content_type = p[at];
            r->length = (uint32_t)len;
            const uint8_t *b = p + at + h;
            if (r->content_type == 21 && len == 2) {
                r->has_alert = true;
                r->alert_level = b[0];
                r->alert_desc = b[1];
            } else if (r->content_type == 22 && len >= 12 && b[6] == 0 && b[7] == 0 && b[8] == 0) {
                /* handshake header: type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3) */
                r->hs_type = b[0];
                size_t frag = (size_t)b[9] << 16 | (size_t)b[10] << 8 | b[11];
                if (frag > len - 12)
                    frag = len - 12;
                if (r->hs_type == 2)
                    server_hello(b + 12, frag, r);
            }
        }
        at += h + len;
        count++;
    }
    return unified ? count : 0;
}
