/* elb_policy.h — TLS security policies (AWS ELB's predefined ones and custom
 * ones) and the verdict: could a ClientHello have been accepted by a listener
 * with that policy?
 *
 * The predefined policies come from AWS's page "Security policies for your
 * Application Load Balancer"; elb_policy.c says exactly which revision and
 * which entries are inferred. Pure C (GLib only), unit tested alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ELB_POLICY_H
#define TLSALERTS_ELB_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* Protocol version bits: the same TLSA_V_* bits as the handshake tracker. */
#include "handshake_tracker.h"

typedef struct {
    const char *name;          /* "ELBSecurityPolicy-TLS13-1-2-2021-06", or "custom" */
    uint16_t versions;         /* TLSA_V_* (TLS/SSL bits only) */
    uint16_t n_ciphers;
    uint16_t n_groups;         /* 0: the policy does not restrict key-exchange groups */
    const uint16_t *ciphers;   /* IANA cipher-suite code points, in the policy's order */
    const uint16_t *groups;    /* IANA supported-group code points */
} tlsa_policy_t;

/* --- The predefined catalogue ---------------------------------------------- */

unsigned tlsa_policy_count(void);
const tlsa_policy_t *tlsa_policy_at(unsigned i);

/* The predefined policy of that name (exact, case-sensitive as AWS writes it),
 * or NULL. On NULL, *error (if given) gets a newly allocated message naming
 * every known policy; free it with g_free. */
const tlsa_policy_t *tlsa_policy_lookup(const char *name, char **error);

/* --- Custom policies --------------------------------------------------------- */

/* Resolves a name the built-in tables do not know (kind is "cipher" or
 * "group"): returns true and sets *code. The plugin passes one that searches
 * Wireshark's own name tables; tests pass NULL. */
typedef bool (*tlsa_name_resolver_t)(const char *kind, const char *name, uint16_t *code);

/* Parses "versions=tls1.2+tls1.3;ciphers=0x1301+ECDHE-RSA-AES128-GCM-SHA256;groups=x25519"
 * (keys in any order; entries separated by '+' or ','; groups optional).
 * Returns a policy to free with tlsa_policy_free, or NULL with *error set to a
 * newly allocated message such as "entry 3 of ciphers: unknown cipher 'FOO'". */
tlsa_policy_t *tlsa_policy_parse(const char *text, tlsa_name_resolver_t resolve, char **error);
void tlsa_policy_free(tlsa_policy_t *policy);

/* --- Names the tables know ---------------------------------------------------- */

/* AWS's (OpenSSL-style) cipher name for a code point, or NULL. */
const char *tlsa_cipher_openssl_name(uint16_t code);
/* Code point of an OpenSSL-style or TLS 1.3 name (either '-' or '_'), or -1. */
int tlsa_cipher_by_name(const char *name);
/* Group code point of "x25519", "secp256r1", "X25519MLKEM768", ..., or -1. */
int tlsa_group_by_name(const char *name);
/* Short group name for a code point ("x25519"), or NULL. */
const char *tlsa_group_short_name(uint16_t code);

/* TLS 1.3 suites are 0x1301-0x1305 (and 0x13xx in general). */
bool tlsa_cipher_is_tls13(uint16_t code);
/* Versions (TLSA_V_*) a suite can be negotiated at. */
uint16_t tlsa_cipher_versions(uint16_t code);
/* The suite's key exchange needs a supported group (ECDHE, TLS 1.3). */
bool tlsa_cipher_needs_group(uint16_t code);
/* Versions (TLSA_V_*) a group can be used at (hybrid ML-KEM groups: TLS 1.3 only). */
uint16_t tlsa_group_versions(uint16_t code);

/* --- The verdict ------------------------------------------------------------- */

typedef enum {
    TLSA_VERDICT_NONE = 0,          /* no policy, no ClientHello, or not TLS */
    TLSA_VERDICT_OK,
    TLSA_VERDICT_NO_COMMON_VERSION,
    TLSA_VERDICT_NO_COMMON_CIPHER,
    TLSA_VERDICT_NO_COMMON_GROUP,
    TLSA_VERDICT_COUNT
} tlsa_verdict_t;

/* What a ClientHello offered. */
typedef struct {
    uint16_t versions;           /* TLSA_V_*: supported_versions, else the legacy version */
    bool     legacy_version;     /* versions is the legacy ClientHello.version (no
                                  * supported_versions): the client accepts lower versions too */
    uint16_t n_ciphers, n_groups;
    const uint16_t *ciphers;
    const uint16_t *groups;      /* NULL/0 when the ClientHello had no supported_groups */
} tlsa_offer_t;

/* ok when some version both allow has a suite both allow that is valid at that
 * version, and (when the policy lists groups and the suite needs one) a group
 * both allow that is valid at that version. Otherwise the first of
 * no_common_version, no_common_cipher, no_common_group that rules out every
 * version. See README "ELB security-policy verdict". */
tlsa_verdict_t tlsa_policy_verdict(const tlsa_policy_t *policy, const tlsa_offer_t *offer);

/* "ok", "no_common_version", ...; "" for none. */
const char *tlsa_verdict_name(tlsa_verdict_t verdict);

/* The versions the verdict considered offered (legacy_version expanded). */
uint16_t tlsa_offer_effective_versions(const tlsa_offer_t *offer);

/* "TLS 1.0–1.1" / "TLS 1.2, TLS 1.3" style text of TLS version bits into buf. */
const char *tlsa_version_range_text(uint16_t bits, char *buf, unsigned size);

#endif
