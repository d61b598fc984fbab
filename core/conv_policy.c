/* conv_policy.c — a conversation's verdict and likely cause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conv_policy.h"

#include <string.h>

static const tlsa_policy_t *active_policy;

void tlsa_policy_set_active(const tlsa_policy_t *policy)
{
    active_policy = policy;
}

const tlsa_policy_t *tlsa_policy_active(void)
{
    return active_policy;
}

bool tlsa_conv_offer(const tlsa_conv_t *conv, tlsa_offer_t *offer)
{
    memset(offer, 0, sizeof *offer);
    if (!conv || conv->tracker.protocol != TLSA_PROTO_TLS || !conv->tracker.seen_client_hello ||
        !conv->hello || !conv->hello->lists)
        return false;
    const tlsa_hello_t *h = conv->hello;
    offer->versions = conv->tracker.offered;
    offer->legacy_version = h->legacy != 0;
    offer->ciphers = h->ciphers;
    offer->n_ciphers = h->n_ciphers;
    offer->groups = h->groups;
    offer->n_groups = h->n_groups;
    return true;
}

tlsa_verdict_t tlsa_conv_verdict(const tlsa_conv_t *conv, const tlsa_policy_t *policy)
{
    tlsa_offer_t offer;
    if (!policy || !tlsa_conv_offer(conv, &offer))
        return TLSA_VERDICT_NONE;
    return tlsa_policy_verdict(policy, &offer);
}

void tlsa_conv_cause_input(const tlsa_conv_t *conv, const tlsa_policy_t *policy, tlsa_cause_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->outcome = tlsa_conv_outcome(conv);
    const tlsa_alert_note_t *f = conv->tracker.first_failure;
    if (f) {
        in->alert = f->encrypted ? TLSA_CAUSE_NO_ALERT : f->description;
        in->sender = (tlsa_sender_t)f->sender;
        in->stage = (tlsa_stage_t)f->stage;
    } else {
        in->alert = TLSA_CAUSE_NO_ALERT;
        /* No alert: the side that closed first. */
        in->sender = conv->tracker.close_side >= 0 ?
                     tlsa_tracker_sender(&conv->tracker, (tlsa_side_t)conv->tracker.close_side) : TLSA_SENDER_UNKNOWN;
        in->stage = tlsa_tracker_stage(&conv->tracker);
    }
    tlsa_offer_t offer;
    bool offered = tlsa_conv_offer(conv, &offer);
    in->verdict = policy && offered ? tlsa_policy_verdict(policy, &offer) : TLSA_VERDICT_NONE;
    in->offered_versions = offered ? tlsa_offer_effective_versions(&offer) : conv->tracker.offered;
    in->policy = policy;
}

char *tlsa_conv_likely_cause(const tlsa_conv_t *conv, const tlsa_policy_t *policy)
{
    tlsa_cause_input_t in;
    tlsa_conv_cause_input(conv, policy, &in);
    return tlsa_cause_text(&in);
}

const tlsa_cause_rule_t *tlsa_conv_cause_rule(const tlsa_conv_t *conv, const tlsa_policy_t *policy)
{
    tlsa_cause_input_t in;
    tlsa_conv_cause_input(conv, policy, &in);
    return tlsa_cause_match(&in);
}
