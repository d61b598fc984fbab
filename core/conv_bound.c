/* conv_bound.c — see conv_bound.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conv_bound.h"

#include <glib.h>

struct tlsa_conv_bound {
    GPtrArray *queue;  /* tlsa_conv_t *, oldest first from head; promoted ones stay until compacted */
    guint head;
    unsigned count;    /* provisional ones in the queue */
};

tlsa_conv_bound_t *tlsa_conv_bound_new(void)
{
    tlsa_conv_bound_t *b = g_new0(tlsa_conv_bound_t, 1);
    b->queue = g_ptr_array_new();
    return b;
}

void tlsa_conv_bound_free(tlsa_conv_bound_t *b)
{
    if (!b)
        return;
    g_ptr_array_free(b->queue, TRUE);
    g_free(b);
}

/* Drops taken and promoted entries: the queue stays within twice the number
 * of provisional conversations (plus a little). */
static void compact(tlsa_conv_bound_t *b)
{
    guint kept = 0;
    for (guint i = b->head; i < b->queue->len; i++) {
        tlsa_conv_t *c = (tlsa_conv_t *)g_ptr_array_index(b->queue, i);
        if (c->provisional)
            b->queue->pdata[kept++] = c;
    }
    g_ptr_array_set_size(b->queue, kept);
    b->head = 0;
}

static void maybe_compact(tlsa_conv_bound_t *b)
{
    guint entries = b->queue->len - b->head;
    if (b->head > 64 && b->head > b->queue->len / 2)
        compact(b);
    else if (entries > 64 && entries - b->count > b->count + 64)
        compact(b);
}

void tlsa_conv_bound_add(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    if (conv->provisional)
        return;
    conv->provisional = 1;
    g_ptr_array_add(b->queue, conv);
    b->count++;
}

void tlsa_conv_bound_promote(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    if (!conv->provisional)
        return;
    conv->provisional = 0;
    b->count--;
    maybe_compact(b);
}

unsigned tlsa_conv_bound_count(const tlsa_conv_bound_t *b)
{
    return b->count;
}

tlsa_conv_t *tlsa_conv_bound_take_over(tlsa_conv_bound_t *b, unsigned limit)
{
    if (limit == 0 || b->count <= limit)
        return NULL;
    while (b->head < b->queue->len) {
        tlsa_conv_t *c = (tlsa_conv_t *)g_ptr_array_index(b->queue, b->head++);
        if (!c->provisional)
            continue;
        c->provisional = 0;
        b->count--;
        maybe_compact(b);
        return c;
    }
    return NULL; /* not reached: count says one is queued */
}

bool tlsa_conv_foldable(const tlsa_conv_t *conv)
{
    return conv->record_frames <= 2;
}

typedef struct {
    tlsa_fold_fn fn;
    void *data;
} fold_listener_t;

static GArray *fold_listeners; /* main thread only */

void tlsa_fold_listen(tlsa_fold_fn fn, void *data)
{
    if (!fold_listeners)
        fold_listeners = g_array_new(FALSE, FALSE, sizeof(fold_listener_t));
    fold_listener_t l = { fn, data };
    g_array_append_val(fold_listeners, l);
}

void tlsa_fold_unlisten(tlsa_fold_fn fn, void *data)
{
    for (guint i = 0; fold_listeners && i < fold_listeners->len; i++) {
        fold_listener_t *l = &g_array_index(fold_listeners, fold_listener_t, i);
        if (l->fn == fn && l->data == data) {
            g_array_remove_index(fold_listeners, i);
            return;
        }
    }
}

void tlsa_fold_notify(const tlsa_conv_t *conv)
{
    for (guint i = 0; fold_listeners && i < fold_listeners->len; i++) {
        fold_listener_t *l = &g_array_index(fold_listeners, fold_listener_t, i);
        l->fn(l->data, conv);
    }
}
