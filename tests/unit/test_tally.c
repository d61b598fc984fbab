/* test_tally.c — counting: totals, groups, encrypted alerts apart, sorted rows,
 * reset between retaps. */
#include "check.h"

#include "alert_tally.h"

static tlsa_record_t alert(unsigned protocol, unsigned level, unsigned description, unsigned flags)
{
    tlsa_record_t a = {0};
    a.protocol = (uint8_t)protocol;
    a.level = (uint8_t)level;
    a.description = (uint8_t)description;
    a.flags = (uint8_t)flags;
    return a;
}

int main(void)
{
    tlsa_tally_t t;
    tlsa_tally_init(&t);

    tlsa_record_t seen[] = {
        alert(TLSA_PROTO_TLS, 2, 48, 0),   /* unknown_ca */
        alert(TLSA_PROTO_TLS, 2, 48, 0),
        alert(TLSA_PROTO_TLS, 1, 0, 0),    /* close_notify: not a failure */
        alert(TLSA_PROTO_TLS, 0, 0, TLSA_ALERT_ENCRYPTED),
        alert(TLSA_PROTO_DTLS, 2, 40, 0),  /* handshake_failure */
        alert(TLSA_PROTO_QUIC, 2, 120, 0), /* no_application_protocol */
        alert(TLSA_PROTO_TLS, 3, 255, 0),  /* unknown level, unassigned code */
        alert(TLSA_PROTO_DTLS, 0, 0, TLSA_ALERT_ENCRYPTED),
    };
    for (unsigned i = 0; i < sizeof seen / sizeof seen[0]; i++)
        tlsa_tally_add(&t, &seen[i]);

    CHECK(t.alerts == 8, "%llu", (unsigned long long)t.alerts);
    CHECK(t.encrypted == 2, "%llu", (unsigned long long)t.encrypted);
    CHECK(t.encrypted_by_protocol[TLSA_PROTO_TLS] == 1, "tls");
    CHECK(t.encrypted_by_protocol[TLSA_PROTO_DTLS] == 1, "dtls");
    CHECK(t.failures == 5, "%llu", (unsigned long long)t.failures);
    CHECK(t.by_group[TLSA_GROUP_GRACEFUL] == 1, "graceful");
    CHECK(t.by_group[TLSA_GROUP_PKI] == 2, "pki");
    CHECK(t.by_group[TLSA_GROUP_NEGOTIATION] == 2, "negotiation");
    CHECK(t.by_group[TLSA_GROUP_UNKNOWN] == 1, "unknown");
    CHECK(t.by_group[TLSA_GROUP_HARDWARE] == 0, "hardware");

    GPtrArray *rows = tlsa_tally_sorted_rows(&t);
    CHECK(rows->len == 5, "%u rows", rows->len);
    static const unsigned expected[][4] = {
        {TLSA_PROTO_TLS, 1, 0, 1}, {TLSA_PROTO_TLS, 2, 48, 2}, {TLSA_PROTO_TLS, 3, 255, 1},
        {TLSA_PROTO_DTLS, 2, 40, 1}, {TLSA_PROTO_QUIC, 2, 120, 1},
    };
    for (unsigned i = 0; i < rows->len && i < 5; i++) {
        const tlsa_tally_row_t *r = g_ptr_array_index(rows, i);
        CHECK(r->protocol == expected[i][0] && r->level == expected[i][1] &&
              r->description == expected[i][2] && r->count == expected[i][3],
              "row %u: %u/%u/%u x%llu", i, r->protocol, r->level, r->description,
              (unsigned long long)r->count);
    }
    g_ptr_array_free(rows, TRUE);

    /* A retap starts from zero. */
    tlsa_tally_reset(&t);
    CHECK(t.alerts == 0 && t.failures == 0 && t.encrypted == 0, "reset totals");
    rows = tlsa_tally_sorted_rows(&t);
    CHECK(rows->len == 0, "%u rows after reset", rows->len);
    g_ptr_array_free(rows, TRUE);
    tlsa_tally_add(&t, &seen[0]);
    CHECK(t.alerts == 1 && t.by_group[TLSA_GROUP_PKI] == 1, "counts after reset");

    /* A record standing for a run of identical alerts counts as that many;
     * a duplicate run counts none; a conversation record counts no alert. */
    tlsa_tally_reset(&t);
    tlsa_record_t run = alert(TLSA_PROTO_TLS, 1, 0, 0);
    run.kind = TLSA_REC_ALERT;
    run.repeats = 8999;
    run.sender = TLSA_SENDER_SERVER;
    tlsa_tally_add(&t, &run);
    tlsa_record_t enc = alert(TLSA_PROTO_TLS, 0, 0, TLSA_ALERT_ENCRYPTED);
    enc.repeats = 2;
    enc.sender = TLSA_SENDER_CLIENT;
    tlsa_tally_add(&t, &enc);
    tlsa_record_t dup = run;
    dup.flags = TLSA_ALERT_DUPLICATE;
    tlsa_tally_add(&t, &dup);
    tlsa_record_t conv = {0};
    conv.kind = TLSA_REC_CONVERSATION;
    tlsa_tally_add(&t, &conv);
    CHECK(t.alerts == 9003 && t.by_group[TLSA_GROUP_GRACEFUL] == 9000 && t.failures == 0, "run: %llu alerts",
          (unsigned long long)t.alerts);
    CHECK(t.encrypted == 3 && t.encrypted_by_sender[TLSA_PROTO_TLS][TLSA_SENDER_CLIENT] == 3, "encrypted run");
    rows = tlsa_tally_sorted_rows(&t);
    CHECK(rows->len == 1 && ((const tlsa_tally_row_t *)g_ptr_array_index(rows, 0))->count == 9000 &&
          ((const tlsa_tally_row_t *)g_ptr_array_index(rows, 0))->by_sender[TLSA_SENDER_SERVER] == 9000, "run row");
    g_ptr_array_free(rows, TRUE);

    tlsa_tally_free(&t);
    return check_report("test_tally");
}
