/* alert_catalog.c — the IANA "TLS Alerts" registry (TLS Parameters, "TLS Alerts").
 *
 * Names follow the RFCs' snake_case. Codes that IANA lists as reserved but that
 * older versions of the protocol defined (decryption_failed, no_certificate,
 * export_restriction, ...) keep their historical name: they still appear on the
 * wire from old stacks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alert_catalog.h"

#include <stdio.h>

typedef struct {
    const char *name;
    const char *reference;
} tlsa_alert_entry_t;

static const tlsa_alert_entry_t registry[256] = {
    [0]   = { "close_notify",                    "RFC 8446" },
    [10]  = { "unexpected_message",              "RFC 8446" },
    [20]  = { "bad_record_mac",                  "RFC 8446" },
    [21]  = { "decryption_failed",               "RFC 5246" },
    [22]  = { "record_overflow",                 "RFC 8446" },
    [30]  = { "decompression_failure",           "RFC 5246" },
    [40]  = { "handshake_failure",               "RFC 8446" },
    [41]  = { "no_certificate",                  "RFC 5246" },
    [42]  = { "bad_certificate",                 "RFC 8446" },
    [43]  = { "unsupported_certificate",         "RFC 8446" },
    [44]  = { "certificate_revoked",             "RFC 8446" },
    [45]  = { "certificate_expired",             "RFC 8446" },
    [46]  = { "certificate_unknown",             "RFC 8446" },
    [47]  = { "illegal_parameter",               "RFC 8446" },
    [48]  = { "unknown_ca",                      "RFC 8446" },
    [49]  = { "access_denied",                   "RFC 8446" },
    [50]  = { "decode_error",                    "RFC 8446" },
    [51]  = { "decrypt_error",                   "RFC 8446" },
    [52]  = { "too_many_cids_requested",         "RFC 9147" },
    [60]  = { "export_restriction",              "RFC 5246" },
    [70]  = { "protocol_version",                "RFC 8446" },
    [71]  = { "insufficient_security",           "RFC 8446" },
    [80]  = { "internal_error",                  "RFC 8446" },
    [86]  = { "inappropriate_fallback",          "RFC 7507" },
    [90]  = { "user_canceled",                   "RFC 8446" },
    [100] = { "no_renegotiation",                "RFC 5246" },
    [109] = { "missing_extension",               "RFC 8446" },
    [110] = { "unsupported_extension",           "RFC 8446" },
    [111] = { "certificate_unobtainable",        "RFC 6066" },
    [112] = { "unrecognized_name",               "RFC 6066" },
    [113] = { "bad_certificate_status_response", "RFC 6066" },
    [114] = { "bad_certificate_hash_value",      "RFC 6066" },
    [115] = { "unknown_psk_identity",            "RFC 4279" },
    [116] = { "certificate_required",            "RFC 8446" },
    [120] = { "no_application_protocol",         "RFC 7301" },
    [121] = { "ech_required",                    "draft-ietf-tls-esni" },
};

/* Display strings, built once on first use (the catalog is read-only afterwards). */
static char display_names[256][16];
static char labels[256][48];
static char level_names[256][16];
static int  built;

static void build_strings(void)
{
    for (unsigned code = 0; code < 256; code++) {
        const char *name = registry[code].name;
        if (name) {
            snprintf(labels[code], sizeof labels[code], "%s (%u)", name, code);
        } else {
            snprintf(display_names[code], sizeof display_names[code], "unknown(%u)", code);
            snprintf(labels[code], sizeof labels[code], "unknown(%u)", code);
        }
        snprintf(level_names[code], sizeof level_names[code], "unknown(%u)", code);
    }
    built = 1;
}

static inline void ensure_built(void)
{
    if (!built)
        build_strings();
}

const char *tlsa_alert_name(unsigned code)
{
    return code < 256 ? registry[code].name : NULL;
}

const char *tlsa_alert_reference(unsigned code)
{
    return code < 256 ? registry[code].reference : NULL;
}

bool tlsa_alert_is_assigned(unsigned code)
{
    return tlsa_alert_name(code) != NULL;
}

const char *tlsa_alert_display_name(unsigned code)
{
    if (code >= 256)
        return "unknown";
    if (registry[code].name)
        return registry[code].name;
    ensure_built();
    return display_names[code];
}

const char *tlsa_alert_label(unsigned code)
{
    if (code >= 256)
        return "unknown";
    ensure_built();
    return labels[code];
}

const char *tlsa_level_name(unsigned level)
{
    switch (level) {
    case TLSA_ALERT_LEVEL_WARNING: return "warning";
    case TLSA_ALERT_LEVEL_FATAL:   return "fatal";
    default:
        if (level >= 256)
            return "unknown";
        ensure_built();
        return level_names[level];
    }
}
