/* test_elb_policy.c — the ELB policy catalogue against AWS's tables, the
 * custom-policy parser and its errors, and the verdict's rules. */
#include "check.h"

#include <glib.h>

#include "elb_policy.h"

#define N(a) (unsigned)(sizeof a / sizeof a[0])

static const tlsa_policy_t *get(const char *name)
{
    const tlsa_policy_t *p = tlsa_policy_lookup(name, NULL);
    CHECK(p != NULL, "policy %s missing", name);
    return p;
}

static void check_ciphers(const char *name, const uint16_t *want, unsigned n)
{
    const tlsa_policy_t *p = get(name);
    if (!p)
        return;
    CHECK(p->n_ciphers == n, "%s: %u ciphers, expected %u", name, p->n_ciphers, n);
    for (unsigned i = 0; i < n && i < p->n_ciphers; i++)
        CHECK(p->ciphers[i] == want[i], "%s: cipher %u is 0x%04x, expected 0x%04x", name, i,
              p->ciphers[i], want[i]);
}

static bool has(const tlsa_policy_t *p, uint16_t c)
{
    for (unsigned i = 0; i < p->n_ciphers; i++)
        if (p->ciphers[i] == c)
            return true;
    return false;
}

static void catalogue(void)
{
    CHECK(tlsa_policy_count() == 23, "%u policies", tlsa_policy_count());
    for (unsigned i = 0; i < tlsa_policy_count(); i++) {
        const tlsa_policy_t *p = tlsa_policy_at(i);
        CHECK(p && p->n_ciphers > 0 && p->versions, "policy %u empty", i);
        CHECK(tlsa_policy_lookup(p->name, NULL) == p, "lookup of %s", p->name);
        for (unsigned j = 0; j < i; j++)
            CHECK(strcmp(tlsa_policy_at(j)->name, p->name) != 0, "%s twice", p->name);
        /* TLS 1.3 suites exactly when TLS 1.3 is allowed. */
        CHECK(has(p, 0x1301) == !!(p->versions & TLSA_V_TLS13), "%s: 1.3 suites vs versions", p->name);
    }
    CHECK(tlsa_policy_at(tlsa_policy_count()) == NULL, "past the end");

    /* ELBSecurityPolicy-TLS13-1-2-2021-06: TLS 1.2+1.3, the TLS 1.3 suites and
     * ECDHE-{ECDSA,RSA}-AES{128,256}-GCM and -SHA256/384, nothing else. */
    static const uint16_t tls13_12[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc023, 0xc027,
                                        0xc02c, 0xc030, 0xc024, 0xc028};
    check_ciphers("ELBSecurityPolicy-TLS13-1-2-2021-06", tls13_12, N(tls13_12));
    CHECK(get("ELBSecurityPolicy-TLS13-1-2-2021-06")->versions == (TLSA_V_TLS12 | TLSA_V_TLS13), "versions");
    static const uint16_t tls13_13[] = {0x1301, 0x1302, 0x1303};
    check_ciphers("ELBSecurityPolicy-TLS13-1-3-2021-06", tls13_13, N(tls13_13));
    CHECK(get("ELBSecurityPolicy-TLS13-1-3-2021-06")->versions == TLSA_V_TLS13, "1.3 only");
    static const uint16_t res[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030};
    check_ciphers("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", res, N(res));
    static const uint16_t ext1[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc023, 0xc027,
                                    0xc02c, 0xc030, 0xc024, 0xc028, 0x009c, 0x003c, 0x009d, 0x003d};
    check_ciphers("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", ext1, N(ext1));
    CHECK(get("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06")->n_ciphers == 21, "Ext2: 3 + 18");
    CHECK(get("ELBSecurityPolicy-TLS13-1-0-2021-06")->versions ==
          (TLSA_V_TLS10 | TLSA_V_TLS11 | TLSA_V_TLS12 | TLSA_V_TLS13), "1-0 versions");

    /* The CLI/CloudFormation default: TLS 1.0-1.2, 18 suites, CBC and RSA kx, no 3DES. */
    const tlsa_policy_t *d = get("ELBSecurityPolicy-2016-08");
    CHECK(d->versions == (TLSA_V_TLS10 | TLSA_V_TLS11 | TLSA_V_TLS12), "2016-08 versions");
    CHECK(d->n_ciphers == 18, "2016-08: %u", d->n_ciphers);
    CHECK(has(d, 0xc013) && has(d, 0x002f) && has(d, 0x0035) && !has(d, 0x000a), "2016-08 suites");
    CHECK(has(get("ELBSecurityPolicy-TLS-1-0-2015-04"), 0x000a), "2015-04 has DES-CBC3-SHA");

    static const uint16_t fs2020[] = {0xc02b, 0xc02f, 0xc02c, 0xc030};
    check_ciphers("ELBSecurityPolicy-FS-1-2-Res-2020-10", fs2020, N(fs2020));
    CHECK(get("ELBSecurityPolicy-FS-1-2-Res-2020-10")->versions == TLSA_V_TLS12, "FS 2020 1.2");
    static const uint16_t fs2019res[] = {0xc02b, 0xc02f, 0xc023, 0xc027, 0xc02c, 0xc030, 0xc024, 0xc028};
    check_ciphers("ELBSecurityPolicy-FS-1-2-Res-2019-08", fs2019res, N(fs2019res));
    static const uint16_t tls2017[] = {0xc02b, 0xc02f, 0xc023, 0xc027, 0xc02c, 0xc030, 0xc024, 0xc028,
                                       0x009c, 0x003c, 0x009d, 0x003d};
    check_ciphers("ELBSecurityPolicy-TLS-1-2-2017-01", tls2017, N(tls2017));
    CHECK(get("ELBSecurityPolicy-TLS-1-2-Ext-2018-06")->n_ciphers == 18, "Ext-2018 18 suites");
    CHECK(get("ELBSecurityPolicy-TLS-1-2-Ext-2018-06")->versions == TLSA_V_TLS12, "Ext-2018 1.2");

    /* Post-quantum policies: the namesake's suites plus groups. */
    static const char *const pq[][2] = {
        {"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-2021-06"},
        {"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"},
        {"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"},
        {"ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"},
        {"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-2021-06"},
    };
    for (unsigned i = 0; i < N(pq); i++) {
        const tlsa_policy_t *a = get(pq[i][0]), *b = get(pq[i][1]);
        if (!a || !b)
            continue;
        CHECK(a->versions == b->versions && a->n_ciphers == b->n_ciphers &&
              memcmp(a->ciphers, b->ciphers, a->n_ciphers * sizeof(uint16_t)) == 0, "%s", pq[i][0]);
        CHECK(a->n_groups == 6 && a->groups[0] == 0x11ec && a->groups[1] == 0x11eb &&
              a->groups[2] == 0x11ed, "%s groups", pq[i][0]);
        CHECK(b->n_groups == 0, "%s restricts no groups", pq[i][1]);
    }

    char *err = NULL;
    CHECK(tlsa_policy_lookup("ELBSecurityPolicy-Nope", &err) == NULL, "unknown policy");
    CHECK(err && strstr(err, "unknown ELB security policy 'ELBSecurityPolicy-Nope'; known policies: "
                             "ELBSecurityPolicy-TLS13-1-2-2021-06, "), "%s", err);
    CHECK(err && strstr(err, ", ELBSecurityPolicy-TLS13-1-3-PQ-2025-09") != NULL, "lists all: %s", err);
    g_free(err);
    CHECK(tlsa_policy_lookup("elbsecuritypolicy-2016-08", NULL) == NULL, "names are exact");
}

static void names(void)
{
    CHECK(tlsa_cipher_by_name("ECDHE-ECDSA-AES128-GCM-SHA256") == 0xc02b, "c02b");
    CHECK(tlsa_cipher_by_name("TLS-AES-128-GCM-SHA256") == 0x1301, "AWS writes 1.3 names with dashes");
    CHECK(tlsa_cipher_by_name("tls_chacha20_poly1305_sha256") == 0x1303, "case");
    CHECK(tlsa_cipher_by_name("DES-CBC3-SHA") == 0x000a, "3des");
    CHECK(tlsa_cipher_by_name("FOO") == -1, "unknown");
    CHECK_STR(tlsa_cipher_openssl_name(0xc030), "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK(tlsa_cipher_openssl_name(0xffff) == NULL, "none");
    CHECK(tlsa_group_by_name("x25519") == 0x1d && tlsa_group_by_name("prime256v1") == 0x17 &&
          tlsa_group_by_name("P-384") == 0x18 && tlsa_group_by_name("x25519mlkem768") == 0x11ec, "groups");
    CHECK_STR(tlsa_group_short_name(0x11ed), "SecP384r1MLKEM1024");
    CHECK(tlsa_cipher_versions(0xc013) == (TLSA_V_TLS10 | TLSA_V_TLS11 | TLSA_V_TLS12), "CBC any");
    CHECK(tlsa_cipher_versions(0xc02f) == TLSA_V_TLS12, "GCM 1.2 only");
    CHECK(tlsa_cipher_versions(0x13aa) == TLSA_V_TLS13, "unknown 1.3 range");
    CHECK(!tlsa_cipher_needs_group(0x002f) && tlsa_cipher_needs_group(0xc013), "kx");
    CHECK(tlsa_group_versions(0x11ec) == TLSA_V_TLS13, "hybrid only at 1.3");

    char buf[64];
    CHECK_STR(tlsa_version_range_text(TLSA_V_TLS10 | TLSA_V_TLS11, buf, sizeof buf), "TLS 1.0\u20131.1");
    CHECK_STR(tlsa_version_range_text(TLSA_V_TLS12 | TLSA_V_TLS13, buf, sizeof buf), "TLS 1.2\u20131.3");
    CHECK_STR(tlsa_version_range_text(TLSA_V_TLS10 | TLSA_V_TLS12, buf, sizeof buf), "TLS 1.0, TLS 1.2");
    CHECK_STR(tlsa_version_range_text(TLSA_V_TLS13, buf, sizeof buf), "TLS 1.3");
    CHECK_STR(tlsa_version_range_text(TLSA_V_SSL3 | TLSA_V_TLS10, buf, sizeof buf), "SSL 3.0, TLS 1.0");
}

static bool fake_resolver(const char *kind, const char *name, uint16_t *code)
{
    if (strcmp(kind, "cipher") == 0 && strcmp(name, "TLS_RSA_WITH_AES_128_CBC_SHA") == 0) {
        *code = 0x002f;
        return true;
    }
    if (strcmp(kind, "group") == 0 && strcmp(name, "brainpoolP256r1tls13") == 0) {
        *code = 0x001f;
        return true;
    }
    return false;
}

static void expect_error(const char *text, const char *message)
{
    char *err = NULL;
    tlsa_policy_t *p = tlsa_policy_parse(text, NULL, &err);
    CHECK(p == NULL, "'%s' parsed", text);
    CHECK_STR(err, message);
    tlsa_policy_free(p);
    g_free(err);
}

static void parser(void)
{
    char *err = NULL;
    tlsa_policy_t *p = tlsa_policy_parse(
        " versions = tls1.2 + TLSv1.3 ; ciphers=0x1301,ECDHE-RSA-AES128-GCM-SHA256+0xC02B+0x1301;"
        "groups=x25519+secp256r1 ;", NULL, &err);
    CHECK(p && !err, "parse: %s", err ? err : "");
    if (p) {
        CHECK_STR(p->name, "custom");
        CHECK(p->versions == (TLSA_V_TLS12 | TLSA_V_TLS13), "versions 0x%x", p->versions);
        CHECK(p->n_ciphers == 3 && p->ciphers[0] == 0x1301 && p->ciphers[1] == 0xc02f &&
              p->ciphers[2] == 0xc02b, "ciphers (duplicates dropped)");
        CHECK(p->n_groups == 2 && p->groups[0] == 0x1d && p->groups[1] == 0x17, "groups");
    }
    tlsa_policy_free(p);

    p = tlsa_policy_parse("ciphers=TLS_RSA_WITH_AES_128_CBC_SHA;versions=tls1.0+1.1+ssl3;"
                          "groups=brainpoolP256r1tls13", fake_resolver, &err);
    CHECK(p && p->n_ciphers == 1 && p->ciphers[0] == 0x002f && p->groups[0] == 0x001f &&
          p->versions == (TLSA_V_SSL3 | TLSA_V_TLS10 | TLSA_V_TLS11), "resolver");
    CHECK(p && p->groups != NULL, "groups");
    tlsa_policy_free(p);

    p = tlsa_policy_parse("versions=tls1.2;ciphers=0xc02f", NULL, &err);
    CHECK(p && p->n_groups == 0 && p->groups == NULL, "groups optional");
    tlsa_policy_free(p);

    expect_error("versions=tls1.2;ciphers=0x1301+0xc02b+FOO", "entry 3 of ciphers: unknown cipher 'FOO'");
    expect_error("versions=tls1.2;ciphers=TLS_RSA_WITH_AES_128_CBC_SHA",
                 "entry 1 of ciphers: unknown cipher 'TLS_RSA_WITH_AES_128_CBC_SHA'");
    expect_error("versions=tls1.2+tls2;ciphers=0x1301",
                 "entry 2 of versions: unknown version 'tls2' (expected tls1.0, tls1.1, tls1.2 or tls1.3)");
    expect_error("versions=tls1.2;ciphers=0x1301++0xc02b", "entry 2 of ciphers is empty");
    expect_error("versions=tls1.2;ciphers=0x1g01", "entry 1 of ciphers: bad code point '0x1g01' (expected 0x0000-0xffff)");
    expect_error("versions=tls1.2;ciphers=0x12345", "entry 1 of ciphers: bad code point '0x12345' (expected 0x0000-0xffff)");
    expect_error("versions=tls1.2;ciphers=0x1301;groups=x25519+curve9", "entry 2 of groups: unknown group 'curve9'");
    expect_error("versions=tls1.2;cipher=0x1301", "unknown key 'cipher' (expected versions, ciphers or groups)");
    expect_error("versions=tls1.2;0x1301", "'0x1301' is not key=value (keys: versions, ciphers, groups)");
    expect_error("versions=tls1.2;versions=tls1.3;ciphers=0x1301", "versions given twice");
    expect_error("versions=tls1.2", "custom policy lists no ciphers (e.g. ciphers=0x1301+ECDHE-RSA-AES128-GCM-SHA256)");
    expect_error("ciphers=0x1301", "custom policy lists no versions (e.g. versions=tls1.2+tls1.3)");
    expect_error("", "custom policy lists no versions (e.g. versions=tls1.2+tls1.3)");
    expect_error("versions=;ciphers=0x1301", "entry 1 of versions is empty");
}

static tlsa_verdict_t verdict(const char *policy, uint16_t versions, bool legacy, const uint16_t *cs,
                              unsigned nc, const uint16_t *gs, unsigned ng)
{
    tlsa_offer_t o = {versions, legacy, (uint16_t)nc, (uint16_t)ng, cs, gs};
    return tlsa_policy_verdict(tlsa_policy_lookup(policy, NULL), &o);
}

#define V(policy, versions, legacy, cs, gs) \
    verdict(policy, versions, legacy, cs, N(cs), gs, N(gs))

static void verdicts(void)
{
    const char *tls13_12 = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    const char *pq = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
    static const uint16_t cbc[] = {0x00ff, 0xc013, 0xc014, 0x002f, 0x0035};
    static const uint16_t common_groups[] = {0x001d, 0x0017};
    static const uint16_t only_p521[] = {0x0019};
    static const uint16_t only_hybrid[] = {0x11ec};
    static const uint16_t modern[] = {0x1301, 0x1302, 0xc02f, 0xc02b};
    const uint16_t *no_groups = NULL;

    /* An old client (legacy TLS 1.1 ClientHello): no version in common with a
     * TLS 1.2+ policy, accepted by 2016-08 (TLS 1.0-1.2, CBC suites). */
    CHECK(V(tls13_12, TLSA_V_TLS11, true, cbc, common_groups) == TLSA_VERDICT_NO_COMMON_VERSION, "old client");
    CHECK(V("ELBSecurityPolicy-2016-08", TLSA_V_TLS11, true, cbc, common_groups) == TLSA_VERDICT_OK, "2016-08");
    CHECK(V("ELBSecurityPolicy-TLS-1-1-2017-01", TLSA_V_TLS10, true, cbc, common_groups) ==
          TLSA_VERDICT_NO_COMMON_VERSION, "TLS 1.0 client vs 1.1+");
    /* A legacy TLS 1.2 hello also offers 1.1 and 1.0. */
    CHECK(V("ELBSecurityPolicy-FS-1-1-2019-08", TLSA_V_TLS12, true, cbc, common_groups) == TLSA_VERDICT_OK, "legacy");
    tlsa_offer_t lo = {TLSA_V_TLS12, true, 0, 0, NULL, NULL};
    CHECK(tlsa_offer_effective_versions(&lo) == (TLSA_V_TLS10 | TLSA_V_TLS11 | TLSA_V_TLS12), "expanded");
    lo.legacy_version = false;
    CHECK(tlsa_offer_effective_versions(&lo) == TLSA_V_TLS12, "supported_versions kept");

    /* A TLS 1.2 client offering CBC suites only. */
    CHECK(V(tls13_12, TLSA_V_TLS12, false, cbc, common_groups) == TLSA_VERDICT_NO_COMMON_CIPHER, "CBC only");
    CHECK(V("ELBSecurityPolicy-FS-1-2-2019-08", TLSA_V_TLS12, false, cbc, common_groups) == TLSA_VERDICT_OK, "FS CBC");
    CHECK(V("ELBSecurityPolicy-FS-1-2-Res-2019-08", TLSA_V_TLS12, false, cbc, common_groups) ==
          TLSA_VERDICT_NO_COMMON_CIPHER, "Res no CBC");
    /* A TLS 1.2 suite does not help a TLS 1.3-only client. */
    static const uint16_t ccm_and_gcm12[] = {0x1304, 0xc02f};
    CHECK(V(tls13_12, TLSA_V_TLS13, false, ccm_and_gcm12, common_groups) == TLSA_VERDICT_NO_COMMON_CIPHER, "1.3 only");
    CHECK(V(tls13_12, TLSA_V_TLS12 | TLSA_V_TLS13, false, ccm_and_gcm12, common_groups) == TLSA_VERDICT_OK, "via 1.2");
    /* A GCM suite is not valid at TLS 1.1. */
    static const uint16_t gcm[] = {0xc02f};
    CHECK(V("ELBSecurityPolicy-2016-08", TLSA_V_TLS11, false, gcm, common_groups) == TLSA_VERDICT_NO_COMMON_CIPHER, "GCM@1.1");

    /* Groups: only the PQ policies restrict them. */
    CHECK(V(pq, TLSA_V_TLS12 | TLSA_V_TLS13, false, modern, only_p521) == TLSA_VERDICT_NO_COMMON_GROUP, "P-521");
    CHECK(V("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", TLSA_V_TLS12 | TLSA_V_TLS13, false, modern, only_p521) ==
          TLSA_VERDICT_OK, "no group limit");
    CHECK(V(pq, TLSA_V_TLS12 | TLSA_V_TLS13, false, modern, common_groups) == TLSA_VERDICT_OK, "x25519");
    CHECK(V(pq, TLSA_V_TLS13, false, modern, only_hybrid) == TLSA_VERDICT_OK, "hybrid at 1.3");
    CHECK(V(pq, TLSA_V_TLS12, false, modern, only_hybrid) == TLSA_VERDICT_NO_COMMON_GROUP, "hybrid not at 1.2");
    /* RSA key exchange needs no group. */
    static const uint16_t rsa_gcm[] = {0x009c};
    CHECK(V("ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", TLSA_V_TLS12, false, rsa_gcm, only_p521) ==
          TLSA_VERDICT_OK, "RSA kx");
    /* No supported_groups in the hello: groups not judged. */
    CHECK(verdict(pq, TLSA_V_TLS13, false, modern, N(modern), no_groups, 0) == TLSA_VERDICT_OK, "no groups");
    /* Precedence: version before cipher before group. */
    CHECK(V(pq, TLSA_V_TLS11, false, cbc, only_p521) == TLSA_VERDICT_NO_COMMON_VERSION, "version first");
    CHECK(V(pq, TLSA_V_TLS12, false, cbc, only_p521) == TLSA_VERDICT_NO_COMMON_CIPHER, "cipher before group");

    /* Not judged. */
    CHECK(V(tls13_12, TLSA_V_DTLS12, false, modern, common_groups) == TLSA_VERDICT_NONE, "DTLS");
    CHECK(V(tls13_12, 0, false, modern, common_groups) == TLSA_VERDICT_NONE, "no versions");
    tlsa_offer_t o = {TLSA_V_TLS12, false, N(modern), 0, modern, NULL};
    CHECK(tlsa_policy_verdict(NULL, &o) == TLSA_VERDICT_NONE, "no policy");

    /* A custom policy. */
    tlsa_policy_t *c = tlsa_policy_parse("versions=tls1.2;ciphers=ECDHE-RSA-CHACHA20-POLY1305;groups=x448", NULL, NULL);
    static const uint16_t chacha[] = {0xcca8, 0xc02f};
    static const uint16_t x448[] = {0x001e};
    tlsa_offer_t co = {TLSA_V_TLS12, false, N(chacha), N(common_groups), chacha, common_groups};
    CHECK(tlsa_policy_verdict(c, &co) == TLSA_VERDICT_NO_COMMON_GROUP, "custom groups");
    co.groups = x448;
    co.n_groups = 1;
    CHECK(tlsa_policy_verdict(c, &co) == TLSA_VERDICT_OK, "custom ok");
    tlsa_policy_free(c);

    CHECK_STR(tlsa_verdict_name(TLSA_VERDICT_NO_COMMON_GROUP), "no_common_group");
    CHECK_STR(tlsa_verdict_name(TLSA_VERDICT_OK), "ok");
    CHECK_STR(tlsa_verdict_name(TLSA_VERDICT_NONE), "");
}

int main(void)
{
    catalogue();
    names();
    parser();
    verdicts();
    return check_report("test_elb_policy");
}
