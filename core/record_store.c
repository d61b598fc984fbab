/* record_store.c — see record_store.h.
 *
 * One record, encoded:
 *   header    kind (2 bits), flags (2), protocol (2), "frame differs" (1),
 *             "conversation differs" (1)
 *   [frame]   the frame minus the previous record's, LEB128 (when it differs)
 *   [conv]    the conversation id minus the previous record's, zigzag LEB128
 *             (when it differs; 0 is no conversation)
 *   who       sender (2 bits), stage (2), "level and description follow" (1)
 *   history   history_len
 *   [level, description]
 *   payload   conversation and outcome records: outcome_from, outcome_to,
 *             cause_from, cause_to; the others: repeats (alerts) or the
 *             port (undecoded TLS) as the LEB128 of the union's 32 bits.
 * Every field of the record comes back as it went in; a record with a value
 * the bit fields cannot hold is kept as it is (a loose frame).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "record_store.h"

#include <string.h>

#include <glib.h>

#include "conversation.h"

/* A chunk's bytes: 4 KiB hold about 500 records. A frame's records never
 * straddle two chunks; a frame whose records do not fit an empty chunk gets
 * a chunk of its own, as large as they need. */
#define CHUNK_BYTES 4096u

/* The most bytes one record takes: header, frame and conversation
 * differences (5 each), who and history, level and description, payload. */
#define RECORD_MAX_BYTES (1u + 5u + 5u + 2u + 2u + 5u)

enum {
    H_KIND = 0x03,
    H_FLAGS_SHIFT = 2,
    H_PROTOCOL_SHIFT = 4,
    H_FRAME = 0x40,
    H_CONV = 0x80,
    W_STAGE_SHIFT = 2,
    W_LEVEL = 0x10,
};

#define ENCODED_FLAGS (TLSA_ALERT_ENCRYPTED | TLSA_ALERT_DUPLICATE)

typedef struct {
    uint32_t first_frame; /* of its first record */
    uint32_t used, size;
    uint8_t bytes[];
} chunk_t;

/* Records kept as they are; .conv holds the conversation's id (see resolve). */
typedef struct {
    unsigned count;
    tlsa_record_t records[];
} loose_t;

/* Where a record starts in its chunk, and the frame and conversation id of
 * the record before it (the differences are from these). */
typedef struct {
    uint32_t offset;
    uint32_t frame;
    uint32_t conv;
} pos_t;

/* What each conversation id stands for: the conversation, or with bit 0 set
 * the stand-in it was folded into. */
#define IDS_PER_BLOCK 1024u
#define ID_FOLDED ((uintptr_t)1)

struct tlsa_record_store {
    GPtrArray *chunks;     /* of chunk_t *, records in increasing frame order */
    uint32_t last_frame;   /* of the last record appended to the chunks */
    pos_t tail;            /* after the last record of the last chunk */
    GHashTable *loose;     /* frame -> loose_t *: frames stored out of order, odd records */
    GPtrArray *ids;        /* of uintptr_t[IDS_PER_BLOCK] */
    tlsa_record_t *found;  /* the last lookup's records */
    guint n_found, found_capacity;
    bool cursor_valid;     /* the last lookup stopped at cursor, in chunk cursor_chunk */
    guint cursor_chunk;
    pos_t cursor;
};

tlsa_record_store_t *tlsa_record_store_new(void)
{
    tlsa_record_store_t *store = g_new0(tlsa_record_store_t, 1);
    store->chunks = g_ptr_array_new_with_free_func(g_free);
    store->ids = g_ptr_array_new_with_free_func(g_free);
    return store;
}

void tlsa_record_store_free(tlsa_record_store_t *store)
{
    if (!store)
        return;
    g_ptr_array_free(store->chunks, TRUE);
    g_ptr_array_free(store->ids, TRUE);
    g_free(store->found);
    if (store->loose)
        g_hash_table_destroy(store->loose);
    g_free(store);
}

/* ---- conversation ids ---- */

static uintptr_t *id_slot(tlsa_record_store_t *store, uint32_t id)
{
    guint block = id / IDS_PER_BLOCK;
    while (store->ids->len <= block)
        g_ptr_array_add(store->ids, g_new0(uintptr_t, IDS_PER_BLOCK));
    return &((uintptr_t *)g_ptr_array_index(store->ids, block))[id % IDS_PER_BLOCK];
}

static uint32_t conv_id(tlsa_record_store_t *store, const struct tlsa_conv *conv)
{
    if (!conv)
        return 0;
    uintptr_t *slot = id_slot(store, conv->id);
    if (!(*slot & ID_FOLDED))
        *slot = (uintptr_t)conv;
    return conv->id;
}

/* The record's conversation from its id, flagged when folded. */
static void resolve(const tlsa_record_store_t *store, tlsa_record_t *rec, uint32_t id)
{
    rec->conv = NULL;
    guint block = id / IDS_PER_BLOCK;
    if (id == 0 || block >= store->ids->len)
        return;
    uintptr_t slot = ((const uintptr_t *)g_ptr_array_index(store->ids, block))[id % IDS_PER_BLOCK];
    rec->conv = (const struct tlsa_conv *)(slot & ~ID_FOLDED);
    if (slot & ID_FOLDED)
        tlsa_record_fold(rec, rec->conv);
}

void tlsa_record_store_fold(tlsa_record_store_t *store, const struct tlsa_conv *conv,
                            const struct tlsa_conv *stand_in)
{
    if (conv && conv->id)
        *id_slot(store, conv->id) = (uintptr_t)stand_in | ID_FOLDED;
}

/* ---- encoding ---- */

static bool compact(const tlsa_record_t *rec)
{
    return rec->kind <= H_KIND && rec->protocol < 4 && (rec->flags & ~ENCODED_FLAGS) == 0 && rec->sender < 4 &&
           rec->stage < 4;
}

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static uint64_t get_varint(const uint8_t *bytes, uint32_t *offset)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        uint8_t b = bytes[(*offset)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static bool has_outcomes(unsigned kind)
{
    return kind == TLSA_REC_CONVERSATION || kind == TLSA_REC_OUTCOME;
}

/* Writes rec, whose conversation id is id, at p (RECORD_MAX_BYTES free), as
 * the record after the one *pos stands for; returns where it ends. */
static uint8_t *encode(uint8_t *p, pos_t *pos, const tlsa_record_t *rec, uint32_t id)
{
    uint8_t *head = p++;
    *head = (uint8_t)(rec->kind | rec->flags << H_FLAGS_SHIFT | rec->protocol << H_PROTOCOL_SHIFT);
    if (rec->frame != pos->frame) {
        *head |= H_FRAME;
        p = put_varint(p, rec->frame - pos->frame);
    }
    if (id != pos->conv) {
        *head |= H_CONV;
        p = put_varint(p, zigzag((int64_t)id - (int64_t)pos->conv));
    }
    bool level = rec->level || rec->description;
    *p++ = (uint8_t)(rec->sender | rec->stage << W_STAGE_SHIFT | (level ? W_LEVEL : 0));
    *p++ = rec->history_len;
    if (level) {
        *p++ = rec->level;
        *p++ = rec->description;
    }
    if (has_outcomes(rec->kind)) {
        *p++ = rec->outcome_from;
        *p++ = rec->outcome_to;
        *p++ = rec->cause_from;
        *p++ = rec->cause_to;
    } else {
        p = put_varint(p, rec->repeats);
    }
    pos->frame = rec->frame;
    pos->conv = id;
    return p;
}

/* Reads the record at *pos into *rec (its conversation id into *id) and moves
 * *pos past it. */
static void decode(const uint8_t *bytes, pos_t *pos, tlsa_record_t *rec, uint32_t *id)
{
    uint32_t at = pos->offset;
    uint8_t head = bytes[at++];
    memset(rec, 0, sizeof *rec);
    rec->kind = head & H_KIND;
    rec->flags = (head >> H_FLAGS_SHIFT) & ENCODED_FLAGS;
    rec->protocol = (head >> H_PROTOCOL_SHIFT) & 3;
    rec->frame = pos->frame;
    if (head & H_FRAME)
        rec->frame += (uint32_t)get_varint(bytes, &at);
    *id = pos->conv;
    if (head & H_CONV)
        *id = (uint32_t)((int64_t)pos->conv + unzigzag(get_varint(bytes, &at)));
    uint8_t who = bytes[at++];
    rec->sender = who & 3;
    rec->stage = (who >> W_STAGE_SHIFT) & 3;
    rec->history_len = bytes[at++];
    if (who & W_LEVEL) {
        rec->level = bytes[at++];
        rec->description = bytes[at++];
    }
    if (has_outcomes(rec->kind)) {
        rec->outcome_from = bytes[at];
        rec->outcome_to = bytes[at + 1];
        rec->cause_from = bytes[at + 2];
        rec->cause_to = bytes[at + 3];
        at += 4;
    } else {
        rec->repeats = (uint32_t)get_varint(bytes, &at);
    }
    pos->offset = at;
    pos->frame = rec->frame;
    pos->conv = *id;
}

/* ---- adding ---- */

static void add_loose(tlsa_record_store_t *store, uint32_t frame, const tlsa_record_t *records, unsigned n)
{
    if (!store->loose)
        store->loose = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    loose_t *l = (loose_t *)g_malloc(sizeof *l + n * sizeof *records);
    l->count = n;
    memcpy(l->records, records, n * sizeof *records);
    for (unsigned i = 0; i < n; i++)
        l->records[i].conv = (const struct tlsa_conv *)(uintptr_t)conv_id(store, records[i].conv);
    g_hash_table_replace(store->loose, GUINT_TO_POINTER(frame), l);
}

static chunk_t *new_chunk(tlsa_record_store_t *store, uint32_t frame, guint size)
{
    chunk_t *chunk = (chunk_t *)g_malloc(sizeof *chunk + size);
    chunk->first_frame = frame;
    chunk->used = 0;
    chunk->size = size;
    g_ptr_array_add(store->chunks, chunk);
    return chunk;
}

void tlsa_record_store_add(tlsa_record_store_t *store, uint32_t frame, const tlsa_record_t *records, unsigned n)
{
    if (n == 0)
        return;
    guint nchunks = store->chunks->len;
    /* A chunk's size is 32 bits: a frame whose longest encoding would not
     * fit one is kept as it is too. */
    size_t most = (size_t)n * RECORD_MAX_BYTES;
    bool fits = most <= UINT32_MAX / 2;
    for (unsigned i = 0; i < n && fits; i++)
        fits = compact(&records[i]);
    if (!fits || (nchunks && frame <= store->last_frame)) {
        add_loose(store, frame, records, n);
        return;
    }
    if (store->loose)
        g_hash_table_remove(store->loose, GUINT_TO_POINTER(frame)); /* kept loose before */
    /* Encoded in place: the last chunk if it has room for the longest
     * encoding, else a new one (differences from its first frame and from no
     * conversation). A frame with more records than a chunk holds gets a
     * chunk of its own, cut to its size. */
    chunk_t *chunk = nchunks ? (chunk_t *)g_ptr_array_index(store->chunks, nchunks - 1) : NULL;
    pos_t start = store->tail;
    if (!chunk || chunk->size - chunk->used < most) {
        chunk = new_chunk(store, frame, (guint)MAX(CHUNK_BYTES, most));
        start = (pos_t){ .offset = 0, .frame = frame, .conv = 0 };
    }
    pos_t pos = start;
    uint8_t *p = chunk->bytes + chunk->used;
    for (unsigned i = 0; i < n; i++)
        p = encode(p, &pos, &records[i], conv_id(store, records[i].conv));
    chunk->used = (uint32_t)(p - chunk->bytes);
    if (chunk->size > CHUNK_BYTES) {
        chunk = (chunk_t *)g_realloc(chunk, sizeof *chunk + chunk->used);
        chunk->size = chunk->used;
        store->chunks->pdata[store->chunks->len - 1] = chunk;
    }
    pos.offset = chunk->used;
    store->tail = pos;
    store->last_frame = frame;
    /* A lookup of this frame next decodes only it. */
    store->cursor_valid = true;
    store->cursor_chunk = store->chunks->len - 1;
    store->cursor = start;
}

/* ---- finding ---- */

static const chunk_t *chunk_at(const tlsa_record_store_t *store, guint i)
{
    return (const chunk_t *)g_ptr_array_index(store->chunks, i);
}

/* Whether chunk i is the one that would hold frame's records. */
static bool chunk_holds(const tlsa_record_store_t *store, guint i, uint32_t frame)
{
    return chunk_at(store, i)->first_frame <= frame &&
           (i + 1 == store->chunks->len || chunk_at(store, i + 1)->first_frame > frame);
}

/* The last chunk whose first record is at or before frame, or -1. */
static int chunk_for(const tlsa_record_store_t *store, uint32_t frame)
{
    guint lo = 0, hi = store->chunks->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (chunk_at(store, mid)->first_frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int)lo - 1;
}

/* Room for one more found record (at store->found[store->n_found]). */
static tlsa_record_t *found_slot(tlsa_record_store_t *store)
{
    if (store->n_found == store->found_capacity) {
        store->found_capacity = MAX(16u, 2 * store->found_capacity);
        store->found = g_renew(tlsa_record_t, store->found, store->found_capacity);
    }
    return &store->found[store->n_found];
}

unsigned tlsa_record_store_find(tlsa_record_store_t *store, uint32_t frame, const tlsa_record_t **records)
{
    store->n_found = 0;
    *records = NULL;
    const loose_t *l = store->loose ? (const loose_t *)g_hash_table_lookup(store->loose, GUINT_TO_POINTER(frame))
                                    : NULL;
    if (l) {
        for (unsigned i = 0; i < l->count; i++) {
            tlsa_record_t *rec = found_slot(store);
            *rec = l->records[i];
            resolve(store, rec, (uint32_t)(uintptr_t)l->records[i].conv);
            store->n_found++;
        }
    } else {
        /* Go on from the last lookup when it stopped before this frame in
         * the same chunk (frames asked in order), else from the chunk's start. */
        int c;
        pos_t pos;
        if (store->cursor_valid && chunk_holds(store, store->cursor_chunk, frame)) {
            c = (int)store->cursor_chunk;
            pos = store->cursor;
            if (frame <= pos.frame)
                pos = (pos_t){ .offset = 0, .frame = chunk_at(store, (guint)c)->first_frame, .conv = 0 };
        } else {
            c = chunk_for(store, frame);
            if (c < 0)
                return 0;
            pos = (pos_t){ .offset = 0, .frame = chunk_at(store, (guint)c)->first_frame, .conv = 0 };
        }
        const chunk_t *chunk = chunk_at(store, (guint)c);
        while (pos.offset < chunk->used) {
            pos_t next = pos;
            tlsa_record_t *rec = found_slot(store);
            uint32_t id;
            decode(chunk->bytes, &next, rec, &id);
            if (rec->frame > frame)
                break;
            pos = next;
            if (rec->frame == frame) {
                resolve(store, rec, id);
                store->n_found++;
            }
        }
        store->cursor_valid = true;
        store->cursor_chunk = (guint)c;
        store->cursor = pos;
    }
    if (store->n_found)
        *records = store->found;
    return store->n_found;
}

size_t tlsa_record_store_bytes(const tlsa_record_store_t *store)
{
    size_t bytes = sizeof *store + store->chunks->len * sizeof(gpointer);
    for (guint i = 0; i < store->chunks->len; i++)
        bytes += sizeof(chunk_t) + chunk_at(store, i)->size;
    bytes += store->ids->len * (sizeof(gpointer) + IDS_PER_BLOCK * sizeof(uintptr_t));
    if (store->loose) {
        GHashTableIter it;
        gpointer value;
        g_hash_table_iter_init(&it, store->loose);
        while (g_hash_table_iter_next(&it, NULL, &value))
            bytes += sizeof(loose_t) + ((const loose_t *)value)->count * sizeof(tlsa_record_t);
    }
    return bytes;
}
