/* alert_group.h — what an alert means for the user: the failure classification.
 *
 * "Failure" is every alert except the closure alerts close_notify (0) and
 * user_canceled (90). Failures fall into groups by description code; the table
 * is in alert_group.c and in README.md ("Classification").
 *
 * Pure C, no Wireshark types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_GROUP_H
#define TLSALERTS_ALERT_GROUP_H

#include <stdbool.h>

typedef enum {
    TLSA_GROUP_GRACEFUL = 0, /* normal closure, never a failure */
    TLSA_GROUP_NEGOTIATION,  /* peers could not agree: version, cipher, ALPN, SNI, policy */
    TLSA_GROUP_PKI,          /* certificates, trust, identity, credentials */
    TLSA_GROUP_HARDWARE,     /* corruption-like: bit flips, offload, middleboxes, HSM faults */
    TLSA_GROUP_PROTOCOL,     /* a peer broke the state machine or field rules */
    TLSA_GROUP_UNKNOWN,      /* unassigned or private codes */
    TLSA_GROUP_COUNT
} tlsa_group_t;

tlsa_group_t tlsa_group_of(unsigned description);

/* "graceful", "negotiation", "pki", "hardware", "protocol", "unknown". */
const char *tlsa_group_name(tlsa_group_t group);

/* One line for users: what the group points at. */
const char *tlsa_group_meaning(tlsa_group_t group);

/* Every alert except close_notify and user_canceled. */
bool tlsa_is_failure(unsigned description);

#endif
