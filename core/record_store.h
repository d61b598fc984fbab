/* record_store.h — the tap records of every frame of a file, kept from the
 * first pass (the only one where the wanted fields are filled) for later
 * passes and retaps to queue again.
 *
 * Frames are analysed in frame order, so records are appended to fixed-size
 * chunks and found again by binary search: no per-frame bookkeeping (per-frame
 * proto data cost ~220 bytes per frame with records). A frame stored out of
 * order goes to a hash table instead, so the order is an optimisation, never
 * an assumption. Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_RECORD_STORE_H
#define TLSALERTS_RECORD_STORE_H

#include <stdbool.h>

#include "tap_record.h"

typedef struct tlsa_record_store tlsa_record_store_t;

tlsa_record_store_t *tlsa_record_store_new(void);
void tlsa_record_store_free(tlsa_record_store_t *store);

/* Keeps a copy of frame's n records (n > 0; each record's .frame is frame) and
 * returns it; the copy lives until the store is freed. A frame stored twice
 * keeps its latest records. */
const tlsa_record_t *tlsa_record_store_add(tlsa_record_store_t *store, uint32_t frame,
                                           const tlsa_record_t *records, unsigned n);

/* The records kept for frame: sets *records and returns their count, 0 if none. */
unsigned tlsa_record_store_find(const tlsa_record_store_t *store, uint32_t frame,
                                const tlsa_record_t **records);

/* Folds a conversation in frame's records (conv_bound.h): each record of
 * conv there points to stand_in instead and is flagged TLSA_REC_FOLDED
 * (TLSA_REC_FOLDED_FIRST too with first, for its conversation record).
 * Returns how many records it changed. */
unsigned tlsa_record_store_fold(tlsa_record_store_t *store, uint32_t frame, const struct tlsa_conv *conv,
                                const struct tlsa_conv *stand_in, bool first);

#endif
