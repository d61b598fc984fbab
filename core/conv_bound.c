/* conv_bound.c — see conv_bound.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conv_bound.h"

#include <glib.h>

/* tlsa_conv_t.provisional */
#define OPEN 1    /* still waiting: its ClientHello may come */
#define CLOSED 2  /* a FIN or RST came: its outcome is final */

/* One queue per state, oldest first from head; an entry whose conversation
 * left that state (closed, promoted, taken) stays until compacted. */
typedef struct {
    GPtrArray *entries;
    guint head;
    unsigned count;     /* entries in this state */
    uint8_t state;
} queue_t;

struct tlsa_conv_bound {
    queue_t open, closed;
};

static void queue_init(queue_t *q, uint8_t state)
{
    q->entries = g_ptr_array_new();
    q->head = 0;
    q->count = 0;
    q->state = state;
}

tlsa_conv_bound_t *tlsa_conv_bound_new(void)
{
    tlsa_conv_bound_t *b = g_new0(tlsa_conv_bound_t, 1);
    queue_init(&b->open, OPEN);
    queue_init(&b->closed, CLOSED);
    return b;
}

void tlsa_conv_bound_free(tlsa_conv_bound_t *b)
{
    if (!b)
        return;
    g_ptr_array_free(b->open.entries, TRUE);
    g_ptr_array_free(b->closed.entries, TRUE);
    g_free(b);
}

/* Drops the entries that left the queue's state: a queue stays within twice
 * the number of its conversations (plus a little). */
static void compact(queue_t *q)
{
    guint kept = 0;
    for (guint i = q->head; i < q->entries->len; i++) {
        tlsa_conv_t *c = (tlsa_conv_t *)g_ptr_array_index(q->entries, i);
        if (c->provisional == q->state)
            q->entries->pdata[kept++] = c;
    }
    g_ptr_array_set_size(q->entries, kept);
    q->head = 0;
}

static void maybe_compact(queue_t *q)
{
    guint entries = q->entries->len - q->head;
    if ((q->head > 64 && q->head > q->entries->len / 2) || (entries > 64 && entries - q->count > q->count + 64))
        compact(q);
}

static void push(queue_t *q, tlsa_conv_t *conv)
{
    conv->provisional = q->state;
    g_ptr_array_add(q->entries, conv);
    q->count++;
}

static void leave(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    queue_t *q = conv->provisional == CLOSED ? &b->closed : &b->open;
    conv->provisional = 0;
    q->count--;
    maybe_compact(q);
}

void tlsa_conv_bound_add(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    if (!conv->provisional)
        push(&b->open, conv);
}

void tlsa_conv_bound_closed(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    if (conv->provisional != OPEN)
        return;
    leave(b, conv);
    push(&b->closed, conv);
}

void tlsa_conv_bound_promote(tlsa_conv_bound_t *b, tlsa_conv_t *conv)
{
    if (conv->provisional)
        leave(b, conv);
}

unsigned tlsa_conv_bound_count(const tlsa_conv_bound_t *b)
{
    return b->open.count + b->closed.count;
}

static tlsa_conv_t *take_oldest(tlsa_conv_bound_t *b, queue_t *q)
{
    while (q->head < q->entries->len) {
        tlsa_conv_t *c = (tlsa_conv_t *)g_ptr_array_index(q->entries, q->head++);
        if (c->provisional == q->state) {
            leave(b, c);
            return c;
        }
    }
    return NULL;
}

tlsa_conv_t *tlsa_conv_bound_take_over(tlsa_conv_bound_t *b, unsigned limit)
{
    if (limit == 0 || tlsa_conv_bound_count(b) <= limit)
        return NULL;
    /* Closed ones first: their outcome is final, nothing of theirs can come. */
    if (b->closed.count)
        return take_oldest(b, &b->closed);
    return take_oldest(b, &b->open);
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
