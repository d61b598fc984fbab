/* likely_cause.c — the rule table behind the "likely cause" sentence.
 *
 * Rules are data, tried in order; the first that matches wins. Each names the
 * failed outcomes it applies to, the alert descriptions (none listed = any),
 * the alert's sender, the stage and the policy verdict. README "Likely cause"
 * reproduces this table; tests/unit/test_likely_cause.c reaches every rule.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "likely_cause.h"

#include <string.h>

#include <glib.h>

#include "alert_catalog.h"

#define O(x) (uint16_t)(1u << TLSA_OUTCOME_##x)
#define ST(x) (uint8_t)(1u << TLSA_STAGE_##x)
#define VD(x) (uint8_t)(1u << TLSA_VERDICT_##x)
#define CLIENT TLSA_SENDER_CLIENT
#define SERVER TLSA_SENDER_SERVER
#define ANY_SENDER TLSA_SENDER_UNKNOWN

/* The server turned the ClientHello down: alert or close right after it. */
#define HELLO_REJECTED (O(ALERT_BY_SERVER) | O(ABORTED_AFTER_CLIENT_HELLO))

static const tlsa_cause_rule_t rules[] = {
    /* The policy verdict explains a ClientHello the server turned down. */
    {"policy_version", HELLO_REJECTED, {0}, 0, ANY_SENDER, ST(AFTER_CLIENT_HELLO), VD(NO_COMMON_VERSION),
     "client offers only {offered}; {policy} needs {policy_versions}: upgrade the client's TLS or choose a policy that allows its version"},
    {"policy_cipher", HELLO_REJECTED, {0}, 0, ANY_SENDER, ST(AFTER_CLIENT_HELLO), VD(NO_COMMON_CIPHER),
     "client offers no cipher suite that {policy} allows: enable one of the policy's suites in the client or choose a policy with the client's"},
    {"policy_group", HELLO_REJECTED, {0}, 0, ANY_SENDER, ST(AFTER_CLIENT_HELLO), VD(NO_COMMON_GROUP),
     "client offers no key-exchange group that {policy} allows ({policy_groups}): enable one of them in the client"},
    /* The server's alert says why. */
    {"server_version", O(ALERT_BY_SERVER), {70}, 1, SERVER, 0, 0,
     "server refuses the client's TLS version ({offered}; protocol_version from the server): upgrade the client or allow its version on the server"},
    {"server_insufficient_security", O(ALERT_BY_SERVER), {71}, 1, SERVER, 0, 0,
     "server wants stronger ciphers than the client offers (insufficient_security): enable ECDHE and AEAD suites in the client"},
    {"server_no_match_in_hello", O(ALERT_BY_SERVER), {40}, 1, SERVER, ST(AFTER_CLIENT_HELLO), 0,
     "server accepted nothing in the ClientHello (handshake_failure from the server): compare the client's versions, ciphers and groups with the server's policy"},
    {"server_unknown_name", O(ALERT_BY_SERVER), {112}, 1, SERVER, 0, 0,
     "server does not serve the requested name (unrecognized_name): check the SNI the client sends against the server's certificates and hosts"},
    {"server_no_alpn", O(ALERT_BY_SERVER), {120}, 1, SERVER, 0, 0,
     "no application protocol in common (no_application_protocol): align the client's ALPN list (h2, http/1.1) with the server's"},
    {"server_missing_extension", O(ALERT_BY_SERVER), {109}, 1, SERVER, 0, 0,
     "the ClientHello lacks an extension the server requires (missing_extension): update the client's TLS library"},
    {"server_bad_hello", O(ALERT_BY_SERVER), {50, 47}, 2, SERVER, ST(AFTER_CLIENT_HELLO), 0,
     "server could not accept the ClientHello as sent ({alert} from the server): a client bug or a middlebox altering the hello"},
    {"server_needs_client_cert", O(ALERT_BY_SERVER), {116}, 1, SERVER, 0, 0,
     "server requires a client certificate and got none (certificate_required): configure the client's certificate (mTLS)"},
    {"server_rejects_client_cert", O(ALERT_BY_SERVER), {42, 45, 46, 48}, 4, SERVER, 0, 0,
     "server rejected the client certificate ({alert} from the server): check the client's certificate and the CAs the server trusts"},
    /* The client's alert says why. */
    {"client_untrusted_ca", O(ALERT_BY_CLIENT), {48}, 1, CLIENT, 0, 0,
     "client does not trust the server certificate (unknown_ca from the client): check the chain and intermediates, and the client's CA store"},
    {"client_expired_cert", O(ALERT_BY_CLIENT), {45}, 1, CLIENT, 0, 0,
     "client finds the server certificate expired or not yet valid (certificate_expired): renew it, or check the client's clock"},
    {"client_revoked_cert", O(ALERT_BY_CLIENT), {44}, 1, CLIENT, 0, 0,
     "client finds the server certificate revoked (certificate_revoked): replace the certificate"},
    {"client_rejects_cert", O(ALERT_BY_CLIENT), {42, 43, 46}, 3, CLIENT, 0, 0,
     "client rejected the server certificate ({alert} from the client): check the name it was issued for (SNI), its chain and key type"},
    {"client_no_match", O(ALERT_BY_CLIENT), {40}, 1, CLIENT, 0, 0,
     "client refused the server's choices (handshake_failure from the client): check the server's certificate type and the suite it picks"},
    {"client_version", O(ALERT_BY_CLIENT), {70}, 1, CLIENT, 0, 0,
     "client refused the version the server chose (protocol_version from the client): the client's minimum version is higher"},
    /* Either side: corruption-like. */
    {"integrity", O(ALERT_BY_SERVER) | O(ALERT_BY_CLIENT), {20}, 1, ANY_SENDER, 0, 0,
     "a record failed its integrity check (bad_record_mac): suspect corruption on the path (NIC offload, middlebox) or a broken TLS stack"},
    {"signature_check", O(ALERT_BY_SERVER) | O(ALERT_BY_CLIENT), {51}, 1, ANY_SENDER, 0, 0,
     "a signature or Finished check failed (decrypt_error): check that key and certificate match, or look for corruption on the path"},
    /* No readable alert. */
    {"alert_encrypted", O(ENCRYPTED_ALERT), {0}, 0, ANY_SENDER, 0, 0,
     "the alert is encrypted: capture with a key log (SSLKEYLOGFILE) to read which one"},
    {"client_rejected_server", O(CLIENT_REJECTED_LIKELY), {0}, 0, ANY_SENDER, 0, 0,
     "client rejected the server with an encrypted alert right after the server's flight or its own Finished: most often an untrusted or wrong-name certificate; check the chain and the SNI"},
    {"client_gave_up", O(ABORTED_AFTER_CLIENT_HELLO), {0}, 0, CLIENT, 0, 0,
     "client closed right after its ClientHello, before the server answered (a cut or abandoned hello): look at the client, the server did not refuse it"},
    {"server_silent_close", O(ABORTED_AFTER_CLIENT_HELLO), {0}, 0, ANY_SENDER, 0, 0,
     "server closed without answering the ClientHello: check the server's policy, SNI routing and error log"},
    {"client_silent_close", O(ABORTED_AFTER_SERVER_FLIGHT), {0}, 0, ANY_SENDER, 0, 0,
     "client closed after the server's flight without an alert: it probably rejected the certificate or timed out; run the client verbosely"},
    /* Anything else. */
    {"server_other", O(ALERT_BY_SERVER), {0}, 0, ANY_SENDER, 0, 0,
     "server sent {alert}: its error log says why"},
    {"client_other", O(ALERT_BY_CLIENT), {0}, 0, ANY_SENDER, 0, 0,
     "client sent {alert}: its error output says why"},
};

const tlsa_cause_rule_t *tlsa_cause_rules(unsigned *count)
{
    *count = G_N_ELEMENTS(rules);
    return rules;
}

static bool rule_matches(const tlsa_cause_rule_t *r, const tlsa_cause_input_t *in)
{
    if (r->outcomes && !(r->outcomes & (1u << in->outcome)))
        return false;
    if (r->n_alerts) {
        bool hit = false;
        for (unsigned i = 0; i < r->n_alerts; i++)
            hit |= in->alert == r->alerts[i];
        if (!hit)
            return false;
    }
    if (r->sender != TLSA_SENDER_UNKNOWN && r->sender != in->sender)
        return false;
    if (r->stages && !(r->stages & (1u << in->stage)))
        return false;
    if (r->verdicts && !(r->verdicts & (1u << in->verdict)))
        return false;
    return true;
}

const tlsa_cause_rule_t *tlsa_cause_match(const tlsa_cause_input_t *in)
{
    if (!in || !tlsa_outcome_is_failure(in->outcome))
        return NULL;
    for (unsigned i = 0; i < G_N_ELEMENTS(rules); i++)
        if (rule_matches(&rules[i], in))
            return &rules[i];
    return NULL;
}

static void replace(GString *s, const char *key, const char *value)
{
    const char *at;
    while ((at = strstr(s->str, key)) != NULL) {
        gssize pos = at - s->str;
        g_string_erase(s, pos, (gssize)strlen(key));
        g_string_insert(s, pos, value);
    }
}

char *tlsa_cause_text(const tlsa_cause_input_t *in)
{
    const tlsa_cause_rule_t *r = tlsa_cause_match(in);
    if (!r)
        return NULL;
    GString *s = g_string_new(r->text);
    char buf[64];
    if (strstr(s->str, "{alert}"))
        replace(s, "{alert}", in->alert >= 0 ? tlsa_alert_display_name((unsigned)in->alert) : "an alert");
    if (strstr(s->str, "{offered}"))
        replace(s, "{offered}", in->offered_versions
                    ? tlsa_version_range_text(in->offered_versions, buf, sizeof buf) : "unknown versions");
    if (strstr(s->str, "{policy_versions}"))
        replace(s, "{policy_versions}", in->policy
                    ? tlsa_version_range_text(in->policy->versions, buf, sizeof buf) : "?");
    if (strstr(s->str, "{policy_groups}")) {
        GString *g = g_string_new(NULL);
        for (unsigned i = 0; in->policy && i < in->policy->n_groups; i++) {
            const char *name = tlsa_group_short_name(in->policy->groups[i]);
            if (g->len)
                g_string_append(g, ", ");
            if (name)
                g_string_append(g, name);
            else
                g_string_append_printf(g, "0x%04x", in->policy->groups[i]);
        }
        replace(s, "{policy_groups}", g->str);
        g_string_free(g, TRUE);
    }
    if (strstr(s->str, "{policy}"))
        replace(s, "{policy}", !in->policy ? "the policy"
                                : strcmp(in->policy->name, "custom") == 0 ? "the custom policy" : in->policy->name);
    return g_string_free(s, FALSE);
}
