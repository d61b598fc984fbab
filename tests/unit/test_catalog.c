/* test_catalog.c — the alert catalog against the IANA "TLS Alerts" registry,
 * over every code 0-255. The expected table below is written from the
 * registry, independently of plugin/alert_catalog.c. */
#include "check.h"

#include <stdio.h>

#include "alert_catalog.h"

static const struct {
    unsigned code;
    const char *name;
    const char *reference;
} iana[] = {
    {0, "close_notify", "RFC 8446"},
    {10, "unexpected_message", "RFC 8446"},
    {20, "bad_record_mac", "RFC 8446"},
    {21, "decryption_failed", "RFC 5246"},
    {22, "record_overflow", "RFC 8446"},
    {30, "decompression_failure", "RFC 5246"},
    {40, "handshake_failure", "RFC 8446"},
    {41, "no_certificate", "RFC 5246"},
    {42, "bad_certificate", "RFC 8446"},
    {43, "unsupported_certificate", "RFC 8446"},
    {44, "certificate_revoked", "RFC 8446"},
    {45, "certificate_expired", "RFC 8446"},
    {46, "certificate_unknown", "RFC 8446"},
    {47, "illegal_parameter", "RFC 8446"},
    {48, "unknown_ca", "RFC 8446"},
    {49, "access_denied", "RFC 8446"},
    {50, "decode_error", "RFC 8446"},
    {51, "decrypt_error", "RFC 8446"},
    {52, "too_many_cids_requested", "RFC 9147"},
    {60, "export_restriction", "RFC 5246"},
    {70, "protocol_version", "RFC 8446"},
    {71, "insufficient_security", "RFC 8446"},
    {80, "internal_error", "RFC 8446"},
    {86, "inappropriate_fallback", "RFC 7507"},
    {90, "user_canceled", "RFC 8446"},
    {100, "no_renegotiation", "RFC 5246"},
    {109, "missing_extension", "RFC 8446"},
    {110, "unsupported_extension", "RFC 8446"},
    {111, "certificate_unobtainable", "RFC 6066"},
    {112, "unrecognized_name", "RFC 6066"},
    {113, "bad_certificate_status_response", "RFC 6066"},
    {114, "bad_certificate_hash_value", "RFC 6066"},
    {115, "unknown_psk_identity", "RFC 4279"},
    {116, "certificate_required", "RFC 8446"},
    {120, "no_application_protocol", "RFC 7301"},
    {121, "ech_required", "draft-ietf-tls-esni"},
};

static int find(unsigned code)
{
    for (unsigned i = 0; i < sizeof iana / sizeof iana[0]; i++)
        if (iana[i].code == code)
            return (int)i;
    return -1;
}

int main(void)
{
    char buf[64];
    unsigned assigned = 0;

    for (unsigned code = 0; code < 256; code++) {
        int i = find(code);
        if (i >= 0) {
            assigned++;
            CHECK(tlsa_alert_is_assigned(code), "code %u", code);
            CHECK_STR(tlsa_alert_name(code), iana[i].name);
            CHECK_STR(tlsa_alert_display_name(code), iana[i].name);
            CHECK_STR(tlsa_alert_reference(code), iana[i].reference);
            snprintf(buf, sizeof buf, "%s (%u)", iana[i].name, code);
            CHECK_STR(tlsa_alert_label(code), buf);
        } else {
            CHECK(!tlsa_alert_is_assigned(code), "code %u", code);
            CHECK(tlsa_alert_name(code) == NULL, "code %u", code);
            CHECK(tlsa_alert_reference(code) == NULL, "code %u", code);
            snprintf(buf, sizeof buf, "unknown(%u)", code);
            CHECK_STR(tlsa_alert_display_name(code), buf);
            CHECK_STR(tlsa_alert_label(code), buf);
        }
    }
    CHECK(assigned == sizeof iana / sizeof iana[0], "%u assigned", assigned);

    /* Out-of-range codes never crash and never claim a name. */
    CHECK(tlsa_alert_name(256) == NULL, "256");
    CHECK_STR(tlsa_alert_display_name(1000), "unknown");

    /* Levels: warning, fatal, and unknown(N) for anything else. */
    CHECK_STR(tlsa_level_name(1), "warning");
    CHECK_STR(tlsa_level_name(2), "fatal");
    for (unsigned level = 0; level < 256; level++) {
        if (level == 1 || level == 2)
            continue;
        snprintf(buf, sizeof buf, "unknown(%u)", level);
        CHECK_STR(tlsa_level_name(level), buf);
    }
    return check_report("test_catalog");
}
