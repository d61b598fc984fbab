/* number_text.c — see number_text.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "number_text.h"

#include <string.h>

size_t tlsa_uint_text(char *buf, uint64_t value)
{
    char tmp[TLSA_UINT_TEXT_MAX];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

size_t tlsa_hex16_text(char *buf, uint16_t value)
{
    static const char digits[] = "0123456789abcdef";
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 4; i++)
        buf[2 + i] = digits[(value >> (12 - 4 * i)) & 0xf];
    buf[6] = '\0';
    return 6;
}

size_t tlsa_ipv4_text(char *buf, const uint8_t addr[4])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i)
            buf[n++] = '.';
        n += tlsa_uint_text(buf + n, addr[i]);
    }
    return n;
}

static char *two_digits(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (the civil-from-days
 * computation over 400-year eras). */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

size_t tlsa_iso8601_fast(char *buf, int64_t sec, int32_t nsec)
{
    buf[0] = '\0';
    /* 1000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z */
    if (nsec < 0 || nsec >= 1000000000 || sec < -30610224000LL || sec > 253402300799LL)
        return 0;
    int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    unsigned rem = (unsigned)(sec - days * 86400);
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    char *p = buf;
    p = two_digits(p, (unsigned)(year / 100));
    p = two_digits(p, (unsigned)(year % 100));
    *p++ = '-';
    p = two_digits(p, month);
    *p++ = '-';
    p = two_digits(p, day);
    *p++ = 'T';
    p = two_digits(p, rem / 3600);
    *p++ = ':';
    p = two_digits(p, rem / 60 % 60);
    *p++ = ':';
    p = two_digits(p, rem % 60);
    *p++ = '.';
    unsigned us = (unsigned)(nsec / 1000);
    for (int i = 5; i >= 0; i--, us /= 10)
        p[i] = (char)('0' + us % 10);
    p += 6;
    *p++ = 'Z';
    *p = '\0';
    return (size_t)(p - buf);
}
