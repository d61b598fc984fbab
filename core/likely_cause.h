/* likely_cause.h — one short, actionable sentence per failed handshake.
 *
 * Derived from the outcome, the first failure alert (description and sender),
 * the stage the handshake had reached and the security-policy verdict, by a
 * rule table (likely_cause.c; README "Likely cause" lists every rule): the
 * first rule that matches wins. Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_LIKELY_CAUSE_H
#define TLSALERTS_LIKELY_CAUSE_H

#include <stdint.h>

#include "elb_policy.h"
#include "handshake_tracker.h"

#define TLSA_CAUSE_NO_ALERT  (-2)  /* input: the failure had no readable alert */

typedef struct {
    tlsa_outcome_t outcome;
    int alert;                     /* first failure alert's description, or TLSA_CAUSE_NO_ALERT */
    tlsa_sender_t sender;          /* of that alert; without one, the side that closed first */
    tlsa_stage_t stage;            /* the alert's stage, else the handshake's */
    tlsa_verdict_t verdict;
    uint16_t offered_versions;     /* TLSA_V_* as the verdict saw them (for the text) */
    const tlsa_policy_t *policy;   /* NULL when none */
} tlsa_cause_input_t;

typedef struct {
    const char *id;                /* stable short name: "policy_version", "client_untrusted_ca" */
    uint16_t outcomes;             /* bit per tlsa_outcome_t; 0 = any failed outcome */
    uint8_t  alerts[4];            /* descriptions that match ... */
    uint8_t  n_alerts;             /* ... how many; 0 = any alert, or none */
    uint8_t  sender;               /* tlsa_sender_t; TLSA_SENDER_UNKNOWN = any */
    uint8_t  stages;               /* bit per tlsa_stage_t; 0 = any */
    uint8_t  verdicts;             /* bit per tlsa_verdict_t; 0 = any */
    const char *text;              /* may hold {alert}, {offered}, {policy}, {policy_versions},
                                    * {policy_groups} */
} tlsa_cause_rule_t;

/* The table, in matching order. */
const tlsa_cause_rule_t *tlsa_cause_rules(unsigned *count);

/* The first rule matching a failed handshake, or NULL (not a failure, or no rule). */
const tlsa_cause_rule_t *tlsa_cause_match(const tlsa_cause_input_t *in);

/* The rule's sentence with its placeholders filled, newly allocated (g_free);
 * NULL when no rule matches. */
char *tlsa_cause_text(const tlsa_cause_input_t *in);

#endif
