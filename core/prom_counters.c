/* prom_counters.c — the running counters behind `-z tlsalerts,prom`.
 * Semantics in prom_counters.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "prom_counters.h"

#include <stdio.h>
#include <string.h>

#include "alert_catalog.h"
#include "alert_group.h"
#include "handshake_tracker.h"
#include "prom_format.h"

#define PENDING 1
#define SETTLED 2

/* Packed keys: protocol | level << 8 | description << 16 | sender << 24 |
 * has_vni << 32 | vni << 40 (handshakes: outcome in the level byte). */
typedef struct {
    uint64_t key;
    uint64_t count;
} entry_t;

static uint64_t pack_key(unsigned protocol, unsigned level, unsigned description, unsigned sender,
                         const tlsa_conv_key_t *conv_key)
{
    uint64_t key = (uint64_t)(protocol & 0xff) | (uint64_t)(level & 0xff) << 8 |
                   (uint64_t)(description & 0xff) << 16 | (uint64_t)(sender & 0xff) << 24;
    if (conv_key && conv_key->tunnel)
        key |= (uint64_t)1 << 32 | (uint64_t)(conv_key->tunnel->vni & 0xffffff) << 40;
    return key;
}

static uint64_t pack(unsigned protocol, unsigned level, unsigned description, unsigned sender,
                     const tlsa_conv_t *conv)
{
    return pack_key(protocol, level, description, sender, conv ? &conv->key : NULL);
}

/* A conversation pending across a session reset: what settling it needs. */
typedef struct {
    tlsa_conv_key_t key;     /* its tunnel is .tunnel */
    tlsa_tunnel_t tunnel;
    uint8_t protocol;
    uint8_t outcome;  /* at the reset */
    int64_t last_sec;
} carried_t;

static guint carried_hash(gconstpointer key)
{
    return tlsa_conv_key_hash((const tlsa_conv_key_t *)key);
}

static gboolean carried_equal(gconstpointer x, gconstpointer y)
{
    return tlsa_conv_key_equal((const tlsa_conv_key_t *)x, (const tlsa_conv_key_t *)y);
}

static void unpack(uint64_t key, unsigned *protocol, unsigned *level, unsigned *description, unsigned *sender,
                   char vni[12])
{
    *protocol = key & 0xff;
    *level = (key >> 8) & 0xff;
    *description = (key >> 16) & 0xff;
    *sender = (key >> 24) & 0xff;
    if ((key >> 32) & 1)
        snprintf(vni, 12, "%u", (unsigned)(key >> 40));
    else
        vni[0] = '\0';
}

static GHashTable *table_new(void)
{
    return g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
}

static void bump(GHashTable *table, uint64_t key, uint64_t by)
{
    entry_t *e = (entry_t *)g_hash_table_lookup(table, &key);
    if (!e) {
        e = g_new0(entry_t, 1);
        e->key = key;
        g_hash_table_insert(table, &e->key, e);
    }
    e->count += by;
}

void tlsa_prom_counters_init(tlsa_prom_counters_t *c)
{
    memset(c, 0, sizeof *c);
    c->alerts = table_new();
    c->encrypted = table_new();
    c->handshakes = table_new();
    c->session = g_hash_table_new(g_direct_hash, g_direct_equal);
    c->pending = g_hash_table_new(g_direct_hash, g_direct_equal);
    c->carried = g_hash_table_new_full(carried_hash, carried_equal, NULL, g_free);
    c->last_tick = INT64_MIN;
    c->latest = INT64_MIN;
    /* Series exist from the start at 0, so that rate() sees the first failure. */
    for (unsigned o = 0; o < TLSA_OUTCOME_COUNT; o++)
        if (tlsa_outcome_is_handshake((tlsa_outcome_t)o))
            bump(c->handshakes, pack(TLSA_PROTO_TLS, o, 0, 0, NULL), 0);
}

void tlsa_prom_counters_free(tlsa_prom_counters_t *c)
{
    if (c->alerts) {
        g_hash_table_destroy(c->alerts);
        g_hash_table_destroy(c->encrypted);
        g_hash_table_destroy(c->handshakes);
        g_hash_table_destroy(c->session);
        g_hash_table_destroy(c->pending);
        g_hash_table_destroy(c->carried);
    }
    memset(c, 0, sizeof *c);
}

static void settle(tlsa_prom_counters_t *c, const tlsa_conv_t *conv)
{
    /* A conversation whose handshake the capture never saw (alert-only
     * capture, seen mid-stream) is no handshake. */
    tlsa_outcome_t outcome = tlsa_conv_outcome(conv);
    if (tlsa_outcome_is_handshake(outcome))
        bump(c->handshakes, pack(conv->tracker.protocol, outcome, 0, 0, conv), 1);
    g_hash_table_remove(c->pending, conv);
    g_hash_table_insert(c->session, (gpointer)conv, GINT_TO_POINTER(SETTLED));
}

/* A new protocol or VNI: its handshake series start at 0. */
static void ensure_series(tlsa_prom_counters_t *c, const tlsa_conv_t *conv)
{
    uint64_t probe = pack(conv->tracker.protocol, TLSA_OUTCOME_INCOMPLETE, 0, 0, conv);
    if (!g_hash_table_contains(c->handshakes, &probe))
        for (unsigned o = 0; o < TLSA_OUTCOME_COUNT; o++)
            if (tlsa_outcome_is_handshake((tlsa_outcome_t)o))
                bump(c->handshakes, pack(conv->tracker.protocol, o, 0, 0, conv), 0);
}

static void first_sight(tlsa_prom_counters_t *c, const tlsa_conv_t *conv)
{
    g_hash_table_insert(c->session, (gpointer)conv, GINT_TO_POINTER(PENDING));
    g_hash_table_add(c->pending, (gpointer)conv);
    ensure_series(c, conv);
}

void tlsa_prom_counters_fold(tlsa_prom_counters_t *c, const tlsa_conv_t *conv)
{
    gpointer state = g_hash_table_lookup(c->session, conv);
    if (!state)
        return;
    if (GPOINTER_TO_INT(state) == PENDING)
        settle(c, conv); /* folded for good: its outcome now is its last */
    g_hash_table_remove(c->session, conv);
}

void tlsa_prom_counters_add_record(tlsa_prom_counters_t *c, const tlsa_record_t *rec)
{
    const tlsa_conv_t *conv = rec->conv;
    tlsa_undecoded_add_record(&c->undecoded, rec);
    if (rec->kind == TLSA_REC_ALERT && !(rec->flags & TLSA_ALERT_DUPLICATE)) {
        if (tlsa_alert_is_encrypted(rec))
            bump(c->encrypted, pack(rec->protocol, 0, 0, rec->sender, conv), tlsa_record_alerts(rec));
        else
            bump(c->alerts, pack(rec->protocol, rec->level, rec->description, rec->sender, conv),
                 tlsa_record_alerts(rec));
    }
    if (!conv)
        return;
    if (rec->flags & TLSA_REC_FOLDED) {
        /* A folded conversation (a later pass): counted once, at its first
         * record, with the final outcome its stand-in holds. */
        if (rec->flags & TLSA_REC_FOLDED_FIRST) {
            ensure_series(c, conv);
            if (tlsa_outcome_is_handshake((tlsa_outcome_t)conv->outcome))
                bump(c->handshakes, pack(conv->tracker.protocol, conv->outcome, 0, 0, conv), 1);
        }
        return;
    }
    gpointer state = g_hash_table_lookup(c->session, conv);
    if (!state) {
        /* The rest of a conversation counted in an earlier session: never
         * again. The rest of one pending at the last reset: it takes the
         * place of its entry (not found: counted nowhere yet, e.g. the
         * display filter hid its earlier frames). */
        if (conv->resumed == TLSA_RESUMED_COUNTED) {
            g_hash_table_insert(c->session, (gpointer)conv, GINT_TO_POINTER(SETTLED));
            return;
        }
        if (conv->resumed)
            g_hash_table_remove(c->carried, &conv->key);
        first_sight(c, conv);
    }
    else if (GPOINTER_TO_INT(state) == SETTLED)
        return;
    if (tlsa_conv_outcome_is_final(conv) || tlsa_conv_is_closed(conv))
        settle(c, conv);
}

static gboolean settle_carried_if_idle(gpointer key G_GNUC_UNUSED, gpointer value, gpointer data)
{
    tlsa_prom_counters_t *c = ((void **)data)[0];
    int64_t now = *(const int64_t *)((void **)data)[1];
    const carried_t *e = (const carried_t *)value;
    if (!tlsa_conv_idle_at(e->last_sec, now))
        return FALSE;
    bump(c->handshakes, pack_key(e->protocol, e->outcome, 0, 0, &e->key), 1);
    return TRUE;
}

/* Settles the pending conversations that are closed, final or idle at NOW. */
static void settle_pending(tlsa_prom_counters_t *c, int64_t now)
{
    GPtrArray *done = NULL;
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, c->pending);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)key;
        if (tlsa_conv_is_closed(conv) || tlsa_conv_outcome_is_final(conv) ||
            tlsa_conv_idle_at(conv->last_sec, now)) {
            if (!done)
                done = g_ptr_array_new();
            g_ptr_array_add(done, key);
        }
    }
    if (!done)
        return;
    for (guint i = 0; i < done->len; i++)
        settle(c, (const tlsa_conv_t *)g_ptr_array_index(done, i));
    g_ptr_array_free(done, TRUE);
}

void tlsa_prom_counters_tick(tlsa_prom_counters_t *c, int64_t now)
{
    if (g_hash_table_size(c->carried)) {
        void *data[2] = { c, &now };
        g_hash_table_foreach_remove(c->carried, settle_carried_if_idle, data);
    }
    settle_pending(c, now);
}

void tlsa_prom_counters_frame(tlsa_prom_counters_t *c, int64_t sec)
{
    c->frames++;
    if (sec > c->latest)
        c->latest = sec;
    /* Idle relative to the latest second seen, as the companion drops its
     * carried copies (a mirror's reordered frame does not move time back). */
    if (sec != c->last_tick) {
        c->last_tick = sec;
        if (g_hash_table_size(c->pending) || g_hash_table_size(c->carried))
            tlsa_prom_counters_tick(c, c->latest);
    }
}

void tlsa_prom_counters_settle_all(tlsa_prom_counters_t *c)
{
    tlsa_prom_counters_tick(c, INT64_MAX - TLSA_PROM_SETTLE_IDLE_SEC);
}

void tlsa_prom_counters_new_session(tlsa_prom_counters_t *c)
{
    if (c->latest != INT64_MIN)
        tlsa_prom_counters_tick(c, c->latest);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, c->pending);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        const tlsa_conv_t *conv = (const tlsa_conv_t *)key;
        if (!tlsa_conv_carries(conv))
            continue;
        /* An older entry of the same key that never resumed: settled now,
         * as the companion's copy gives way to the newer one too. */
        const carried_t *older = (const carried_t *)g_hash_table_lookup(c->carried, &conv->key);
        if (older)
            bump(c->handshakes, pack_key(older->protocol, older->outcome, 0, 0, &older->key), 1);
        carried_t *e = g_new0(carried_t, 1);
        tlsa_conv_key_copy(&e->key, &e->tunnel, &conv->key);
        e->protocol = conv->tracker.protocol;
        e->outcome = (uint8_t)tlsa_conv_outcome(conv);
        e->last_sec = conv->last_sec;
        g_hash_table_replace(c->carried, &e->key, e);
        g_hash_table_iter_remove(&it);
    }
    settle_pending(c, INT64_MAX - TLSA_PROM_SETTLE_IDLE_SEC); /* the others, as they are now */
    g_hash_table_remove_all(c->session);
    g_hash_table_remove_all(c->pending);
    if (c->frames > c->frames_at_reset)
        c->resets++;
    c->frames_at_reset = c->frames;
    c->last_tick = INT64_MIN;
}

unsigned tlsa_prom_counters_pending(const tlsa_prom_counters_t *c)
{
    return g_hash_table_size(c->pending) + g_hash_table_size(c->carried);
}

unsigned tlsa_prom_counters_tracked(const tlsa_prom_counters_t *c)
{
    return g_hash_table_size(c->session);
}

static GPtrArray *entries(GHashTable *table)
{
    GPtrArray *a = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, table);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(a, value);
    return a;
}

void tlsa_prom_counters_render(const tlsa_prom_counters_t *c, const tlsa_prom_info_t *info, GString *out)
{
    tlsa_prom_doc_t *doc = tlsa_prom_doc_new();
    unsigned protocol, level, description, sender;
    char vni[12];

    tlsa_prom_family_t *alerts = tlsa_prom_family(doc, "tlsalerts_alerts_total", TLSA_PROM_COUNTER,
        "TLS, DTLS and QUIC alerts whose description is visible, by protocol, level, description, "
        "group, sender and VXLAN VNI. Encrypted alerts are in tlsalerts_encrypted_alerts_total.");
    tlsa_prom_family_t *failures = tlsa_prom_family(doc, "tlsalerts_failure_alerts_total", TLSA_PROM_COUNTER,
        "Readable alerts that report a failure (every alert but close_notify and user_canceled), "
        "by protocol, group, sender and VXLAN VNI.");
    tlsa_prom_family_t *encrypted = tlsa_prom_family(doc, "tlsalerts_encrypted_alerts_total", TLSA_PROM_COUNTER,
        "Alerts whose description is not visible (encrypted, no key log), by protocol, sender and VXLAN VNI.");
    tlsa_prom_family_t *handshakes = tlsa_prom_family(doc, "tlsalerts_handshakes_total", TLSA_PROM_COUNTER,
        "Handshakes (conversations) by outcome, each counted once when its outcome is settled: "
        "established or alert at once, others when closed, idle or at the end (also across session resets).");
    tlsa_prom_family_t *failed = tlsa_prom_family(doc, "tlsalerts_failed_handshakes_total", TLSA_PROM_COUNTER,
        "Failed handshakes (alert, encrypted alert, likely client rejection, abort after the ClientHello): "
        "the figure to set beside an ALB's ClientTLSNegotiationErrorCount.");

    GPtrArray *rows = entries(c->alerts);
    for (guint i = 0; i < rows->len; i++) {
        const entry_t *e = (const entry_t *)g_ptr_array_index(rows, i);
        unpack(e->key, &protocol, &level, &description, &sender, vni);
        const char *group = tlsa_group_name(tlsa_group_of(description));
        const char *proto = tlsa_protocol_name(protocol);
        const char *who = tlsa_sender_name((tlsa_sender_t)sender);
        tlsa_prom_add(alerts, (double)e->count, "protocol", proto, "level", tlsa_level_name(level),
                      "description", tlsa_alert_display_name(description), "group", group,
                      "sender", who, "vni", vni, NULL);
        if (tlsa_is_failure(description))
            tlsa_prom_add(failures, (double)e->count, "protocol", proto, "group", group, "sender", who,
                          "vni", vni, NULL);
    }
    g_ptr_array_free(rows, TRUE);

    rows = entries(c->encrypted);
    for (guint i = 0; i < rows->len; i++) {
        const entry_t *e = (const entry_t *)g_ptr_array_index(rows, i);
        unpack(e->key, &protocol, &level, &description, &sender, vni);
        tlsa_prom_add(encrypted, (double)e->count, "protocol", tlsa_protocol_name(protocol),
                      "sender", tlsa_sender_name((tlsa_sender_t)sender), "vni", vni, NULL);
    }
    g_ptr_array_free(rows, TRUE);

    rows = entries(c->handshakes);
    for (guint i = 0; i < rows->len; i++) {
        const entry_t *e = (const entry_t *)g_ptr_array_index(rows, i);
        unpack(e->key, &protocol, &level, &description, &sender, vni);
        const char *proto = tlsa_protocol_name(protocol);
        tlsa_prom_add(handshakes, (double)e->count, "protocol", proto,
                      "outcome", tlsa_outcome_name((tlsa_outcome_t)level), "vni", vni, NULL);
        if (tlsa_outcome_is_failure((tlsa_outcome_t)level))
            tlsa_prom_add(failed, (double)e->count, "protocol", proto, "vni", vni, NULL);
    }
    g_ptr_array_free(rows, TRUE);

    /* At most TLSA_UNDECODED_PORTS port series and "other". */
    tlsa_prom_family_t *undecoded = tlsa_prom_family(doc, "tlsalerts_undecoded_tls_client_hellos_total",
        TLSA_PROM_COUNTER, "TCP segments that start with a TLS ClientHello on which no TLS dissector ran "
        "(another dissector owns the port, or a STARTTLS was not followed): these handshakes are in no "
        "other series; run the sensor with -d tcp.port==PORT,tls.");
    for (unsigned i = 0; i < c->undecoded.n_ports; i++) {
        char port[8];
        g_snprintf(port, sizeof port, "%u", c->undecoded.ports[i].port);
        tlsa_prom_add(undecoded, (double)c->undecoded.ports[i].client_hellos, "port", port, NULL);
    }
    if (c->undecoded.other_ports)
        tlsa_prom_add(undecoded, (double)c->undecoded.other_ports, "port", "other", NULL);

    tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_handshakes_pending", TLSA_PROM_GAUGE,
                      "Conversations seen whose outcome is not settled yet (not yet in tlsalerts_handshakes_total), "
                      "including those carried across a session reset."),
                  (double)tlsa_prom_counters_pending(c), NULL);
    tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_conversations_tracked", TLSA_PROM_GAUGE,
                      "Conversations tracked in the current session (since the start or the last -M reset)."),
                  (double)tlsa_prom_counters_tracked(c), NULL);
    tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_frames_total", TLSA_PROM_COUNTER,
                      "Frames the sensor dissected, TLS or not."),
                  (double)c->frames, NULL);
    tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_session_resets_total", TLSA_PROM_COUNTER,
                      "Session resets (tshark -M): per-conversation state freed, counters kept."),
                  (double)c->resets, NULL);
    tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_textfile_write_errors_total", TLSA_PROM_COUNTER,
                      "Textfile writes that failed (the previous file was left in place)."),
                  (double)c->write_errors, NULL);
    if (info) {
        tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_build_info", TLSA_PROM_GAUGE,
                          "Always 1: the tlsalerts and Wireshark versions of the sensor."),
                      1.0, "version", info->version, "wireshark_version", info->wireshark_version, NULL);
        if (info->last_write > 0)
            tlsa_prom_add(tlsa_prom_family(doc, "tlsalerts_last_write_timestamp_seconds", TLSA_PROM_GAUGE,
                              "Unix time at which this output was written."),
                          info->last_write, NULL);
    }
    tlsa_prom_render(doc, out);
    tlsa_prom_doc_free(doc);
}
