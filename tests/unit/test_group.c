/* test_group.c — the failure classification, exactly the reference table of the
 * product brief, over every code 0-255. */
#include "check.h"

#include "alert_group.h"

static const unsigned graceful[] = {0, 90};
static const unsigned negotiation[] = {40, 60, 70, 71, 86, 100, 109, 110, 112, 120, 121};
static const unsigned pki[] = {41, 42, 43, 44, 45, 46, 48, 49, 111, 113, 114, 115, 116};
static const unsigned hardware[] = {20, 21, 22, 30, 50, 51, 80};
static const unsigned protocol[] = {10, 47};

#define IN(list, code) in_list(list, sizeof list / sizeof list[0], code)

static int in_list(const unsigned *list, unsigned n, unsigned code)
{
    for (unsigned i = 0; i < n; i++)
        if (list[i] == code)
            return 1;
    return 0;
}

int main(void)
{
    unsigned per_group[TLSA_GROUP_COUNT] = {0};

    for (unsigned code = 0; code < 256; code++) {
        tlsa_group_t expected = TLSA_GROUP_UNKNOWN;
        if (IN(graceful, code))
            expected = TLSA_GROUP_GRACEFUL;
        else if (IN(negotiation, code))
            expected = TLSA_GROUP_NEGOTIATION;
        else if (IN(pki, code))
            expected = TLSA_GROUP_PKI;
        else if (IN(hardware, code))
            expected = TLSA_GROUP_HARDWARE;
        else if (IN(protocol, code))
            expected = TLSA_GROUP_PROTOCOL;

        tlsa_group_t got = tlsa_group_of(code);
        per_group[got]++;
        CHECK(got == expected, "code %u: group %s, expected %s", code,
              tlsa_group_name(got), tlsa_group_name(expected));
        CHECK(tlsa_is_failure(code) == (expected != TLSA_GROUP_GRACEFUL),
              "code %u failure flag", code);
    }
    CHECK(per_group[TLSA_GROUP_GRACEFUL] == 2, "%u", per_group[TLSA_GROUP_GRACEFUL]);
    CHECK(per_group[TLSA_GROUP_NEGOTIATION] == 11, "%u", per_group[TLSA_GROUP_NEGOTIATION]);
    CHECK(per_group[TLSA_GROUP_PKI] == 13, "%u", per_group[TLSA_GROUP_PKI]);
    CHECK(per_group[TLSA_GROUP_HARDWARE] == 7, "%u", per_group[TLSA_GROUP_HARDWARE]);
    CHECK(per_group[TLSA_GROUP_PROTOCOL] == 2, "%u", per_group[TLSA_GROUP_PROTOCOL]);
    CHECK(per_group[TLSA_GROUP_UNKNOWN] == 256 - 35, "%u", per_group[TLSA_GROUP_UNKNOWN]);

    CHECK_STR(tlsa_group_name(TLSA_GROUP_GRACEFUL), "graceful");
    CHECK_STR(tlsa_group_name(TLSA_GROUP_NEGOTIATION), "negotiation");
    CHECK_STR(tlsa_group_name(TLSA_GROUP_PKI), "pki");
    CHECK_STR(tlsa_group_name(TLSA_GROUP_HARDWARE), "hardware");
    CHECK_STR(tlsa_group_name(TLSA_GROUP_PROTOCOL), "protocol");
    CHECK_STR(tlsa_group_name(TLSA_GROUP_UNKNOWN), "unknown");
    CHECK_STR(tlsa_group_name((tlsa_group_t)99), "unknown");
    return check_report("test_group");
}
