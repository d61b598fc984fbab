/* alert_group.c — failure classification by description code.
 *
 * | group       | codes                                                  |
 * |-------------|--------------------------------------------------------|
 * | graceful    | 0 close_notify, 90 user_canceled                       |
 * | negotiation | 40 60 70 71 86 100 109 110 112 120 121                 |
 * | pki         | 41 42 43 44 45 46 48 49 111 113 114 115 116            |
 * | hardware    | 20 21 22 30 50 51 80                                   |
 * | protocol    | 10 47                                                  |
 * | unknown     | everything else                                        |
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alert_group.h"

#include <stddef.h>

tlsa_group_t tlsa_group_of(unsigned description)
{
    switch (description) {
    case 0: case 90:
        return TLSA_GROUP_GRACEFUL;
    case 40: case 60: case 70: case 71: case 86: case 100:
    case 109: case 110: case 112: case 120: case 121:
        return TLSA_GROUP_NEGOTIATION;
    case 41: case 42: case 43: case 44: case 45: case 46: case 48: case 49:
    case 111: case 113: case 114: case 115: case 116:
        return TLSA_GROUP_PKI;
    case 20: case 21: case 22: case 30: case 50: case 51: case 80:
        return TLSA_GROUP_HARDWARE;
    case 10: case 47:
        return TLSA_GROUP_PROTOCOL;
    default:
        return TLSA_GROUP_UNKNOWN;
    }
}

static const struct {
    const char *name;
    const char *meaning;
} groups[TLSA_GROUP_COUNT] = {
    [TLSA_GROUP_GRACEFUL]    = { "graceful",    "normal closure, never a failure" },
    [TLSA_GROUP_NEGOTIATION] = { "negotiation", "the peers could not agree (policy, version, cipher, ALPN, SNI)" },
    [TLSA_GROUP_PKI]         = { "pki",         "certificates, trust, identity, credentials (configuration)" },
    [TLSA_GROUP_HARDWARE]    = { "hardware",    "corruption-like: bit flips, NIC offload, middleboxes, HSM/internal faults" },
    [TLSA_GROUP_PROTOCOL]    = { "protocol",    "a peer violated the protocol state machine or field rules" },
    [TLSA_GROUP_UNKNOWN]     = { "unknown",     "unassigned or private alert codes" },
};

const char *tlsa_group_name(tlsa_group_t group)
{
    return (unsigned)group < TLSA_GROUP_COUNT ? groups[group].name : "unknown";
}

const char *tlsa_group_meaning(tlsa_group_t group)
{
    return (unsigned)group < TLSA_GROUP_COUNT ? groups[group].meaning : groups[TLSA_GROUP_UNKNOWN].meaning;
}

bool tlsa_is_failure(unsigned description)
{
    return tlsa_group_of(description) != TLSA_GROUP_GRACEFUL;
}
