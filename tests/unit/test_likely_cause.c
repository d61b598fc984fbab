/* test_likely_cause.c — every rule of the likely-cause table is reachable and
 * chosen for the input it describes; the sentences' placeholders; with a path
 * to README.md, every rule is listed there with its exact sentence. */
#include "check.h"

#include <stdlib.h>

#include <glib.h>

#include "likely_cause.h"

static unsigned lowest_bit(unsigned mask)
{
    for (unsigned i = 0; i < 16; i++)
        if (mask & (1u << i))
            return i;
    return 0;
}

/* An input that the rule describes and no earlier rule claims. */
static tlsa_cause_input_t input_for(const tlsa_cause_rule_t *r)
{
    tlsa_cause_input_t in = {0};
    in.outcome = r->outcomes ? (tlsa_outcome_t)lowest_bit(r->outcomes) : TLSA_OUTCOME_ALERT_BY_SERVER;
    bool alert_outcome = in.outcome == TLSA_OUTCOME_ALERT_BY_SERVER || in.outcome == TLSA_OUTCOME_ALERT_BY_CLIENT;
    in.alert = r->n_alerts ? r->alerts[0] : alert_outcome ? 10 /* unexpected_message */ : TLSA_CAUSE_NO_ALERT;
    in.sender = r->sender != TLSA_SENDER_UNKNOWN ? (tlsa_sender_t)r->sender
              : in.outcome == TLSA_OUTCOME_ALERT_BY_CLIENT ? TLSA_SENDER_CLIENT : TLSA_SENDER_SERVER;
    in.stage = r->stages ? (tlsa_stage_t)lowest_bit(r->stages)
             : in.outcome == TLSA_OUTCOME_ALERT_BY_SERVER || in.outcome == TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO
                 ? TLSA_STAGE_AFTER_CLIENT_HELLO : TLSA_STAGE_AFTER_SERVER_FLIGHT;
    in.verdict = r->verdicts ? (tlsa_verdict_t)lowest_bit(r->verdicts) : TLSA_VERDICT_OK;
    in.offered_versions = TLSA_V_TLS10 | TLSA_V_TLS11;
    in.policy = tlsa_policy_lookup("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", NULL);
    return in;
}

static void every_rule(void)
{
    unsigned n;
    const tlsa_cause_rule_t *rules = tlsa_cause_rules(&n);
    CHECK(n == 27, "%u rules", n);
    for (unsigned i = 0; i < n; i++) {
        const tlsa_cause_rule_t *r = &rules[i];
        tlsa_cause_input_t in = input_for(r);
        const tlsa_cause_rule_t *got = tlsa_cause_match(&in);
        CHECK(got == r, "rule %s: matched %s", r->id, got ? got->id : "nothing");
        char *text = tlsa_cause_text(&in);
        CHECK(text && !strchr(text, '{') && !strchr(text, '}'), "rule %s: placeholders left: %s", r->id, text);
        g_free(text);
        for (unsigned j = 0; j < i; j++)
            CHECK(strcmp(rules[j].id, r->id) != 0, "id %s twice", r->id);
    }
}

static void text_of(tlsa_cause_input_t in, const char *expected)
{
    char *text = tlsa_cause_text(&in);
    CHECK_STR(text, expected);
    g_free(text);
}

static void sentences(void)
{
    const tlsa_policy_t *p = tlsa_policy_lookup("ELBSecurityPolicy-TLS13-1-2-2021-06", NULL);
    const tlsa_policy_t *pq = tlsa_policy_lookup("ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", NULL);
    tlsa_cause_input_t in = {TLSA_OUTCOME_ALERT_BY_SERVER, 70, TLSA_SENDER_SERVER, TLSA_STAGE_AFTER_CLIENT_HELLO,
                             TLSA_VERDICT_NO_COMMON_VERSION, TLSA_V_TLS10 | TLSA_V_TLS11, p};
    text_of(in, "client offers only TLS 1.0\u20131.1; ELBSecurityPolicy-TLS13-1-2-2021-06 needs TLS 1.2\u20131.3: "
                "upgrade the client's TLS or choose a policy that allows its version");
    /* Without a policy the alert speaks. */
    in.verdict = TLSA_VERDICT_NONE;
    in.policy = NULL;
    text_of(in, "server refuses the client's TLS version (TLS 1.0\u20131.1; protocol_version from the server): "
                "upgrade the client or allow its version on the server");

    in = (tlsa_cause_input_t){TLSA_OUTCOME_ALERT_BY_CLIENT, 48, TLSA_SENDER_CLIENT, TLSA_STAGE_AFTER_SERVER_FLIGHT,
                              TLSA_VERDICT_OK, TLSA_V_TLS12 | TLSA_V_TLS13, p};
    text_of(in, "client does not trust the server certificate (unknown_ca from the client): check the chain and "
                "intermediates, and the client's CA store");
    /* A verdict that disagrees with what the server did (it answered) does not override the alert. */
    in.verdict = TLSA_VERDICT_NO_COMMON_CIPHER;
    text_of(in, "client does not trust the server certificate (unknown_ca from the client): check the chain and "
                "intermediates, and the client's CA store");

    in = (tlsa_cause_input_t){TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO, TLSA_CAUSE_NO_ALERT, TLSA_SENDER_UNKNOWN,
                              TLSA_STAGE_AFTER_CLIENT_HELLO, TLSA_VERDICT_OK, TLSA_V_TLS12, p};
    text_of(in, "server closed without answering the ClientHello: check the server's policy, SNI routing and error log");
    /* The client closed first (its FIN before the server's flight, or a cut hello). */
    in.sender = TLSA_SENDER_CLIENT;
    text_of(in, "client closed right after its ClientHello, before the server answered (a cut or abandoned hello): "
                "look at the client, the server did not refuse it");
    in.sender = TLSA_SENDER_SERVER;
    text_of(in, "server closed without answering the ClientHello: check the server's policy, SNI routing and error log");
    in.sender = TLSA_SENDER_UNKNOWN;
    in.verdict = TLSA_VERDICT_NO_COMMON_CIPHER;
    text_of(in, "client offers no cipher suite that ELBSecurityPolicy-TLS13-1-2-2021-06 allows: enable one of the "
                "policy's suites in the client or choose a policy with the client's");
    in.policy = pq;
    in.verdict = TLSA_VERDICT_NO_COMMON_GROUP;
    text_of(in, "client offers no key-exchange group that ELBSecurityPolicy-TLS13-1-3-PQ-2025-09 allows "
                "(X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, x25519, secp256r1, secp384r1): "
                "enable one of them in the client");

    in = (tlsa_cause_input_t){TLSA_OUTCOME_ALERT_BY_SERVER, 42, TLSA_SENDER_SERVER, TLSA_STAGE_AFTER_SERVER_FLIGHT,
                              TLSA_VERDICT_NONE, TLSA_V_TLS13, NULL};
    text_of(in, "server rejected the client certificate (bad_certificate from the server): check the client's "
                "certificate and the CAs the server trusts");
    in.alert = 10;
    text_of(in, "server sent unexpected_message: its error log says why");
    in.alert = 200;
    text_of(in, "server sent unknown(200): its error log says why");

    /* Not failures: no sentence. */
    in.outcome = TLSA_OUTCOME_ESTABLISHED;
    CHECK(tlsa_cause_match(&in) == NULL && tlsa_cause_text(&in) == NULL, "established");
    in.outcome = TLSA_OUTCOME_INCOMPLETE;
    CHECK(tlsa_cause_match(&in) == NULL, "incomplete");
    in.outcome = TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO;
    CHECK(tlsa_cause_match(&in) == NULL, "before hello");
    CHECK(tlsa_cause_match(NULL) == NULL, "NULL");
}

/* README lists every rule: a row with `id` and the exact sentence. */
static void readme(const char *path)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        CHECK(0, "cannot read %s", path);
        return;
    }
    unsigned n;
    const tlsa_cause_rule_t *rules = tlsa_cause_rules(&n);
    for (unsigned i = 0; i < n; i++) {
        gchar *id = g_strdup_printf("| `%s` |", rules[i].id);
        CHECK(strstr(text, id) != NULL, "README lacks rule %s", rules[i].id);
        CHECK(strstr(text, rules[i].text) != NULL, "README lacks the sentence of %s", rules[i].id);
        g_free(id);
    }
    g_free(text);
}

int main(int argc, char **argv)
{
    every_rule();
    sentences();
    if (argc > 1)
        readme(argv[1]);
    return check_report("test_likely_cause");
}
