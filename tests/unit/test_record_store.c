/* test_record_store.c — every frame's records come back, whatever the order
 * they were stored in, across chunk boundaries, and frames without records
 * give none. */
#include "check.h"

#include <stdlib.h>

#include "record_store.h"

/* n records for frame, told apart by description = index. */
static void records_for(uint32_t frame, unsigned n, tlsa_record_t *out)
{
    for (unsigned i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].frame = frame;
        out[i].description = (uint8_t)i;
        out[i].level = (uint8_t)(frame % 251);
    }
}

static int has(const tlsa_record_store_t *store, uint32_t frame, unsigned n)
{
    const tlsa_record_t *r;
    unsigned got = tlsa_record_store_find(store, frame, &r);
    if (got != n)
        return 0;
    for (unsigned i = 0; i < n; i++)
        if (r[i].frame != frame || r[i].description != i || r[i].level != frame % 251)
            return 0;
    return 1;
}

/* How many records frame f gets in the big run: 0 to 3, some frames none. */
static unsigned count_of(uint32_t f)
{
    return (f * 7u) % 5u == 0 ? 0 : (f % 4u);
}

int main(void)
{
    tlsa_record_t buf[8];
    tlsa_record_store_t *store = tlsa_record_store_new();
    const tlsa_record_t *r;

    CHECK(tlsa_record_store_find(store, 1, &r) == 0 && r == NULL, "empty store");

    /* 100,000 frames in order: ~150,000 records, so dozens of chunks. */
    unsigned total = 0;
    for (uint32_t f = 1; f <= 100000; f++) {
        unsigned n = count_of(f);
        if (!n)
            continue;
        records_for(f, n, buf);
        const tlsa_record_t *kept = tlsa_record_store_add(store, f, buf, n);
        CHECK(kept && kept != buf && kept[0].frame == f, "add returns the kept copy");
        total += n;
    }
    CHECK(total > 2 * 4096, "more records (%u) than two chunks", total);
    unsigned wrong = 0;
    for (uint32_t f = 0; f <= 100001; f++)
        wrong += !has(store, f, f >= 1 && f <= 100000 ? count_of(f) : 0);
    CHECK(wrong == 0, "%u frames came back wrong", wrong);

    /* Out of order: an earlier frame, stored later, and one stored twice. */
    records_for(50001, 2, buf);
    tlsa_record_store_add(store, 50001, buf, 2);
    CHECK(has(store, 50001, 2), "a frame stored out of order");
    CHECK(has(store, 50002, count_of(50002)) && has(store, 50000, count_of(50000)),
          "its neighbours are untouched");
    records_for(50001, 3, buf);
    tlsa_record_store_add(store, 50001, buf, 3);
    CHECK(has(store, 50001, 3), "the latest records of a frame stored twice");

    /* In order again after that. */
    records_for(100005, 1, buf);
    tlsa_record_store_add(store, 100005, buf, 1);
    CHECK(has(store, 100005, 1) && has(store, 100004, 0), "appending goes on");

    /* More records in one frame than a chunk holds. */
    unsigned many = 5000;
    tlsa_record_t *big = calloc(many, sizeof *big);
    for (unsigned i = 0; i < many; i++) {
        big[i].frame = 100010;
        big[i].description = (uint8_t)i;
    }
    tlsa_record_store_add(store, 100010, big, many);
    CHECK(tlsa_record_store_find(store, 100010, &r) == many && r[4999].description == (uint8_t)4999,
          "a frame with %u records", many);
    free(big);
    tlsa_record_store_free(store);

    /* A store whose first frame is not 1, and a zero-record add. */
    store = tlsa_record_store_new();
    CHECK(tlsa_record_store_add(store, 9, buf, 0) == NULL, "nothing to keep");
    records_for(10, 1, buf);
    tlsa_record_store_add(store, 10, buf, 1);
    CHECK(has(store, 10, 1) && has(store, 9, 0) && has(store, 11, 0), "one frame");
    tlsa_record_store_free(store);
    tlsa_record_store_free(NULL);

    return check_report("test_record_store");
}
