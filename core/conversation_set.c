/* conversation_set.c — the conversations a report has seen.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation_set.h"

#include <string.h>

void tlsa_conv_set_init(tlsa_conv_set_t *set)
{
    memset(set, 0, sizeof *set);
    set->order = g_ptr_array_new();
    set->index = g_array_new(FALSE, TRUE, sizeof(guint32));
}

void tlsa_conv_set_reset(tlsa_conv_set_t *set)
{
    g_ptr_array_set_size(set->order, 0);
    g_array_set_size(set->index, 0);
    set->holes = 0;
    memset(set->unlisted, 0, sizeof set->unlisted);
    memset(set->unlisted_by_cause, 0, sizeof set->unlisted_by_cause);
}

void tlsa_conv_set_free(tlsa_conv_set_t *set)
{
    if (set->order)
        g_ptr_array_free(set->order, TRUE);
    if (set->index)
        g_array_free(set->index, TRUE);
    set->order = NULL;
    set->index = NULL;
}

static void count_unlisted(tlsa_conv_set_t *set, unsigned outcome, unsigned cause)
{
    if (outcome < TLSA_OUTCOME_COUNT)
        set->unlisted[outcome]++;
    if (cause && cause <= TLSA_CONV_SET_CAUSES)
        set->unlisted_by_cause[cause - 1]++;
}

/* conv's index in order + 1, 0 when not there. */
static guint index_of(const tlsa_conv_set_t *set, const tlsa_conv_t *conv)
{
    return conv->id < set->index->len ? g_array_index(set->index, guint32, conv->id) : 0;
}

static void set_index(tlsa_conv_set_t *set, const tlsa_conv_t *conv, guint value)
{
    if (conv->id >= set->index->len)
        g_array_set_size(set->index, conv->id + 1); /* zeroed; grows by doubling */
    g_array_index(set->index, guint32, conv->id) = value;
}

void tlsa_conv_set_add(tlsa_conv_set_t *set, const tlsa_record_t *record)
{
    if (record->flags & TLSA_REC_FOLDED) {
        /* The stand-in holds the folded conversation's final outcome and cause. */
        if (record->flags & TLSA_REC_FOLDED_FIRST)
            count_unlisted(set, record->conv->outcome, record->conv->cause);
        return;
    }
    if (!record->conv || !record->conv->id || index_of(set, record->conv))
        return;
    g_ptr_array_add(set->order, (gpointer)record->conv);
    set_index(set, record->conv, set->order->len);
}

void tlsa_conv_set_compact(tlsa_conv_set_t *set)
{
    if (!set->holes)
        return;
    guint kept = 0;
    for (guint i = 0; i < set->order->len; i++) {
        gpointer conv = g_ptr_array_index(set->order, i);
        if (!conv)
            continue;
        set->order->pdata[kept++] = conv;
        set_index(set, (const tlsa_conv_t *)conv, kept);
    }
    g_ptr_array_set_size(set->order, kept);
    set->holes = 0;
}

bool tlsa_conv_set_fold(tlsa_conv_set_t *set, const tlsa_conv_t *conv)
{
    guint index = index_of(set, conv);
    if (!index)
        return false;
    set_index(set, conv, 0);
    set->order->pdata[index - 1] = NULL;
    set->holes++;
    count_unlisted(set, tlsa_conv_outcome(conv), conv->cause);
    if (set->holes > 64 && set->holes > set->order->len / 2)
        tlsa_conv_set_compact(set);
    return true;
}

uint64_t tlsa_conv_set_unlisted(const tlsa_conv_set_t *set)
{
    uint64_t n = 0;
    for (int i = 0; i < TLSA_OUTCOME_COUNT; i++)
        n += set->unlisted[i];
    return n;
}

void tlsa_conv_set_outcomes(const tlsa_conv_set_t *set, uint64_t counts[TLSA_OUTCOME_COUNT], uint64_t *failed)
{
    *failed = 0;
    for (int i = 0; i < TLSA_OUTCOME_COUNT; i++) {
        counts[i] = set->unlisted[i];
        if (tlsa_outcome_is_failure((tlsa_outcome_t)i))
            *failed += set->unlisted[i];
    }
    for (guint i = 0; i < set->order->len; i++) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)g_ptr_array_index(set->order, i);
        if (!conv)
            continue;
        tlsa_outcome_t o = tlsa_conv_outcome(conv);
        counts[o]++;
        if (tlsa_outcome_is_failure(o))
            (*failed)++;
    }
}

uint64_t tlsa_conv_set_handshakes(const uint64_t counts[TLSA_OUTCOME_COUNT])
{
    uint64_t n = 0;
    for (int i = 0; i < TLSA_OUTCOME_COUNT; i++)
        if (tlsa_outcome_is_handshake((tlsa_outcome_t)i))
            n += counts[i];
    return n;
}

const char *tlsa_conv_set_no_handshake_note(const uint64_t counts[TLSA_OUTCOME_COUNT], char *buf, unsigned size)
{
    uint64_t none = counts[TLSA_OUTCOME_NO_HANDSHAKE_SEEN];
    if (!none)
        return NULL;
    uint64_t handshakes = tlsa_conv_set_handshakes(counts);
    g_snprintf(buf, size,
               "%s%" G_GUINT64_FORMAT " conversation%s without any handshake message or SYN (outcome "
               "no_handshake_seen: unknown, not counted as handshakes nor as failed): the capture "
               "keeps only some records (such as an alert-only filter like "
               "'tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x15') or starts mid-connection. To count "
               "handshakes, capture whole connections with a filter on addresses and ports only, "
               "e.g. tcpdump -w FILE 'tcp port 443'",
               handshakes ? "" : "The capture holds no handshakes: ", none, none == 1 ? "" : "s");
    return buf;
}

static gint failed_first(gconstpointer a, gconstpointer b)
{
    const tlsa_conv_t *x = *(const tlsa_conv_t *const *)a;
    const tlsa_conv_t *y = *(const tlsa_conv_t *const *)b;
    tlsa_outcome_t ox = tlsa_conv_outcome(x), oy = tlsa_conv_outcome(y);
    int fx = tlsa_outcome_is_failure(ox), fy = tlsa_outcome_is_failure(oy);
    if (fx != fy)
        return fy - fx;
    if (fx && ox != oy)
        return (int)ox - (int)oy;
    return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

GPtrArray *tlsa_conv_set_failed_first(const tlsa_conv_set_t *set)
{
    GPtrArray *sorted = g_ptr_array_sized_new(set->order->len);
    for (guint i = 0; i < set->order->len; i++)
        if (g_ptr_array_index(set->order, i))
            g_ptr_array_add(sorted, g_ptr_array_index(set->order, i));
    g_ptr_array_sort(sorted, failed_first);
    return sorted;
}
