/* test_record_store.c — every frame's records come back exactly as they were
 * added (every field, conversations by id), whatever the order they were
 * stored and looked up in, across chunk boundaries; frames without records
 * give none; records the compact form cannot hold and frames stored out of
 * order come back too; a typical record takes well under a tlsa_record_t. */
#include "check.h"

#include <stdlib.h>

#include "conversation.h"
#include "record_store.h"

#define NCONVS 3000
static tlsa_conv_t convs[NCONVS];

/* Record i of frame f, varied over every field the store encodes. */
static tlsa_record_t record_of(uint32_t f, unsigned i)
{
    tlsa_record_t r;
    memset(&r, 0, sizeof r);
    unsigned h = f * 2654435761u + i * 40503u;
    r.frame = f;
    r.kind = (uint8_t)(h % 4);
    r.protocol = (uint8_t)((h >> 3) % 3);
    r.sender = (uint8_t)((h >> 5) % 3);
    r.stage = (uint8_t)((h >> 7) % 4);
    r.history_len = (uint8_t)((h >> 9) % 24);
    /* Conversations near each other, now and then one from long ago, or none. */
    unsigned c = (h >> 11) % 16 == 0 ? (h >> 15) % 50 : (f / 40 + (h >> 11) % 7) % NCONVS;
    r.conv = (h >> 20) % 13 == 0 ? NULL : &convs[c];
    switch (r.kind) {
    case TLSA_REC_ALERT:
        r.level = (uint8_t)(1 + (h >> 13) % 2);
        r.description = (uint8_t)(h >> 17);
        r.flags = (uint8_t)((h >> 19) % 4); /* encrypted, duplicate */
        if (r.flags & TLSA_ALERT_ENCRYPTED)
            r.level = r.description = 0;
        r.repeats = (h >> 21) % 8 == 0 ? (h >> 8) : 0;
        break;
    case TLSA_REC_UNDECODED_TLS:
        r.conv = NULL;
        r.port = (uint16_t)(h >> 12);
        break;
    default:
        r.outcome_from = (uint8_t)((h >> 13) % 12);
        r.outcome_to = (uint8_t)((h >> 17) % 11);
        r.cause_from = (uint8_t)((h >> 21) % 40);
        r.cause_to = (uint8_t)((h >> 25) % 40);
        break;
    }
    return r;
}

/* How many records frame f gets in the big run: 0 to 3, some frames none. */
static unsigned count_of(uint32_t f)
{
    return (f * 7u) % 5u == 0 ? 0 : (f % 4u);
}

/* Frames of the big run: gaps of 1, now and then a long one. */
static uint32_t frame_number(unsigned k)
{
    return k + (k / 1000) * 70000u;
}

static int same(const tlsa_record_t *a, const tlsa_record_t *b)
{
    return memcmp(a, b, sizeof *a) == 0; /* no padding in a tlsa_record_t */
}

static int has(tlsa_record_store_t *store, uint32_t frame, unsigned n)
{
    const tlsa_record_t *r;
    unsigned got = tlsa_record_store_find(store, frame, &r);
    if (got != n || (n == 0) != (r == NULL))
        return 0;
    for (unsigned i = 0; i < n; i++) {
        tlsa_record_t want = record_of(frame, i);
        if (!same(&r[i], &want))
            return 0;
    }
    return 1;
}

static void add_frame(tlsa_record_store_t *store, uint32_t f, unsigned n)
{
    tlsa_record_t buf[8];
    for (unsigned i = 0; i < n; i++)
        buf[i] = record_of(f, i);
    tlsa_record_store_add(store, f, buf, n);
}

int main(void)
{
    for (unsigned i = 0; i < NCONVS; i++)
        convs[i].id = i + 1;
    tlsa_record_store_t *store = tlsa_record_store_new();
    const tlsa_record_t *r;

    CHECK(tlsa_record_store_find(store, 1, &r) == 0 && r == NULL, "empty store");

    /* 100,000 frames in order: ~150,000 records, dozens of chunks. */
    const unsigned K = 100000;
    unsigned total = 0;
    for (unsigned k = 1; k <= K; k++) {
        uint32_t f = frame_number(k);
        add_frame(store, f, count_of(f));
        total += count_of(f);
        /* The first pass looks each frame up right after adding it. */
        if (count_of(f) && k % 97 == 0)
            CHECK(has(store, f, count_of(f)), "frame %u right after adding it", f);
    }
    size_t bytes = tlsa_record_store_bytes(store);
    printf("%.2f bytes a record\n", (double)bytes / total);
    CHECK(bytes < total * 10, "%zu bytes for %u records: %.1f a record", bytes, total, (double)bytes / total);

    /* Looked up in order (a later pass), backwards, and at random. */
    unsigned wrong = 0;
    for (unsigned k = 0; k <= K + 1; k++) {
        uint32_t f = frame_number(k);
        wrong += !has(store, f, k >= 1 && k <= K ? count_of(f) : 0);
        if (k % 1000 == 999) /* and the frames of a long gap */
            wrong += !has(store, f + 1, 0) + !has(store, f + 35000, 0);
    }
    CHECK(wrong == 0, "in order: %u frames came back wrong", wrong);
    wrong = 0;
    for (unsigned k = K; k >= 1; k--)
        wrong += !has(store, frame_number(k), count_of(frame_number(k)));
    CHECK(wrong == 0, "backwards: %u frames came back wrong", wrong);
    wrong = 0;
    srand(7);
    for (unsigned j = 0; j < 20000; j++) {
        unsigned k = 1 + (unsigned)rand() % K;
        wrong += !has(store, frame_number(k), count_of(frame_number(k)));
        wrong += !has(store, frame_number(k), count_of(frame_number(k))); /* the same frame again */
    }
    CHECK(wrong == 0, "at random: %u lookups wrong", wrong);

    /* Out of order: an earlier frame, stored later, and one stored twice. */
    uint32_t mid = frame_number(50001);
    add_frame(store, mid, 2);
    CHECK(has(store, mid, 2), "a frame stored out of order");
    CHECK(has(store, frame_number(50002), count_of(frame_number(50002))) &&
          has(store, frame_number(50000), count_of(frame_number(50000))),
          "its neighbours are untouched");
    add_frame(store, mid, 3);
    CHECK(has(store, mid, 3), "the latest records of a frame stored twice");

    /* In order again after that. */
    uint32_t next = frame_number(K) + 5;
    add_frame(store, next, 1);
    CHECK(has(store, next, 1) && has(store, next - 1, 0), "appending goes on");

    /* A record the compact form cannot hold (a sender beyond the encoded
     * ones), in order: kept as it is, and the frames after it still append. */
    tlsa_record_t odd = record_of(next + 1, 0);
    odd.sender = 9;
    odd.conv = &convs[5];
    tlsa_record_store_add(store, next + 1, &odd, 1);
    CHECK(tlsa_record_store_find(store, next + 1, &r) == 1 && same(&r[0], &odd), "an odd record, as it was");
    add_frame(store, next + 1, 2); /* then stored again, compact */
    CHECK(has(store, next + 1, 2), "the frame stored again after it");
    add_frame(store, next + 2, 1);
    CHECK(has(store, next + 2, 1), "and the next frame");

    /* More records in one frame than a chunk holds: distinct ones. */
    unsigned many = 5000;
    tlsa_record_t *big = calloc(many, sizeof *big);
    for (unsigned i = 0; i < many; i++)
        big[i] = record_of(next + 10, i);
    tlsa_record_store_add(store, next + 10, big, many);
    wrong = tlsa_record_store_find(store, next + 10, &r) != many;
    for (unsigned i = 0; !wrong && i < many; i++)
        wrong += !same(&r[i], &big[i]);
    CHECK(!wrong, "a frame with %u records", many);
    add_frame(store, next + 11, 2);
    CHECK(has(store, next + 11, 2) && has(store, next + 9, 0), "the frames around it");
    free(big);

    /* Extremes: a frame number near the top, a conversation id far above
     * and back (ids are dense in a file: 2,000,000 conversations), the
     * largest repeat count. */
    tlsa_conv_t high;
    memset(&high, 0, sizeof high);
    high.id = 2000000;
    tlsa_record_t ext[3] = { record_of(UINT32_MAX - 1, 0), record_of(UINT32_MAX - 1, 1),
                             record_of(UINT32_MAX - 1, 2) };
    ext[0].conv = &convs[0];
    ext[1].conv = &high;
    ext[1].kind = TLSA_REC_ALERT;
    ext[1].repeats = UINT32_MAX;
    ext[2].conv = &convs[0];
    tlsa_record_store_add(store, UINT32_MAX - 1, ext, 3);
    wrong = tlsa_record_store_find(store, UINT32_MAX - 1, &r) != 3;
    for (unsigned i = 0; !wrong && i < 3; i++)
        wrong += !same(&r[i], &ext[i]);
    CHECK(!wrong, "extreme frame, conversation id and repeats");
    tlsa_record_store_free(store);

    /* A store whose first frame is not 1, and a zero-record add. */
    store = tlsa_record_store_new();
    tlsa_record_t one = record_of(10, 0);
    tlsa_record_store_add(store, 9, &one, 0);
    CHECK(tlsa_record_store_find(store, 9, &r) == 0, "nothing kept");
    add_frame(store, 10, 1);
    CHECK(has(store, 10, 1) && has(store, 9, 0) && has(store, 11, 0), "one frame");
    tlsa_record_store_free(store);
    tlsa_record_store_free(NULL);

    return check_report("test_record_store");
}
