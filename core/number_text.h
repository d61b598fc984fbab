/* number_text.h — numbers, IPv4 addresses and UTC times as text without
 * printf. The reports format every conversation (tens of thousands of rows,
 * each several times), and one snprintf cost ~700 instructions, gmtime_r and
 * strftime together ~2,500. Each function writes a NUL-terminated string and
 * returns its length; the caller's buffer must hold the longest result.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_NUMBER_TEXT_H
#define TLSALERTS_NUMBER_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TLSA_UINT_TEXT_MAX 21 /* 18446744073709551615 and NUL */

/* Decimal, as "%" PRIu64. */
size_t tlsa_uint_text(char *buf, uint64_t value);

/* "0x%04x". Needs 7 bytes. */
size_t tlsa_hex16_text(char *buf, uint16_t value);

/* Dotted quad, as inet_ntop(AF_INET). Needs 16 bytes. */
size_t tlsa_ipv4_text(char *buf, const uint8_t addr[4]);

/* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (microseconds, truncated) for years 1000 to
 * 9999 and 0 <= nsec < 1e9; 0 (and "") otherwise, for the caller to fall
 * back to the C library. Needs 28 bytes. */
size_t tlsa_iso8601_fast(char *buf, int64_t sec, int32_t nsec);

#endif
