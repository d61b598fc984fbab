/* conversation_set.h — the conversations a report has seen on the tap (each
 * once, in order of first sight), and their outcome counts. Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_SET_H
#define TLSALERTS_CONVERSATION_SET_H

#include <glib.h>
#include <stdint.h>

#include "conversation.h"
#include "tap_record.h"

typedef struct {
    GPtrArray *order;   /* const tlsa_conv_t*, first sight first */
    GHashTable *seen;
} tlsa_conv_set_t;

void tlsa_conv_set_init(tlsa_conv_set_t *set);
void tlsa_conv_set_reset(tlsa_conv_set_t *set);
void tlsa_conv_set_free(tlsa_conv_set_t *set);

/* Adds the record's conversation, if any. */
void tlsa_conv_set_add(tlsa_conv_set_t *set, const tlsa_record_t *record);

/* Conversations counted as handshakes (outcome other than no_handshake_seen). */
uint64_t tlsa_conv_set_handshakes(const uint64_t counts[TLSA_OUTCOME_COUNT]);

/* When some conversations show no handshake: a note for the reports that says
 * so and how to capture instead (static text with counts filled into buf),
 * else NULL. */
const char *tlsa_conv_set_no_handshake_note(const uint64_t counts[TLSA_OUTCOME_COUNT], char *buf, unsigned size);

/* Outcome counts of the set (final outcomes) and the number of failed handshakes. */
void tlsa_conv_set_outcomes(const tlsa_conv_set_t *set, uint64_t counts[TLSA_OUTCOME_COUNT], uint64_t *failed);

/* The conversations sorted: failed first (by outcome), then by first frame.
 * Free with g_ptr_array_free(array, TRUE). */
GPtrArray *tlsa_conv_set_failed_first(const tlsa_conv_set_t *set);

#endif
