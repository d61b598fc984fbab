/* conversation_set.h — the conversations a report has seen on the tap (each
 * once, in order of first sight), and their outcome counts. Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_SET_H
#define TLSALERTS_CONVERSATION_SET_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "conversation.h"
#include "tap_record.h"

#define TLSA_CONV_SET_CAUSES 64 /* likely-cause rules counted for folded conversations */

typedef struct {
    GPtrArray *order;   /* const tlsa_conv_t*, first sight first; NULL where one was folded
                         * until tlsa_conv_set_compact() */
    GArray *index;      /* guint32 by conversation id (tlsa_conv_t.id, dense and unique in a
                         * file): its index in order + 1, 0 when not in order. 4 bytes a
                         * conversation where a hash table took some 25 */
    guint holes;        /* NULLs in order */
    /* Conversations not listed individually (folded, conv_bound.h): by final
     * outcome, and by likely-cause rule (index + 1). */
    uint64_t unlisted[TLSA_OUTCOME_COUNT];
    uint64_t unlisted_by_cause[TLSA_CONV_SET_CAUSES];
} tlsa_conv_set_t;

void tlsa_conv_set_init(tlsa_conv_set_t *set);
void tlsa_conv_set_reset(tlsa_conv_set_t *set);
void tlsa_conv_set_free(tlsa_conv_set_t *set);

/* Adds the record's conversation, if any (its id nonzero); a folded
 * conversation's first record (TLSA_REC_FOLDED_FIRST) counts it as not
 * listed. A set holds the conversations of one file: reset it when a session
 * ends (ids start again). */
void tlsa_conv_set_add(tlsa_conv_set_t *set, const tlsa_record_t *record);

/* conv is being folded: if listed, it leaves the list and is counted as not
 * listed, with its outcome now. Returns whether it was listed. Amortised
 * constant time. */
bool tlsa_conv_set_fold(tlsa_conv_set_t *set, const tlsa_conv_t *conv);

/* Conversations not listed individually. */
uint64_t tlsa_conv_set_unlisted(const tlsa_conv_set_t *set);

/* Closes the holes folding left in order (call before reading order). */
void tlsa_conv_set_compact(tlsa_conv_set_t *set);

/* Conversations counted as handshakes (outcome other than no_handshake_seen). */
uint64_t tlsa_conv_set_handshakes(const uint64_t counts[TLSA_OUTCOME_COUNT]);

/* When some conversations show no handshake: a note for the reports that says
 * so and how to capture instead (static text with counts filled into buf),
 * else NULL. */
const char *tlsa_conv_set_no_handshake_note(const uint64_t counts[TLSA_OUTCOME_COUNT], char *buf, unsigned size);

/* Outcome counts of the set (final outcomes), the conversations not listed
 * included, and the number of failed handshakes. */
void tlsa_conv_set_outcomes(const tlsa_conv_set_t *set, uint64_t counts[TLSA_OUTCOME_COUNT], uint64_t *failed);

/* The conversations sorted: failed first (by outcome), then by first frame.
 * Free with g_ptr_array_free(array, TRUE). */
GPtrArray *tlsa_conv_set_failed_first(const tlsa_conv_set_t *set);

#endif
