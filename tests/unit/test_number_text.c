/* test_number_text.c — the printf-free formatters against the C library. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "number_text.h"

static void libc_iso8601(int64_t sec, int32_t nsec, char *buf, size_t size)
{
    time_t t = (time_t)sec;
    struct tm tm;
    char date[32];
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06dZ", date, (int)(nsec / 1000));
}

static uint64_t next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

int main(void)
{
    char buf[64], want[64];
    uint64_t state = 0x9e3779b97f4a7c15u;

    const uint64_t numbers[] = { 0, 1, 9, 10, 99, 100, 65535, 4294967295u, UINT64_MAX };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        size_t n = tlsa_uint_text(buf, numbers[i]);
        snprintf(want, sizeof want, "%" PRIu64, numbers[i]);
        CHECK_STR(buf, want);
        CHECK(n == strlen(want), "length %zu", n);
    }
    for (int i = 0; i < 100000; i++) {
        uint64_t v = next(&state) >> (next(&state) % 64);
        tlsa_uint_text(buf, v);
        snprintf(want, sizeof want, "%" PRIu64, v);
        if (strcmp(buf, want) != 0) {
            CHECK_STR(buf, want);
            break;
        }
    }

    const unsigned hex[] = { 0, 0x5, 0x1302, 0xc02f, 0xffff };
    for (size_t i = 0; i < sizeof hex / sizeof hex[0]; i++) {
        CHECK(tlsa_hex16_text(buf, (uint16_t)hex[i]) == 6, "hex length");
        snprintf(want, sizeof want, "0x%04x", hex[i]);
        CHECK_STR(buf, want);
    }

    for (int i = 0; i < 20000; i++) {
        uint32_t v = (uint32_t)next(&state);
        uint8_t a[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
        if (i == 0)
            memset(a, 0, 4);
        if (i == 1)
            memset(a, 255, 4);
        tlsa_ipv4_text(buf, a);
        inet_ntop(AF_INET, a, want, sizeof want);
        if (strcmp(buf, want) != 0) {
            CHECK_STR(buf, want);
            break;
        }
    }

    /* Times: the epoch, leap days, century rules, both ends of the range,
     * before the epoch, and random instants. */
    const int64_t times[] = { 0, 1, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 4107542400LL /* 2100-03-01 */,
                              1700000000, -30610224000LL, 253402300799LL, -2208988800LL /* 1900-01-01 */,
                              68256000LL, 1709164800 /* 2024-02-29 */ };
    const int32_t nsecs[] = { 0, 999, 1000, 123456789, 999999999 };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        for (size_t j = 0; j < sizeof nsecs / sizeof nsecs[0]; j++) {
            size_t n = tlsa_iso8601_fast(buf, times[i], nsecs[j]);
            libc_iso8601(times[i], nsecs[j], want, sizeof want);
            CHECK_STR(buf, want);
            CHECK(n == strlen(want), "length %zu for %" PRId64, n, times[i]);
        }
    }
    for (int i = 0; i < 200000; i++) {
        int64_t t = -30610224000LL + (int64_t)(next(&state) % (253402300799ULL + 30610224000ULL + 1));
        int32_t ns = (int32_t)(next(&state) % 1000000000u);
        tlsa_iso8601_fast(buf, t, ns);
        libc_iso8601(t, ns, want, sizeof want);
        if (strcmp(buf, want) != 0) {
            CHECK_STR(buf, want);
            break;
        }
    }
    /* Outside the range: left to the C library. */
    CHECK(tlsa_iso8601_fast(buf, 253402300800LL, 0) == 0 && buf[0] == '\0', "year 10000");
    CHECK(tlsa_iso8601_fast(buf, -30610224001LL, 0) == 0, "year 999");
    CHECK(tlsa_iso8601_fast(buf, 0, -1) == 0, "negative nsec");
    CHECK(tlsa_iso8601_fast(buf, 0, 1000000000) == 0, "nsec too large");
    return check_report("test_number_text");
}
