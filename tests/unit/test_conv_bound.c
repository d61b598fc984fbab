/* test_conv_bound.c — the bound on provisional conversations: the oldest is
 * folded first, promoted ones stay for good, the queue stays small; a folded
 * conversation leaves a report's list into exact counts; the record store
 * gives its records, in any frame, as the stand-in's. */
#include "check.h"

#include <glib.h>

#include "conv_bound.h"
#include "conversation_set.h"
#include "record_store.h"

#define N 1000

static tlsa_conv_t convs[N];

static void conv_init(tlsa_conv_t *c, uint32_t id)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->first_frame = id;
    tlsa_tracker_init(&c->tracker, TLSA_PROTO_TLS, TLSA_SIDE_A);
    tlsa_event_t syn = { .kind = TLSA_EV_SYN, .side = TLSA_SIDE_A, .cipher = -1 };
    tlsa_tracker_feed(&c->tracker, &syn, NULL);
    c->outcome = (uint8_t)tlsa_tracker_outcome(&c->tracker);
}

static void bound_order(void)
{
    tlsa_conv_bound_t *b = tlsa_conv_bound_new();
    for (unsigned i = 0; i < N; i++) {
        conv_init(&convs[i], i + 1);
        tlsa_conv_bound_add(b, &convs[i]);
    }
    CHECK(tlsa_conv_bound_count(b) == N, "count %u", tlsa_conv_bound_count(b));
    CHECK(tlsa_conv_bound_take_over(b, N) == NULL, "at the limit nothing is taken");
    CHECK(tlsa_conv_bound_take_over(b, 0) == NULL, "limit 0: no bound");
    /* Every other one of the first 100 carried a payload: they stay. */
    for (unsigned i = 0; i < 100; i += 2)
        tlsa_conv_bound_promote(b, &convs[i]);
    CHECK(tlsa_conv_bound_count(b) == N - 50 && !convs[0].provisional, "promoted: %u", tlsa_conv_bound_count(b));
    tlsa_conv_t *c = tlsa_conv_bound_take_over(b, 10);
    CHECK(c == &convs[1] && !c->provisional, "oldest provisional first: %u", c ? c->id : 0);
    unsigned taken = 1;
    uint32_t last = c->id;
    bool ordered = true;
    while ((c = tlsa_conv_bound_take_over(b, 10)) != NULL) {
        /* ids are index + 1: the promoted ones have odd ids up to 99 */
        ordered = ordered && c->id > last && (c->id > 100 || c->id % 2 == 0);
        last = c->id;
        taken++;
    }
    CHECK(ordered, "in order of creation, never a promoted one");
    CHECK(taken == N - 50 - 10 && tlsa_conv_bound_count(b) == 10, "taken %u, left %u", taken, tlsa_conv_bound_count(b));
    for (unsigned i = N - 10; i < N; i++)
        CHECK(convs[i].provisional, "the newest 10 stay provisional (%u)", i);
    tlsa_conv_bound_free(b);
}

/* A long run of conversations that all get a payload: the queue does not
 * grow with them (compaction), and adding twice is harmless. */
static void bound_stays_small(void)
{
    tlsa_conv_bound_t *b = tlsa_conv_bound_new();
    tlsa_conv_t c;
    for (unsigned i = 0; i < 100000; i++) {
        conv_init(&c, i + 1);
        tlsa_conv_bound_add(b, &c);
        tlsa_conv_bound_add(b, &c);
        tlsa_conv_bound_promote(b, &c);
        tlsa_conv_bound_promote(b, &c);
    }
    CHECK(tlsa_conv_bound_count(b) == 0, "count %u", tlsa_conv_bound_count(b));
    CHECK(tlsa_conv_bound_take_over(b, 1) == NULL, "none to take");
    tlsa_conv_bound_free(b);
}

/* Closed ones go first: an open one's ClientHello may still come (a real
 * client among a flood of SYNs answered by RSTs). */
static void closed_first(void)
{
    tlsa_conv_bound_t *b = tlsa_conv_bound_new();
    tlsa_conv_t open_old, c1, c2, open_new;
    conv_init(&open_old, 1);
    conv_init(&c1, 2);
    conv_init(&c2, 3);
    conv_init(&open_new, 4);
    tlsa_conv_bound_add(b, &open_old);
    tlsa_conv_bound_add(b, &c1);
    tlsa_conv_bound_add(b, &c2);
    tlsa_conv_bound_add(b, &open_new);
    tlsa_conv_bound_closed(b, &c2);
    tlsa_conv_bound_closed(b, &c1);
    tlsa_conv_bound_closed(b, &c1); /* twice: harmless */
    CHECK(tlsa_conv_bound_count(b) == 4, "count %u", tlsa_conv_bound_count(b));
    tlsa_conv_t *t1 = tlsa_conv_bound_take_over(b, 1), *t2 = tlsa_conv_bound_take_over(b, 1);
    tlsa_conv_t *t3 = tlsa_conv_bound_take_over(b, 1), *t4 = tlsa_conv_bound_take_over(b, 1);
    CHECK(t1 == &c2 && t2 == &c1, "closed first, in order of closing: %u %u", t1 ? t1->id : 0, t2 ? t2->id : 0);
    CHECK(t3 == &open_old && t4 == NULL, "then the oldest open one; the newest stays");
    CHECK(open_new.provisional && !open_old.provisional, "states");
    /* A closed one that carries a payload after all is promoted from the closed queue. */
    tlsa_conv_t late;
    conv_init(&late, 5);
    tlsa_conv_bound_add(b, &late);
    tlsa_conv_bound_closed(b, &late);
    tlsa_conv_bound_promote(b, &late);
    CHECK(tlsa_conv_bound_count(b) == 1 && tlsa_conv_bound_take_over(b, 0) == NULL, "promoted");
    tlsa_conv_bound_free(b);
}

/* A report's set: a folded conversation leaves the list, is counted as not
 * listed with its outcome; a folded record counts the same on a later pass. */
static void set_fold(void)
{
    tlsa_conv_set_t set;
    tlsa_conv_set_init(&set);
    for (unsigned i = 0; i < 300; i++) {
        conv_init(&convs[i], i + 1);
        tlsa_event_t rst = { .kind = TLSA_EV_RST, .side = TLSA_SIDE_B, .cipher = -1 };
        if (i % 3)
            tlsa_tracker_feed(&convs[i].tracker, &rst, NULL);
        tlsa_record_t r = { .kind = TLSA_REC_CONVERSATION, .conv = &convs[i] };
        tlsa_conv_set_add(&set, &r);
    }
    tlsa_conv_t outsider;
    conv_init(&outsider, 999);
    CHECK(!tlsa_conv_set_fold(&set, &outsider), "not listed: nothing to fold");
    for (unsigned i = 0; i < 200; i++)
        CHECK(tlsa_conv_set_fold(&set, &convs[i]), "fold %u", i);
    CHECK(!tlsa_conv_set_fold(&set, &convs[0]), "folded once");
    tlsa_conv_set_compact(&set);
    CHECK(set.order->len == 100 && g_ptr_array_index(set.order, 0) == &convs[200], "100 listed, in order: %u",
          set.order->len);
    CHECK(tlsa_conv_set_unlisted(&set) == 200, "200 not listed");
    uint64_t counts[TLSA_OUTCOME_COUNT], failed;
    tlsa_conv_set_outcomes(&set, counts, &failed);
    CHECK(counts[TLSA_OUTCOME_INCOMPLETE] == 100 && counts[TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO] == 200 &&
          failed == 0, "outcomes %llu %llu", (unsigned long long)counts[TLSA_OUTCOME_INCOMPLETE],
          (unsigned long long)counts[TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO]);
    /* A later pass: the folded records. */
    tlsa_conv_set_reset(&set);
    tlsa_conv_t stand_in;
    memset(&stand_in, 0, sizeof stand_in);
    stand_in.outcome = TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO;
    tlsa_record_t first = { .kind = TLSA_REC_CONVERSATION, .flags = TLSA_REC_FOLDED | TLSA_REC_FOLDED_FIRST,
                            .conv = &stand_in };
    tlsa_record_t later = { .kind = TLSA_REC_OUTCOME, .flags = TLSA_REC_FOLDED, .conv = &stand_in };
    for (unsigned i = 0; i < 200; i++) {
        tlsa_conv_set_add(&set, &first);
        tlsa_conv_set_add(&set, &later);
    }
    CHECK(set.order->len == 0 && tlsa_conv_set_unlisted(&set) == 200, "stand-ins are never listed");
    tlsa_conv_set_outcomes(&set, counts, &failed);
    CHECK(counts[TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO] == 200, "counted at the first record only");
    tlsa_conv_set_free(&set);
}

static void store_fold(void)
{
    tlsa_record_store_t *store = tlsa_record_store_new();
    tlsa_conv_t a, b, stand_in;
    conv_init(&a, 1);
    conv_init(&b, 2);
    memset(&stand_in, 0, sizeof stand_in);
    tlsa_record_t f1[] = { { .frame = 1, .kind = TLSA_REC_CONVERSATION, .conv = &a } };
    tlsa_record_t f2[] = { { .frame = 2, .kind = TLSA_REC_CONVERSATION, .conv = &b } };
    tlsa_record_t f3[] = { { .frame = 3, .kind = TLSA_REC_OUTCOME, .outcome_from = TLSA_OUTCOME_INCOMPLETE,
                             .outcome_to = TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO, .conv = &a },
                           { .frame = 3, .kind = TLSA_REC_OUTCOME, .conv = &b } };
    tlsa_record_t f4[] = { { .frame = 4, .kind = TLSA_REC_OUTCOME, .outcome_to = TLSA_OUTCOME_ESTABLISHED,
                             .conv = &a } };
    tlsa_record_store_add(store, 1, f1, 1);
    tlsa_record_store_add(store, 2, f2, 1);
    tlsa_record_store_add(store, 3, f3, 2);
    tlsa_record_store_add(store, 4, f4, 1);
    const tlsa_record_t *r;
    CHECK(tlsa_record_store_find(store, 1, &r) == 1 && r[0].conv == &a && r[0].flags == 0, "before folding");
    tlsa_record_store_fold(store, &a, &stand_in);
    CHECK(tlsa_record_store_find(store, 1, &r) == 1 && r[0].conv == &stand_in &&
          r[0].flags == (TLSA_REC_FOLDED | TLSA_REC_FOLDED_FIRST) && tlsa_record_conv(&r[0]) == NULL, "frame 1");
    CHECK(tlsa_record_store_find(store, 2, &r) == 1 && r[0].conv == &b && r[0].flags == 0, "frame 2 untouched");
    CHECK(tlsa_record_store_find(store, 3, &r) == 2 && r[0].conv == &stand_in && r[0].flags == TLSA_REC_FOLDED &&
          r[0].outcome_to == TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO, "frame 3: the record as it was, folded");
    CHECK(r[1].conv == &b && r[1].flags == 0, "frame 3: the other conversation's record untouched");
    CHECK(tlsa_record_store_find(store, 4, &r) == 1 && r[0].conv == &stand_in && r[0].flags == TLSA_REC_FOLDED &&
          r[0].outcome_to == TLSA_OUTCOME_ESTABLISHED, "a record in a third frame, folded too");
    tlsa_record_store_free(store);
}

static int notified;
static void on_fold(void *data, const tlsa_conv_t *conv)
{
    notified += *(int *)data + (int)conv->id;
}

static void fold_listeners(void)
{
    int one = 1, ten = 10;
    tlsa_conv_t c;
    conv_init(&c, 100);
    tlsa_fold_listen(on_fold, &one);
    tlsa_fold_listen(on_fold, &ten);
    tlsa_fold_notify(&c);
    CHECK(notified == 211, "both told: %d", notified);
    tlsa_fold_unlisten(on_fold, &one);
    tlsa_fold_notify(&c);
    CHECK(notified == 321, "only the one left: %d", notified);
    tlsa_fold_unlisten(on_fold, &ten);
    tlsa_fold_notify(&c);
    CHECK(notified == 321, "none left");
}

int main(void)
{
    bound_order();
    bound_stays_small();
    closed_first();
    set_fold();
    store_fold();
    fold_listeners();
    return check_report("test_conv_bound");
}
