/* elb_policy.c — the ELB security-policy catalogue, custom policies, the verdict.
 *
 * Source of the predefined policies: AWS, "Security policies for your
 * Application Load Balancer" (Elastic Load Balancing, User Guide for
 * Application Load Balancers),
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 * The protocol and cipher columns below are that page's three tables ("TLS 1.3
 * security policies", "FS supported policies", "TLS security policies") as
 * AWS published them in the guide's public source (github.com/awsdocs/
 * elb-application-load-balancers-user-guide, doc_source/create-https-listener.md,
 * last revision June 2023), one column per policy, transcribed row by row.
 *
 * The post-quantum 2025-09 policies: the current page says (Considerations)
 * that "security policies with PQ in their names offer hybrid post-quantum key
 * exchange ... support both classical and post-quantum ML-KEM key exchange" and
 * that they support SecP256r1MLKEM768, SecP384r1MLKEM1024 and X25519MLKEM768.
 * Their protocols and ciphers are taken as those of the same-named 2021-06
 * policy (TLS13-1-2-PQ-2025-09 = TLS13-1-2-2021-06 plus the groups, and so on),
 * and their classical groups as x25519, secp256r1 and secp384r1: both are
 * inferences, marked "inferred" in README; check them with
 * `aws elbv2 describe-ssl-policies --names <policy>`.
 * AWS lists no key-exchange groups for the other policies, so those do not
 * restrict groups here (their verdict is never no_common_group).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "elb_policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define V10 TLSA_V_TLS10
#define V11 TLSA_V_TLS11
#define V12 TLSA_V_TLS12
#define V13 TLSA_V_TLS13
#define TLS_BITS (TLSA_V_SSL3 | V10 | V11 | V12 | V13)

/* --- Cipher suites ----------------------------------------------------------
 * AWS names its suites the OpenSSL way (ECDHE-ECDSA-AES128-GCM-SHA256) and the
 * TLS 1.3 ones TLS_AES_128_GCM_SHA256 (the tables write TLS-AES-128-GCM-SHA256).
 * Wireshark names suites by their IANA names only, so this small map from AWS's
 * names to IANA code points (RFC 5246, 5289, 8446, 7905; IANA "TLS Cipher
 * Suites") is ours. `versions`: where the suite can be negotiated (AEAD and
 * SHA-256/384 suites are TLS 1.2 only); `group`: its key exchange needs a
 * supported group (ECDHE, and every TLS 1.3 suite). The first 22 rows are the
 * rows of AWS's tables, in their order: the policy columns below index them. */
typedef struct {
    uint16_t code;
    uint16_t versions;
    bool group;
    const char *name;
} cipher_info_t;

static const cipher_info_t ciphers[] = {
    {0x1301, V13, true, "TLS_AES_128_GCM_SHA256"},
    {0x1302, V13, true, "TLS_AES_256_GCM_SHA384"},
    {0x1303, V13, true, "TLS_CHACHA20_POLY1305_SHA256"},
    {0xc02b, V12, true, "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {0xc02f, V12, true, "ECDHE-RSA-AES128-GCM-SHA256"},
    {0xc023, V12, true, "ECDHE-ECDSA-AES128-SHA256"},
    {0xc027, V12, true, "ECDHE-RSA-AES128-SHA256"},
    {0xc009, V10 | V11 | V12, true, "ECDHE-ECDSA-AES128-SHA"},
    {0xc013, V10 | V11 | V12, true, "ECDHE-RSA-AES128-SHA"},
    {0xc02c, V12, true, "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {0xc030, V12, true, "ECDHE-RSA-AES256-GCM-SHA384"},
    {0xc024, V12, true, "ECDHE-ECDSA-AES256-SHA384"},
    {0xc028, V12, true, "ECDHE-RSA-AES256-SHA384"},
    {0xc014, V10 | V11 | V12, true, "ECDHE-RSA-AES256-SHA"},
    {0xc00a, V10 | V11 | V12, true, "ECDHE-ECDSA-AES256-SHA"},
    {0x009c, V12, false, "AES128-GCM-SHA256"},
    {0x003c, V12, false, "AES128-SHA256"},
    {0x002f, V10 | V11 | V12, false, "AES128-SHA"},
    {0x009d, V12, false, "AES256-GCM-SHA384"},
    {0x003d, V12, false, "AES256-SHA256"},
    {0x0035, V10 | V11 | V12, false, "AES256-SHA"},
    {0x000a, V10 | V11 | V12, false, "DES-CBC3-SHA"},
    /* Not in AWS's tables; accepted in custom policies. */
    {0x1304, V13, true, "TLS_AES_128_CCM_SHA256"},
    {0x1305, V13, true, "TLS_AES_128_CCM_8_SHA256"},
    {0xcca9, V12, true, "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {0xcca8, V12, true, "ECDHE-RSA-CHACHA20-POLY1305"},
    {0x009e, V12, false, "DHE-RSA-AES128-GCM-SHA256"},
    {0x009f, V12, false, "DHE-RSA-AES256-GCM-SHA384"},
    {0x0033, V10 | V11 | V12, false, "DHE-RSA-AES128-SHA"},
    {0x0039, V10 | V11 | V12, false, "DHE-RSA-AES256-SHA"},
};
#define AWS_ROWS 22

/* --- Supported groups (IANA "TLS Supported Groups"). `versions`: where the
 * group can serve the key exchange of the suites above: ECDHE at TLS 1.0-1.2
 * takes only elliptic curves; finite-field and ML-KEM groups only count at 1.3. */
typedef struct {
    uint16_t code;
    uint16_t versions;
    const char *name;
    const char *alias1, *alias2;
} group_info_t;

static const group_info_t groups[] = {
    {0x0017, V10 | V11 | V12 | V13, "secp256r1", "prime256v1", "P-256"},
    {0x0018, V10 | V11 | V12 | V13, "secp384r1", "P-384", NULL},
    {0x0019, V10 | V11 | V12 | V13, "secp521r1", "P-521", NULL},
    {0x001d, V10 | V11 | V12 | V13, "x25519", NULL, NULL},
    {0x001e, V10 | V11 | V12 | V13, "x448", NULL, NULL},
    {0x0100, V13, "ffdhe2048", NULL, NULL},
    {0x0101, V13, "ffdhe3072", NULL, NULL},
    {0x0102, V13, "ffdhe4096", NULL, NULL},
    {0x0103, V13, "ffdhe6144", NULL, NULL},
    {0x0104, V13, "ffdhe8192", NULL, NULL},
    {0x0201, V13, "MLKEM768", NULL, NULL},
    {0x0202, V13, "MLKEM1024", NULL, NULL},
    {0x11eb, V13, "SecP256r1MLKEM768", NULL, NULL},
    {0x11ec, V13, "X25519MLKEM768", NULL, NULL},
    {0x11ed, V13, "SecP384r1MLKEM1024", NULL, NULL},
};

/* --- The catalogue -----------------------------------------------------------
 * `column`: one character per AWS table row above ('x' = the policy allows
 * the suite), exactly as the page's tables show it. */
typedef struct {
    const char *name;
    uint16_t versions;
    bool pq;               /* a 2025-09 post-quantum policy: restricts groups */
    const char *column;
} policy_def_t;

/*                          TLS 1.3 |ECDHE 128 GCM/SHA2/SHA1|ECDHE 256 ...  |RSA kx        |3DES */
#define COL_TLS13_1_2       "xxx"    "xx"  "xx"  ".."        "xx" "xx" ".."  "......"       "."
#define COL_TLS13_1_3       "xxx"    ".."  ".."  ".."        ".." ".." ".."  "......"       "."
#define COL_TLS13_RES       "xxx"    "xx"  ".."  ".."        "xx" ".." ".."  "......"       "."
#define COL_TLS13_EXT2      "xxx"    "xx"  "xx"  "xx"        "xx" "xx" "xx"  "xxxxxx"       "."
#define COL_TLS13_EXT1      "xxx"    "xx"  "xx"  ".."        "xx" "xx" ".."  "xx.xx."       "."
#define COL_2016_08         "..."    "xx"  "xx"  "xx"        "xx" "xx" "xx"  "xxxxxx"       "."
#define COL_FS_1_2_RES_2020 "..."    "xx"  ".."  ".."        "xx" ".." ".."  "......"       "."
#define COL_FS_1_2_RES_2019 "..."    "xx"  "xx"  ".."        "xx" "xx" ".."  "......"       "."
#define COL_FS_2019         "..."    "xx"  "xx"  "xx"        "xx" "xx" "xx"  "......"       "."
#define COL_TLS_1_2_2017    "..."    "xx"  "xx"  ".."        "xx" "xx" ".."  "xx.xx."       "."
#define COL_TLS_1_0_2015    "..."    "xx"  "xx"  "xx"        "xx" "xx" "xx"  "xxxxxx"       "x"

static const policy_def_t policy_defs[] = {
    /* TLS 1.3 security policies */
    {"ELBSecurityPolicy-TLS13-1-2-2021-06", V12 | V13, false, COL_TLS13_1_2},
    {"ELBSecurityPolicy-TLS13-1-3-2021-06", V13, false, COL_TLS13_1_3},
    {"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", V12 | V13, false, COL_TLS13_RES},
    {"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", V12 | V13, false, COL_TLS13_EXT2},
    {"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", V12 | V13, false, COL_TLS13_EXT1},
    {"ELBSecurityPolicy-TLS13-1-1-2021-06", V11 | V12 | V13, false, COL_TLS13_EXT2},
    {"ELBSecurityPolicy-TLS13-1-0-2021-06", V10 | V11 | V12 | V13, false, COL_TLS13_EXT2},
    /* FS supported policies (and the CLI/CloudFormation default) */
    {"ELBSecurityPolicy-2016-08", V10 | V11 | V12, false, COL_2016_08},
    {"ELBSecurityPolicy-FS-1-2-Res-2020-10", V12, false, COL_FS_1_2_RES_2020},
    {"ELBSecurityPolicy-FS-1-2-Res-2019-08", V12, false, COL_FS_1_2_RES_2019},
    {"ELBSecurityPolicy-FS-1-2-2019-08", V12, false, COL_FS_2019},
    {"ELBSecurityPolicy-FS-1-1-2019-08", V11 | V12, false, COL_FS_2019},
    {"ELBSecurityPolicy-FS-2018-06", V10 | V11 | V12, false, COL_FS_2019},
    /* TLS security policies */
    {"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", V12, false, COL_2016_08},
    {"ELBSecurityPolicy-TLS-1-2-2017-01", V12, false, COL_TLS_1_2_2017},
    {"ELBSecurityPolicy-TLS-1-1-2017-01", V11 | V12, false, COL_2016_08},
    {"ELBSecurityPolicy-TLS-1-0-2015-04", V10 | V11 | V12, false, COL_TLS_1_0_2015},
    {"ELBSecurityPolicy-2015-05", V10 | V11 | V12, false, COL_2016_08}, /* "identical to 2016-08" */
    /* Post-quantum 2025-09 policies (ciphers: the 2021-06 namesake; see the top) */
    {"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", V12 | V13, true, COL_TLS13_1_2},
    {"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", V12 | V13, true, COL_TLS13_RES},
    {"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", V12 | V13, true, COL_TLS13_EXT1},
    {"ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", V12 | V13, true, COL_TLS13_EXT2},
    {"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", V13, true, COL_TLS13_1_3},
};
#define N_POLICIES (sizeof policy_defs / sizeof policy_defs[0])

/* Groups of the PQ policies: the hybrids AWS names, then the classical ones (inferred). */
static const uint16_t pq_groups[] = {0x11ec, 0x11eb, 0x11ed, 0x001d, 0x0017, 0x0018};

static tlsa_policy_t policies[N_POLICIES];
static uint16_t policy_ciphers[N_POLICIES][AWS_ROWS];

static void build_catalogue(void)
{
    static gsize done = 0;
    if (!g_once_init_enter(&done))
        return;
    for (unsigned i = 0; i < N_POLICIES; i++) {
        const policy_def_t *d = &policy_defs[i];
        tlsa_policy_t *p = &policies[i];
        p->name = d->name;
        p->versions = d->versions;
        for (unsigned r = 0; r < AWS_ROWS && d->column[r]; r++) {
            if (d->column[r] == 'x')
                policy_ciphers[i][p->n_ciphers++] = ciphers[r].code;
        }
        p->ciphers = policy_ciphers[i];
        if (d->pq) {
            p->groups = pq_groups;
            p->n_groups = sizeof pq_groups / sizeof pq_groups[0];
        }
    }
    g_once_init_leave(&done, 1);
}

unsigned tlsa_policy_count(void)
{
    return N_POLICIES;
}

const tlsa_policy_t *tlsa_policy_at(unsigned i)
{
    build_catalogue();
    return i < N_POLICIES ? &policies[i] : NULL;
}

const tlsa_policy_t *tlsa_policy_lookup(const char *name, char **error)
{
    build_catalogue();
    for (unsigned i = 0; name && i < N_POLICIES; i++)
        if (strcmp(policies[i].name, name) == 0)
            return &policies[i];
    if (error) {
        GString *s = g_string_new(NULL);
        g_string_printf(s, "unknown ELB security policy '%s'; known policies:", name ? name : "");
        for (unsigned i = 0; i < N_POLICIES; i++)
            g_string_append_printf(s, "%s %s", i ? "," : "", policies[i].name);
        *error = g_string_free(s, FALSE);
    }
    return NULL;
}

/* --- Name tables ---------------------------------------------------------- */

static const cipher_info_t *cipher_info(uint16_t code)
{
    for (unsigned i = 0; i < G_N_ELEMENTS(ciphers); i++)
        if (ciphers[i].code == code)
            return &ciphers[i];
    return NULL;
}

static const group_info_t *group_info(uint16_t code)
{
    for (unsigned i = 0; i < G_N_ELEMENTS(groups); i++)
        if (groups[i].code == code)
            return &groups[i];
    return NULL;
}

const char *tlsa_cipher_openssl_name(uint16_t code)
{
    const cipher_info_t *c = cipher_info(code);
    return c ? c->name : NULL;
}

/* Compares names ignoring case and treating '-' and '_' alike. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)toupper((unsigned char)*a), y = (char)toupper((unsigned char)*b);
        if (x == '-')
            x = '_';
        if (y == '-')
            y = '_';
        if (x != y)
            return false;
    }
    return *a == *b;
}

int tlsa_cipher_by_name(const char *name)
{
    for (unsigned i = 0; name && i < G_N_ELEMENTS(ciphers); i++)
        if (name_eq(ciphers[i].name, name))
            return ciphers[i].code;
    return -1;
}

int tlsa_group_by_name(const char *name)
{
    for (unsigned i = 0; name && i < G_N_ELEMENTS(groups); i++) {
        const group_info_t *g = &groups[i];
        if (name_eq(g->name, name) || (g->alias1 && name_eq(g->alias1, name)) ||
            (g->alias2 && name_eq(g->alias2, name)))
            return g->code;
    }
    return -1;
}

const char *tlsa_group_short_name(uint16_t code)
{
    const group_info_t *g = group_info(code);
    return g ? g->name : NULL;
}

bool tlsa_cipher_is_tls13(uint16_t code)
{
    return (code & 0xff00) == 0x1300;
}

uint16_t tlsa_cipher_versions(uint16_t code)
{
    const cipher_info_t *c = cipher_info(code);
    if (c)
        return c->versions;
    /* Unknown suites: TLS 1.3 by their range, else any version up to 1.2. */
    return tlsa_cipher_is_tls13(code) ? V13 : (uint16_t)(V10 | V11 | V12);
}

bool tlsa_cipher_needs_group(uint16_t code)
{
    const cipher_info_t *c = cipher_info(code);
    if (c)
        return c->group;
    return tlsa_cipher_is_tls13(code); /* unknown pre-1.3 suites: not judged on groups */
}

uint16_t tlsa_group_versions(uint16_t code)
{
    const group_info_t *g = group_info(code);
    return g ? g->versions : V13;
}

/* --- Custom policies ------------------------------------------------------ */

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int parse_version(const char *entry)
{
    char buf[16];
    unsigned n = 0;
    for (const char *p = entry; *p && n + 1 < sizeof buf; p++)
        if (!isspace((unsigned char)*p))
            buf[n++] = (char)tolower((unsigned char)*p);
    buf[n] = '\0';
    const char *v = buf;
    if (strncmp(v, "ssl", 3) == 0) {
        v += 3;
        if (*v == 'v')
            v++;
        return (strcmp(v, "3") == 0 || strcmp(v, "3.0") == 0) ? TLSA_V_SSL3 : -1;
    }
    if (strncmp(v, "tls", 3) == 0) {
        v += 3;
        if (*v == 'v')
            v++;
    }
    if (strcmp(v, "1") == 0 || strcmp(v, "1.0") == 0)
        return V10;
    if (strcmp(v, "1.1") == 0)
        return V11;
    if (strcmp(v, "1.2") == 0)
        return V12;
    if (strcmp(v, "1.3") == 0)
        return V13;
    return -1;
}

/* 0x1301 (1-4 hex digits): 1 and *code; not hex-shaped: 0; malformed: -1. */
static int parse_hex(const char *entry, uint16_t *code)
{
    if (entry[0] != '0' || (entry[1] != 'x' && entry[1] != 'X'))
        return 0;
    const char *h = entry + 2;
    size_t n = strlen(h);
    if (n == 0 || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)h[i]))
            return -1;
    *code = (uint16_t)strtoul(h, NULL, 16);
    return 1;
}

static void add_unique(GArray *a, uint16_t code)
{
    for (guint i = 0; i < a->len; i++)
        if (g_array_index(a, uint16_t, i) == code)
            return;
    g_array_append_val(a, code);
}

/* Parses one list; returns false with *error set. */
static bool parse_list(const char *key, char *value, GArray *codes, uint16_t *version_bits,
                       tlsa_name_resolver_t resolve, char **error)
{
    const bool is_versions = strcmp(key, "versions") == 0;
    const bool is_ciphers = strcmp(key, "ciphers") == 0;
    const char *kind = is_ciphers ? "cipher" : "group";
    unsigned index = 0;
    char *p = value; /* walked by hand (not strtok) so that empty entries are reported */
    for (;;) {
        char *sep = strpbrk(p, "+,");
        if (sep)
            *sep = '\0';
        char *entry = trim(p);
        index++;
        if (!*entry) {
            *error = g_strdup_printf("entry %u of %s is empty", index, key);
            return false;
        }
        if (is_versions) {
            int bit = parse_version(entry);
            if (bit < 0) {
                *error = g_strdup_printf("entry %u of versions: unknown version '%s' "
                                         "(expected tls1.0, tls1.1, tls1.2 or tls1.3)", index, entry);
                return false;
            }
            *version_bits |= (uint16_t)bit;
        } else {
            uint16_t code = 0;
            int hex = parse_hex(entry, &code);
            if (hex < 0) {
                *error = g_strdup_printf("entry %u of %s: bad code point '%s' (expected 0x0000-0xffff)",
                                         index, key, entry);
                return false;
            }
            if (hex == 0) {
                int c = is_ciphers ? tlsa_cipher_by_name(entry) : tlsa_group_by_name(entry);
                if (c >= 0)
                    code = (uint16_t)c;
                else if (!resolve || !resolve(kind, entry, &code)) {
                    *error = g_strdup_printf("entry %u of %s: unknown %s '%s'", index, key, kind, entry);
                    return false;
                }
            }
            add_unique(codes, code);
        }
        if (!sep)
            break;
        p = sep + 1;
    }
    return true;
}

tlsa_policy_t *tlsa_policy_parse(const char *text, tlsa_name_resolver_t resolve, char **error)
{
    char *err = NULL;
    char *copy = g_strdup(text ? text : "");
    GArray *cs = g_array_new(FALSE, FALSE, sizeof(uint16_t));
    GArray *gs = g_array_new(FALSE, FALSE, sizeof(uint16_t));
    uint16_t versions = 0;
    bool seen_versions = false, seen_ciphers = false, seen_groups = false;

    char *p = copy;
    while (!err) {
        char *semi = strchr(p, ';');
        if (semi)
            *semi = '\0';
        char *seg = trim(p);
        if (*seg) {
            char *eq = strchr(seg, '=');
            if (!eq) {
                err = g_strdup_printf("'%s' is not key=value (keys: versions, ciphers, groups)", seg);
                break;
            }
            *eq = '\0';
            char *key = trim(seg);
            char *value = eq + 1;
            for (char *k = key; *k; k++)
                *k = (char)tolower((unsigned char)*k);
            bool *seen = strcmp(key, "versions") == 0 ? &seen_versions
                       : strcmp(key, "ciphers") == 0  ? &seen_ciphers
                       : strcmp(key, "groups") == 0   ? &seen_groups : NULL;
            if (!seen) {
                err = g_strdup_printf("unknown key '%s' (expected versions, ciphers or groups)", key);
                break;
            }
            if (*seen) {
                err = g_strdup_printf("%s given twice", key);
                break;
            }
            *seen = true;
            GArray *target = seen == &seen_groups ? gs : cs;
            if (!parse_list(key, value, target, &versions, resolve, &err))
                break;
        }
        if (!semi)
            break;
        p = semi + 1;
    }
    if (!err && !seen_versions)
        err = g_strdup("custom policy lists no versions (e.g. versions=tls1.2+tls1.3)");
    if (!err && !seen_ciphers)
        err = g_strdup("custom policy lists no ciphers (e.g. ciphers=0x1301+ECDHE-RSA-AES128-GCM-SHA256)");
    g_free(copy);
    if (err) {
        g_array_free(cs, TRUE);
        g_array_free(gs, TRUE);
        if (error)
            *error = err;
        else
            g_free(err);
        return NULL;
    }
    tlsa_policy_t *policy = g_new0(tlsa_policy_t, 1);
    policy->name = "custom";
    policy->versions = versions;
    policy->n_ciphers = (uint16_t)cs->len;
    policy->ciphers = (const uint16_t *)(void *)g_array_free(cs, FALSE);
    policy->n_groups = (uint16_t)gs->len;
    policy->groups = (const uint16_t *)(void *)g_array_free(gs, FALSE);
    if (!policy->n_groups) {
        g_free((void *)policy->groups);
        policy->groups = NULL;
    }
    return policy;
}

void tlsa_policy_free(tlsa_policy_t *policy)
{
    if (!policy)
        return;
    g_free((void *)policy->ciphers);
    g_free((void *)policy->groups);
    g_free(policy);
}

/* --- The verdict ------------------------------------------------------------ */

static bool contains(const uint16_t *list, unsigned n, uint16_t code)
{
    for (unsigned i = 0; i < n; i++)
        if (list[i] == code)
            return true;
    return false;
}

uint16_t tlsa_offer_effective_versions(const tlsa_offer_t *offer)
{
    uint16_t v = offer->versions & TLS_BITS;
    /* A ClientHello without supported_versions names its highest version and
     * accepts any lower one the server picks (down to TLS 1.0). */
    if (offer->legacy_version && v && !(v & V13)) {
        uint16_t highest = 0;
        for (uint16_t b = V12; b >= V10 && !highest; b >>= 1)
            if (v & b)
                highest = b;
        for (uint16_t b = highest; b >= V10; b >>= 1)
            v |= b;
    }
    return v;
}

tlsa_verdict_t tlsa_policy_verdict(const tlsa_policy_t *policy, const tlsa_offer_t *offer)
{
    if (!policy || !offer)
        return TLSA_VERDICT_NONE;
    uint16_t offered = tlsa_offer_effective_versions(offer);
    if (!offered)
        return TLSA_VERDICT_NONE;
    uint16_t common = offered & policy->versions;
    if (!common)
        return TLSA_VERDICT_NO_COMMON_VERSION;

    bool any_cipher = false;
    for (uint16_t v = V13; v >= TLSA_V_SSL3; v >>= 1) {
        if (!(common & v))
            continue;
        for (unsigned i = 0; i < policy->n_ciphers; i++) {
            uint16_t c = policy->ciphers[i];
            if (!(tlsa_cipher_versions(c) & v) || !contains(offer->ciphers, offer->n_ciphers, c))
                continue;
            any_cipher = true;
            if (!tlsa_cipher_needs_group(c) || !policy->n_groups || !offer->n_groups)
                return TLSA_VERDICT_OK;
            for (unsigned g = 0; g < policy->n_groups; g++)
                if ((tlsa_group_versions(policy->groups[g]) & v) &&
                    contains(offer->groups, offer->n_groups, policy->groups[g]))
                    return TLSA_VERDICT_OK;
        }
    }
    return any_cipher ? TLSA_VERDICT_NO_COMMON_GROUP : TLSA_VERDICT_NO_COMMON_CIPHER;
}

const char *tlsa_verdict_name(tlsa_verdict_t verdict)
{
    static const char *const names[TLSA_VERDICT_COUNT] = {
        "", "ok", "no_common_version", "no_common_cipher", "no_common_group",
    };
    return (unsigned)verdict < TLSA_VERDICT_COUNT ? names[verdict] : "";
}

const char *tlsa_version_range_text(uint16_t bits, char *buf, unsigned size)
{
    static const struct { uint16_t bit; const char *num; } vs[] = {
        {TLSA_V_SSL3, "SSL 3.0"}, {V10, "1.0"}, {V11, "1.1"}, {V12, "1.2"}, {V13, "1.3"},
    };
    GString *s = g_string_new(NULL);
    unsigned i = 0, n = G_N_ELEMENTS(vs);
    while (i < n) {
        if (!(bits & vs[i].bit)) {
            i++;
            continue;
        }
        unsigned j = i;
        while (j + 1 < n && (bits & vs[j + 1].bit) && vs[i].bit != TLSA_V_SSL3)
            j++;
        if (s->len)
            g_string_append(s, ", ");
        if (vs[i].bit == TLSA_V_SSL3)
            g_string_append(s, vs[i].num);
        else if (j == i)
            g_string_append_printf(s, "TLS %s", vs[i].num);
        else
            g_string_append_printf(s, "TLS %s\u2013%s", vs[i].num, vs[j].num);
        i = j + 1;
    }
    g_strlcpy(buf, s->str, size);
    g_string_free(s, TRUE);
    return buf;
}
