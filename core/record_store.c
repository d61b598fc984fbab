/* record_store.c — see record_store.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "record_store.h"

#include <string.h>

#include <glib.h>

/* 4096 records of 24 bytes: 96 KiB a chunk. A frame's records never
 * straddle two chunks; a frame with more records than a chunk holds (a
 * reassembled segment full of alerts) goes to the hash table. */
#define RECORDS_PER_CHUNK 4096u

typedef struct {
    unsigned count;
    tlsa_record_t records[RECORDS_PER_CHUNK];
} chunk_t;

typedef struct {
    unsigned count;
    tlsa_record_t records[];
} loose_t;

struct tlsa_record_store {
    GPtrArray *chunks;    /* of chunk_t *, records in increasing frame order */
    uint32_t last_frame;  /* of the last record appended to the chunks */
    GHashTable *loose;    /* frame -> loose_t *: frames stored out of order */
};

tlsa_record_store_t *tlsa_record_store_new(void)
{
    tlsa_record_store_t *store = g_new0(tlsa_record_store_t, 1);
    store->chunks = g_ptr_array_new_with_free_func(g_free);
    return store;
}

void tlsa_record_store_free(tlsa_record_store_t *store)
{
    if (!store)
        return;
    g_ptr_array_free(store->chunks, TRUE);
    if (store->loose)
        g_hash_table_destroy(store->loose);
    g_free(store);
}

static const tlsa_record_t *add_loose(tlsa_record_store_t *store, uint32_t frame,
                                      const tlsa_record_t *records, unsigned n)
{
    if (!store->loose)
        store->loose = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    loose_t *l = (loose_t *)g_malloc(sizeof *l + n * sizeof *records);
    l->count = n;
    memcpy(l->records, records, n * sizeof *records);
    g_hash_table_replace(store->loose, GUINT_TO_POINTER(frame), l);
    return l->records;
}

const tlsa_record_t *tlsa_record_store_add(tlsa_record_store_t *store, uint32_t frame,
                                           const tlsa_record_t *records, unsigned n)
{
    if (n == 0)
        return NULL;
    guint nchunks = store->chunks->len;
    if ((nchunks && frame <= store->last_frame) || n > RECORDS_PER_CHUNK)
        return add_loose(store, frame, records, n);
    chunk_t *chunk = nchunks ? (chunk_t *)g_ptr_array_index(store->chunks, nchunks - 1) : NULL;
    if (!chunk || chunk->count + n > RECORDS_PER_CHUNK) {
        chunk = g_new(chunk_t, 1);
        chunk->count = 0;
        g_ptr_array_add(store->chunks, chunk);
    }
    tlsa_record_t *dst = &chunk->records[chunk->count];
    memcpy(dst, records, n * sizeof *records);
    chunk->count += n;
    store->last_frame = frame;
    return dst;
}

unsigned tlsa_record_store_find(const tlsa_record_store_t *store, uint32_t frame,
                                const tlsa_record_t **records)
{
    *records = NULL;
    if (store->loose) {
        const loose_t *l = (const loose_t *)g_hash_table_lookup(store->loose, GUINT_TO_POINTER(frame));
        if (l) {
            *records = l->records;
            return l->count;
        }
    }
    /* The last chunk whose first record is at or before frame. */
    guint lo = 0, hi = store->chunks->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const chunk_t *c = (const chunk_t *)g_ptr_array_index(store->chunks, mid);
        if (c->records[0].frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const chunk_t *c = (const chunk_t *)g_ptr_array_index(store->chunks, lo - 1);
    /* Its first record at or after frame, then the run of frame's records. */
    unsigned a = 0, b = c->count;
    while (a < b) {
        unsigned mid = a + (b - a) / 2;
        if (c->records[mid].frame < frame)
            a = mid + 1;
        else
            b = mid;
    }
    unsigned end = a;
    while (end < c->count && c->records[end].frame == frame)
        end++;
    if (end == a)
        return 0;
    *records = &c->records[a];
    return end - a;
}

unsigned tlsa_record_store_fold(tlsa_record_store_t *store, uint32_t frame, const struct tlsa_conv *conv,
                                const struct tlsa_conv *stand_in, bool first)
{
    const tlsa_record_t *found;
    unsigned n = tlsa_record_store_find(store, frame, &found), changed = 0;
    /* The store's own copy: find hands it out read-only to the passes. */
    tlsa_record_t *records = (tlsa_record_t *)found;
    for (unsigned i = 0; i < n; i++) {
        tlsa_record_t *rec = &records[i];
        if (rec->conv != conv || rec->kind == TLSA_REC_ALERT)
            continue;
        rec->conv = stand_in;
        rec->flags |= TLSA_REC_FOLDED;
        if (first && rec->kind == TLSA_REC_CONVERSATION)
            rec->flags |= TLSA_REC_FOLDED_FIRST;
        changed++;
    }
    return changed;
}
