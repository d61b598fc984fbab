/* conv_carry.c — conversations carried across a session reset (see conv_carry.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conv_carry.h"

#include <string.h>

#include <glib.h>

/* An undecided conversation: a deep copy, every pointer in it owned by the
 * entry (GLib memory). A counted one: its key and time only (conv NULL). */
typedef struct {
    tlsa_conv_key_t key;     /* its tunnel is .tunnel */
    tlsa_tunnel_t tunnel;
    int64_t last_sec;
    tlsa_conv_t *conv;       /* its key is .key, its hello .hello */
    tlsa_hello_t hello;
    tlsa_alert_note_t first_failure;
} entry_t;

struct tlsa_conv_carry {
    GHashTable *entries; /* &entry->conv.key -> entry */
};

bool tlsa_conv_outcome_is_final(const tlsa_conv_t *conv)
{
    tlsa_outcome_t o = tlsa_conv_outcome(conv);
    if (o == TLSA_OUTCOME_ESTABLISHED)
        return !tlsa_tracker_established_may_change(&conv->tracker);
    return o == TLSA_OUTCOME_ALERT_BY_CLIENT || o == TLSA_OUTCOME_ALERT_BY_SERVER;
}

bool tlsa_conv_is_closed(const tlsa_conv_t *conv)
{
    const tlsa_tracker_t *t = &conv->tracker;
    return t->rst != 0 || t->fin == TLSA_BOTH_SIDES;
}

bool tlsa_conv_idle_at(int64_t last_sec, int64_t now)
{
    return now >= INT64_MIN + TLSA_CONV_IDLE_SEC && last_sec <= now - TLSA_CONV_IDLE_SEC;
}

bool tlsa_conv_carries(const tlsa_conv_t *conv)
{
    tlsa_outcome_t o = tlsa_conv_outcome(conv);
    return tlsa_outcome_is_handshake(o) && !tlsa_conv_outcome_is_final(conv) && !tlsa_conv_is_closed(conv);
}

bool tlsa_conv_counted_open(const tlsa_conv_t *conv)
{
    return (conv->resumed == TLSA_RESUMED_COUNTED || tlsa_conv_outcome_is_final(conv)) &&
           !tlsa_conv_is_closed(conv);
}

static guint key_hash(gconstpointer key)
{
    return tlsa_conv_key_hash((const tlsa_conv_key_t *)key);
}

static gboolean key_equal(gconstpointer x, gconstpointer y)
{
    return tlsa_conv_key_equal((const tlsa_conv_key_t *)x, (const tlsa_conv_key_t *)y);
}

static void entry_free(gpointer data)
{
    entry_t *e = (entry_t *)data;
    if (e->conv) {
        g_free((char *)e->hello.sni);
        g_free((char *)e->hello.ja3);
        g_free((char *)e->hello.ja4);
        g_free((uint16_t *)e->hello.ciphers);
        g_free((uint16_t *)e->hello.groups);
        g_free((char *)e->conv->ja3s);
        g_free(e->conv);
    }
    g_free(e);
}

tlsa_conv_carry_t *tlsa_conv_carry_new(void)
{
    tlsa_conv_carry_t *carry = g_new0(tlsa_conv_carry_t, 1);
    carry->entries = g_hash_table_new_full(key_hash, key_equal, NULL, entry_free);
    return carry;
}

void tlsa_conv_carry_free(tlsa_conv_carry_t *carry)
{
    if (!carry)
        return;
    g_hash_table_destroy(carry->entries);
    g_free(carry);
}

void tlsa_conv_carry_clear(tlsa_conv_carry_t *carry)
{
    g_hash_table_remove_all(carry->entries);
}

unsigned tlsa_conv_carry_size(const tlsa_conv_carry_t *carry)
{
    return g_hash_table_size(carry->entries);
}

static uint16_t *copy_codes(const uint16_t *codes, uint16_t n)
{
    if (!codes)
        return NULL;
    uint16_t *copy = g_new(uint16_t, n ? n : 1);
    memcpy(copy, codes, n * sizeof *codes);
    return copy;
}

bool tlsa_conv_carry_keep(tlsa_conv_carry_t *carry, const tlsa_conv_t *conv)
{
    bool full = tlsa_conv_carries(conv);
    if (!full && !tlsa_conv_counted_open(conv))
        return false;
    entry_t *e = g_new0(entry_t, 1);
    tlsa_conv_key_copy(&e->key, &e->tunnel, &conv->key);
    e->last_sec = conv->last_sec;
    g_hash_table_replace(carry->entries, &e->key, e);
    if (!full)
        return true;
    e->conv = g_new(tlsa_conv_t, 1);
    *e->conv = *conv;
    e->conv->key = e->key;
    e->conv->ja3s = g_strdup(conv->ja3s);
    if (conv->hello) {
        e->hello = *conv->hello;
        e->hello.sni = g_strdup(conv->hello->sni);
        e->hello.ja3 = g_strdup(conv->hello->ja3);
        e->hello.ja4 = g_strdup(conv->hello->ja4);
        e->hello.ciphers = copy_codes(conv->hello->ciphers, conv->hello->n_ciphers);
        e->hello.groups = copy_codes(conv->hello->groups, conv->hello->n_groups);
        e->conv->hello = &e->hello;
    }
    /* The alert list stays behind (it points into the session's memory); the
     * first failure note decides the outcome, so it comes along. */
    tlsa_tracker_t *t = &e->conv->tracker;
    if (conv->tracker.first_failure) {
        e->first_failure = *conv->tracker.first_failure;
        e->first_failure.next = NULL;
        t->first_failure = &e->first_failure;
    }
    t->alerts = NULL;
    t->alerts_listed = 0;
    t->alerts_count = 0;
    return true;
}

static gboolean idle_entry(gpointer key G_GNUC_UNUSED, gpointer value, gpointer data)
{
    return tlsa_conv_idle_at(((const entry_t *)value)->last_sec, *(const int64_t *)data);
}

void tlsa_conv_carry_expire(tlsa_conv_carry_t *carry, int64_t now)
{
    g_hash_table_foreach_remove(carry->entries, idle_entry, &now);
}

bool tlsa_conv_carry_has(const tlsa_conv_carry_t *carry, const tlsa_conv_key_t *key, int64_t now)
{
    const entry_t *e = (const entry_t *)g_hash_table_lookup(carry->entries, key);
    return e && e->conv && !tlsa_conv_idle_at(e->last_sec, now);
}

bool tlsa_conv_carry_resume(tlsa_conv_carry_t *carry, tlsa_conv_t *conv, int64_t now,
                            const tlsa_carry_alloc_t *alloc)
{
    entry_t *e = (entry_t *)g_hash_table_lookup(carry->entries, &conv->key);
    if (!e)
        return false;
    if (tlsa_conv_idle_at(e->last_sec, now)) {
        g_hash_table_remove(carry->entries, &conv->key);
        return false;
    }
    if (!e->conv) {
        /* Counted already: it starts afresh, and is never counted again. */
        conv->resumed = TLSA_RESUMED_COUNTED;
        g_hash_table_remove(carry->entries, &conv->key);
        return true;
    }
    const tlsa_conv_t *old = e->conv;
    /* This session's identity, key and frame numbers; the rest as it was. */
    uint32_t id = conv->id, first_frame = conv->first_frame;
    tlsa_conv_key_t key = conv->key;
    *conv = *old;
    conv->key = key;
    conv->id = id;
    conv->first_frame = first_frame;
    conv->last_frame = 0; /* its first frame in this session: a conversation record */
    conv->provisional = 0;  /* not in this session's bound (conv_bound.h) */
    conv->record_frames = 0;
    conv->resumed = old->resumed == TLSA_RESUMED_COUNTED ? TLSA_RESUMED_COUNTED : TLSA_RESUMED_UNDECIDED;
    conv->ja3s = alloc->intern(alloc->ctx, old->ja3s);
    if (old->hello) {
        tlsa_hello_t hello = *old->hello;
        hello.sni = alloc->intern(alloc->ctx, hello.sni);
        hello.ja3 = alloc->intern(alloc->ctx, hello.ja3);
        hello.ja4 = alloc->intern(alloc->ctx, hello.ja4);
        hello.ciphers = alloc->intern_codes(alloc->ctx, hello.ciphers, hello.n_ciphers);
        hello.groups = alloc->intern_codes(alloc->ctx, hello.groups, hello.n_groups);
        conv->hello = alloc->intern_hello(alloc->ctx, &hello);
    }
    if (old->tracker.first_failure) {
        tlsa_alert_note_t *note = (tlsa_alert_note_t *)alloc->alloc0(alloc->ctx, sizeof *note);
        *note = e->first_failure;
        conv->tracker.first_failure = note;
    }
    g_hash_table_remove(carry->entries, &conv->key);
    return true;
}
