/* policy_glue.h — the security-policy verdict inside Wireshark: the
 * preferences tlsalerts.elb_policy / tlsalerts.custom_policy, the ClientHello
 * lists read from the tree, the tlsalerts.policy / tlsalerts.cause fields, and
 * suite and group names from Wireshark's own tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_POLICY_GLUE_H
#define TLSALERTS_POLICY_GLUE_H

#include <epan/packet.h>
#include <epan/prefs.h>

#include "conversation.h"

/* From proto_register_tlsalerts: the preferences module and the fields. */
/* Registers the policy fields and preferences; returns the protocol's
 * preferences module, for the others. */
module_t *tlsa_policy_register(int proto);

/* From the per-frame analysis (fields of the frame indexed): keeps the
 * ClientHello's offered suites and groups with its conversation. */
void tlsa_policy_remember_hello(tlsa_conv_t *conv, proto_tree *tree);

/* From the subtree of a conversation's frame: tlsalerts.policy, tlsalerts.cause. */
void tlsa_policy_add_items(proto_tree *tree, tvbuff_t *tvb, const tlsa_conv_t *conv);

/* Wireshark's name of a cipher suite / supported group ("TLS_AES_128_GCM_SHA256",
 * "x25519"), or NULL when it has none. */
const char *tlsa_ws_cipher_name(guint16 code);
const char *tlsa_ws_group_name(guint16 code);

#endif
