/* policy_glue.c — see policy_glue.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "policy_glue.h"

#include "conversation_table.h"

#include <string.h>

#include <epan/prefs.h>
#include <epan/proto.h>
#include <wsutil/report_message.h>

#include "conv_columns.h"
#include "conv_policy.h"
#include "frame_fields.h"

static const char *pref_elb_policy = "";
static const char *pref_custom_policy = "";
static tlsa_policy_t *custom_policy;
static int hf_policy = -1;
static int hf_cause = -1;

/* The value_string behind a field's `strings` (plain or extended), or NULL.
 * Several fields can share the name (tls.handshake.extensions_supported_group
 * is registered more than once): the first one with names counts. Looked up
 * once per field. */
static const value_string *field_names(const char *field)
{
    static const char *const names[2] = {"tls.handshake.ciphersuite", "tls.handshake.extensions_supported_group"};
    static const value_string *cache[2];
    static gboolean looked_up[2];
    unsigned k = strcmp(field, names[0]) == 0 ? 0 : 1;
    if (looked_up[k])
        return cache[k];
    for (header_field_info *hfi = proto_registrar_get_byname(field); hfi; hfi = hfi->same_name_next) {
        if (!hfi->strings || (hfi->display & (BASE_RANGE_STRING | BASE_VAL64_STRING)) ||
            FIELD_DISPLAY(hfi->display) == BASE_CUSTOM)
            continue;
        cache[k] = (hfi->display & BASE_EXT_STRING)
                       ? VALUE_STRING_EXT_VS_P((const value_string_ext *)hfi->strings)
                       : (const value_string *)hfi->strings;
        break;
    }
    looked_up[k] = TRUE;
    return cache[k];
}

static const char *name_of(const char *field, guint16 code)
{
    const value_string *vs = field_names(field);
    for (; vs && vs->strptr; vs++)
        if (vs->value == code)
            return vs->strptr;
    return NULL;
}

const char *tlsa_ws_cipher_name(guint16 code)
{
    return name_of("tls.handshake.ciphersuite", code);
}

const char *tlsa_ws_group_name(guint16 code)
{
    return name_of("tls.handshake.extensions_supported_group", code);
}

/* Custom policies may name suites and groups the way Wireshark does. */
static bool resolve_ws_name(const char *kind, const char *name, uint16_t *code)
{
    const value_string *vs = field_names(strcmp(kind, "cipher") == 0 ? "tls.handshake.ciphersuite"
                                                                    : "tls.handshake.extensions_supported_group");
    for (; vs && vs->strptr; vs++)
        if (g_ascii_strcasecmp(vs->strptr, name) == 0) {
            *code = (uint16_t)vs->value;
            return true;
        }
    return false;
}

static void apply_prefs(void)
{
    char *error = NULL;
    tlsa_policy_set_active(NULL);
    tlsa_policy_free(custom_policy);
    custom_policy = NULL;
    gboolean has_elb = pref_elb_policy && *pref_elb_policy;
    gboolean has_custom = pref_custom_policy && *pref_custom_policy;
    if (has_elb && has_custom) {
        report_failure("tlsalerts: set tlsalerts.elb_policy or tlsalerts.custom_policy, not both");
    } else if (has_elb) {
        const tlsa_policy_t *p = tlsa_policy_lookup(pref_elb_policy, &error);
        if (p)
            tlsa_policy_set_active(p);
    } else if (has_custom) {
        custom_policy = tlsa_policy_parse(pref_custom_policy, resolve_ws_name, &error);
        tlsa_policy_set_active(custom_policy);
        if (error) {
            char *e = g_strdup_printf("tlsalerts.custom_policy: %s", error);
            g_free(error);
            error = e;
        }
    }
    if (error) {
        report_failure("tlsalerts: %s", error);
        g_free(error);
    }
}

module_t *tlsa_policy_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_policy,
          { "Policy verdict", "tlsalerts.policy", FT_STRING, BASE_NONE, NULL, 0x0,
            "Could a listener with the configured security policy accept this ClientHello: ok, "
            "no_common_version, no_common_cipher, no_common_group", HFILL } },
        { &hf_cause,
          { "Likely cause", "tlsalerts.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why the handshake most likely failed, in words", HFILL } },
    };
    proto_register_field_array(proto, hf, array_length(hf));
    tlsa_conv_columns_set_code_names(tlsa_ws_cipher_name, tlsa_ws_group_name);
    module_t *module = prefs_register_protocol(proto, apply_prefs);
    prefs_register_string_preference(module, "elb_policy", "ELB security policy",
        "AWS ELB security policy (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06) to judge every ClientHello "
        "against; empty: none", &pref_elb_policy);
    prefs_register_string_preference(module, "custom_policy", "Custom security policy",
        "versions=tls1.2+tls1.3;ciphers=0x1301+ECDHE-RSA-AES128-GCM-SHA256;groups=x25519+secp256r1 "
        "(groups optional); empty: none", &pref_custom_policy);
    return module;
}

static const guint16 *read_codes(proto_tree *tree, tlsa_field_id_t id, guint16 *count)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    *count = 0;
    if (!items || items->len == 0)
        return NULL;
    guint n = MIN(items->len, G_MAXUINT16);
    guint16 *codes = g_new(guint16, n);
    for (guint i = 0; i < n; i++)
        codes[i] = (guint16)tlsa_field_uint((const field_info *)g_ptr_array_index(items, i));
    *count = (guint16)n;
    const guint16 *kept = tlsa_conv_table_intern_codes(codes, (guint16)n);
    g_free(codes);
    return kept;
}

void tlsa_policy_remember_hello(tlsa_conv_t *conv, proto_tree *tree)
{
    if (!conv || (conv->hello && conv->hello->lists) || conv->tracker.protocol != TLSA_PROTO_TLS)
        return;
    GPtrArray *types = tlsa_field_items(tree, TF_TLS_HS_TYPE);
    gboolean client_hello = FALSE;
    for (guint i = 0; types && i < types->len; i++)
        client_hello |= tlsa_field_uint((const field_info *)g_ptr_array_index(types, i)) == 1;
    if (!client_hello)
        return;
    tlsa_hello_t hello;
    tlsa_conv_hello_value(conv, &hello);
    hello.lists = 1;
    hello.legacy = tlsa_field_count(tree, TF_TLS_SUPPORTED_VERSION) == 0;
    hello.ciphers = read_codes(tree, TF_TLS_CIPHERSUITE, &hello.n_ciphers);
    hello.groups = read_codes(tree, TF_TLS_SUPPORTED_GROUP, &hello.n_groups);
    conv->hello = tlsa_conv_table_intern_hello(&hello);
}

void tlsa_policy_add_items(proto_tree *tree, tvbuff_t *tvb, const tlsa_conv_t *conv)
{
    const tlsa_policy_t *policy = tlsa_policy_active();
    tlsa_verdict_t verdict = tlsa_conv_verdict(conv, policy);
    if (verdict != TLSA_VERDICT_NONE)
        proto_item_set_generated(proto_tree_add_string(tree, hf_policy, tvb, 0, 0, tlsa_verdict_name(verdict)));
    char *cause = tlsa_conv_likely_cause(conv, policy);
    if (cause)
        proto_item_set_generated(proto_tree_add_string(tree, hf_cause, tvb, 0, 0, cause));
    g_free(cause);
}
