/* test_undecoded_tls.c — the ClientHello recognition and the per-port count
 * behind the reports' "not decoded as TLS" note. */
#include <stdlib.h>

#include "check.h"
#include "undecoded_tls.h"

/* The first 11 bytes of real ClientHellos (captures/undecoded-tls.pcapng:
 * curl's TLS 1.3 one on port 80, openssl s_client's TLS 1.2 one after IRC's
 * STARTTLS). */
static const uint8_t curl_hello[11] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 };
static const uint8_t s_client_hello[11] = { 0x16, 0x03, 0x01, 0x00, 0xcb, 0x01, 0x00, 0x00, 0xc7, 0x03, 0x03 };

static int looks(const uint8_t *base, int at, uint8_t value)
{
    uint8_t b[11];
    memcpy(b, base, sizeof b);
    if (at >= 0)
        b[at] = value;
    return tlsa_looks_like_client_hello(b, sizeof b);
}

static void test_recognition(void)
{
    CHECK(tlsa_looks_like_client_hello(curl_hello, 11), "curl's ClientHello");
    CHECK(tlsa_looks_like_client_hello(s_client_hello, 11), "s_client's ClientHello");
    CHECK(!tlsa_looks_like_client_hello(curl_hello, 10), "10 bytes are not enough");
    CHECK(!tlsa_looks_like_client_hello(curl_hello, 0), "nothing");
    CHECK(!looks(curl_hello, 0, 0x17), "application data record");
    CHECK(!looks(curl_hello, 0, 0x15), "alert record");
    CHECK(!looks(curl_hello, 1, 0x02), "record version 2.x");
    CHECK(looks(curl_hello, 2, 0x00), "record version 3.0 (SSL 3.0 ClientHello)");
    CHECK(looks(curl_hello, 2, 0x04), "record version 3.4");
    CHECK(!looks(curl_hello, 2, 0x05), "record version 3.5");
    CHECK(!looks(curl_hello, 5, 0x02), "ServerHello");
    CHECK(!looks(curl_hello, 9, 0x02), "client_version 2.x");
    CHECK(!looks(curl_hello, 10, 0x05), "client_version 3.5");
    /* Record length: 42 (a 38-byte ClientHello) .. 16384. */
    uint8_t b[11];
    memcpy(b, s_client_hello, sizeof b);
    b[3] = 0x00, b[4] = 41;
    CHECK(!tlsa_looks_like_client_hello(b, 11), "record of 41 bytes");
    b[4] = 42;
    CHECK(tlsa_looks_like_client_hello(b, 11), "record of 42 bytes");
    b[3] = 0x40, b[4] = 0x00;
    CHECK(tlsa_looks_like_client_hello(b, 11), "record of 16384 bytes");
    b[4] = 0x01;
    CHECK(!tlsa_looks_like_client_hello(b, 11), "record of 16385 bytes");
    /* Message length: 38 .. 66560, may exceed the record (fragmented). */
    memcpy(b, s_client_hello, sizeof b);
    b[6] = 0, b[7] = 0, b[8] = 37;
    CHECK(!tlsa_looks_like_client_hello(b, 11), "message of 37 bytes");
    b[8] = 38;
    CHECK(tlsa_looks_like_client_hello(b, 11), "message of 38 bytes");
    b[6] = 0x01, b[7] = 0x04, b[8] = 0x00;
    CHECK(tlsa_looks_like_client_hello(b, 11), "message of 66560 bytes, longer than its record");
    b[8] = 0x01;
    CHECK(!tlsa_looks_like_client_hello(b, 11), "message of 66561 bytes");
    /* Plain text that starts with 0x16 is not enough. */
    const uint8_t text[] = "\x16\x03\x01hello world";
    CHECK(!tlsa_looks_like_client_hello(text, sizeof text - 1), "text after a TLS-like prefix");
}

static void test_counts(void)
{
    tlsa_undecoded_t u;
    GString *s = g_string_new(NULL);
    tlsa_undecoded_reset(&u);
    CHECK(tlsa_undecoded_note(&u, s) == NULL, "no note when nothing was seen");
    tlsa_undecoded_add(&u, 6667);
    tlsa_undecoded_add(&u, 80);
    tlsa_undecoded_add(&u, 80);
    CHECK(u.total == 3 && u.n_ports == 2, "total %llu, %u ports", (unsigned long long)u.total, u.n_ports);
    CHECK(u.ports[0].port == 80 && u.ports[0].client_hellos == 2, "port order");
    CHECK(u.ports[1].port == 6667 && u.ports[1].client_hellos == 1, "second port");
    CHECK_STR(tlsa_undecoded_note(&u, s),
              "3 TLS ClientHellos were not decoded as TLS (TCP ports 80: 2, 6667: 1): another dissector took "
              "the port or a STARTTLS was not followed; run again with -d tcp.port==80,tls -d tcp.port==6667,tls");
    g_string_truncate(s, 0);
    tlsa_undecoded_options(&u, s);
    CHECK_STR(s->str, "-d tcp.port==80,tls -d tcp.port==6667,tls");

    tlsa_undecoded_reset(&u);
    tlsa_undecoded_add(&u, 8080);
    g_string_truncate(s, 0);
    CHECK_STR(tlsa_undecoded_note(&u, s),
              "1 TLS ClientHello was not decoded as TLS (TCP port 8080: 1): another dissector took the port or a "
              "STARTTLS was not followed; run again with -d tcp.port==8080,tls");

    /* Bounded: 16 ports kept, the rest counted as other ports. */
    tlsa_undecoded_reset(&u);
    for (unsigned p = 1000; p < 1100; p++)
        tlsa_undecoded_add(&u, (uint16_t)p);
    CHECK(tlsa_undecoded_add(&u, 1000), "a kept port");
    CHECK(!tlsa_undecoded_add(&u, 1099), "a port beyond those kept");
    CHECK(u.n_ports == TLSA_UNDECODED_PORTS, "%u ports kept", u.n_ports);
    CHECK(!tlsa_undecoded_add(&u, 0), "port 0: other ports");
    CHECK(u.total == 103 && u.other_ports == 100 - TLSA_UNDECODED_PORTS + 2, "total %llu other %llu",
          (unsigned long long)u.total, (unsigned long long)u.other_ports);
    CHECK(u.ports[0].port == 1000 && u.ports[0].client_hellos == 2, "first port twice");
    g_string_truncate(s, 0);
    tlsa_undecoded_note(&u, s);
    CHECK(strstr(s->str, ", other ports: 86): ") != NULL, "other ports in the note: %s", s->str);

    /* Records: only counted undecoded-TLS records count. */
    tlsa_undecoded_reset(&u);
    tlsa_record_t r = { .kind = TLSA_REC_UNDECODED_TLS, .port = 443 };
    tlsa_undecoded_add_record(&u, &r);
    r.flags = TLSA_ALERT_DUPLICATE;
    tlsa_undecoded_add_record(&u, &r);
    tlsa_record_t alert = { .kind = TLSA_REC_ALERT, .level = 2, .description = 40 };
    tlsa_undecoded_add_record(&u, &alert);
    CHECK(u.total == 1 && u.ports[0].port == 443, "one record counted, total %llu", (unsigned long long)u.total);
    g_string_free(s, TRUE);
}

int main(void)
{
    test_recognition();
    test_counts();
    return check_report("test_undecoded_tls");
}
