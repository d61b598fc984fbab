/* record_store.h — the tap records of every frame of a file, kept from the
 * first pass (the only one where the wanted fields are filled) for later
 * passes and retaps to queue again.
 *
 * Kept for the whole file, so kept small: a record is encoded in about 8
 * bytes instead of the 24 of a tlsa_record_t. Frames are analysed in frame
 * order, so records are appended to byte chunks, each record's frame and
 * conversation written as the difference from the record before it, and a
 * record refers to its conversation by id (tlsa_conv_t.id), which the store
 * turns back into the conversation. Folding a conversation (conv_bound.h) is
 * then one change of what its id stands for, whatever frames its records are
 * in. A lookup decodes its frame's records from the chunk holding them,
 * going on from the last lookup when the frames are asked in order (a later
 * pass, a retap). A frame stored out of order, a record the compact form
 * cannot hold, or a frame with more records than a chunk's 32-bit size
 * allows, goes to a hash table as it is, so neither the order nor the
 * records' values nor their number are an assumption. Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_RECORD_STORE_H
#define TLSALERTS_RECORD_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "tap_record.h"

typedef struct tlsa_record_store tlsa_record_store_t;

tlsa_record_store_t *tlsa_record_store_new(void);
void tlsa_record_store_free(tlsa_record_store_t *store);

/* Keeps frame's n records (each record's .frame is frame; .conv NULL or a
 * conversation with a nonzero id, unique in the file; .flags at most
 * TLSA_ALERT_ENCRYPTED and TLSA_ALERT_DUPLICATE). A frame stored twice
 * keeps its latest records. */
void tlsa_record_store_add(tlsa_record_store_t *store, uint32_t frame, const tlsa_record_t *records,
                           unsigned n);

/* The records kept for frame, as they were added (their conversation folded
 * since, if it was): sets *records and returns their count, 0 if none. The
 * records are the store's and stay valid until the next call on it. */
unsigned tlsa_record_store_find(tlsa_record_store_t *store, uint32_t frame, const tlsa_record_t **records);

/* Folds a conversation (conv_bound.h), before it is freed: each of its
 * stored records points to stand_in instead and is flagged TLSA_REC_FOLDED, its
 * conversation record TLSA_REC_FOLDED_FIRST too. */
void tlsa_record_store_fold(tlsa_record_store_t *store, const struct tlsa_conv *conv,
                            const struct tlsa_conv *stand_in);

/* Bytes the stored records take, chunk headers and the id table included
 * (the benchmark's and the tests' measure). */
size_t tlsa_record_store_bytes(const tlsa_record_store_t *store);

#endif
