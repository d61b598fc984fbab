/* conv_policy.h — the security-policy verdict and the likely cause of one
 * conversation, and the policy in force. Pure C (GLib).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONV_POLICY_H
#define TLSALERTS_CONV_POLICY_H

#include "conversation.h"
#include "elb_policy.h"
#include "likely_cause.h"

/* The policy the reports judge against (tlsalerts.elb_policy or
 * tlsalerts.custom_policy); NULL: none. Not owned. */
void tlsa_policy_set_active(const tlsa_policy_t *policy);
const tlsa_policy_t *tlsa_policy_active(void);

/* What the conversation's ClientHello offered; false when it had none (or the
 * conversation is not TLS). */
bool tlsa_conv_offer(const tlsa_conv_t *conv, tlsa_offer_t *offer);

/* none without a policy, without a ClientHello, or for DTLS/QUIC. */
tlsa_verdict_t tlsa_conv_verdict(const tlsa_conv_t *conv, const tlsa_policy_t *policy);

/* The inputs of the likely-cause rules for this conversation. */
void tlsa_conv_cause_input(const tlsa_conv_t *conv, const tlsa_policy_t *policy, tlsa_cause_input_t *in);

/* The likely-cause sentence (g_free), NULL when the handshake did not fail. */
char *tlsa_conv_likely_cause(const tlsa_conv_t *conv, const tlsa_policy_t *policy);

/* The rule behind it, or NULL. */
const tlsa_cause_rule_t *tlsa_conv_cause_rule(const tlsa_conv_t *conv, const tlsa_policy_t *policy);

#endif
