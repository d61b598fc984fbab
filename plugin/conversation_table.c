/* conversation_table.c — file-scoped conversation map keyed on the inner
 * 5-tuple plus the tunnel (VXLAN VNI and the unordered pair of outer addresses).
 *
 * Wireshark's own conversation table keys on the 5-tuple only, so two mirror
 * sessions carrying the same inner traffic would merge; hence a map of our own.
 *
 * Session resets (tshark -M N): the cleanup routine copies the conversations
 * whose handshake is still undecided out of the file scope (core/conv_carry.c)
 * before it goes, and a conversation of the next session with the same key
 * resumes from the copy. Only a session that continues the previous one
 * resumes anything: one whose first frame is older than the previous
 * session's last frame (a capture opened anew, a re-dissection from the
 * start) drops the copies.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation_table.h"

#include <string.h>

#include <epan/address.h>
#include <epan/wmem_scopes.h>

#include "conv_bound.h"
#include "conv_carry.h"
#include "frame_fields.h"
#include "ws_compat.h"

/* The file's conversations, a set of tlsa_conv_t (a conversation starts with
 * its key). GLib memory, destroyed by the cleanup routine (the conversations
 * themselves are in the file scope): a GHashTable set holds a hash and a
 * pointer per slot, half of what a wmem_map entry costs. */
static GHashTable *conversations;
_Static_assert(offsetof(tlsa_conv_t, key) == 0, "the set finds a conversation by its key");
static wmem_map_t *strings;
static GHashTable *seen_records; /* a set of seen_key_t (kept in the file scope), as conversations */
static wmem_map_t *code_lists;
static wmem_map_t *stand_ins;
static wmem_map_t *tunnels;
static wmem_map_t *hellos;
static tlsa_conv_bound_t *bound;  /* the provisional conversations of this file (GLib memory) */
static guint32 next_id;

/* A list of 16-bit codes (a ClientHello's cipher suites or groups), kept
 * once per distinct list: a fleet of clients sends a handful of lists, and
 * a copy per conversation was about a third of its memory. */
typedef struct {
    const guint16 *codes;
    guint16 count;
} code_list_t;

static guint code_list_hash(gconstpointer key)
{
    const code_list_t *l = (const code_list_t *)key;
    guint h = 0x9e3779b9u ^ l->count;
    for (guint i = 0; i < l->count; i++)
        h = (h ^ l->codes[i]) * 0x01000193u;
    return h;
}

static gboolean code_list_equal(gconstpointer x, gconstpointer y)
{
    const code_list_t *a = (const code_list_t *)x, *b = (const code_list_t *)y;
    return a->count == b->count && memcmp(a->codes, b->codes, a->count * sizeof *a->codes) == 0;
}

const guint16 *tlsa_conv_table_intern_codes(const guint16 *codes, guint16 count)
{
    if (!count)
        return NULL;
    code_list_t probe = { codes, count };
    const code_list_t *known = (const code_list_t *)wmem_map_lookup(code_lists, &probe);
    if (known)
        return known->codes;
    code_list_t *kept = wmem_new(wmem_file_scope(), code_list_t);
    kept->codes = (const guint16 *)wmem_memdup(wmem_file_scope(), codes, count * sizeof *codes);
    kept->count = count;
    wmem_map_insert(code_lists, kept, kept);
    return kept->codes;
}

static guint tunnel_hash(gconstpointer key)
{
    return tlsa_tunnel_hash((const tlsa_tunnel_t *)key);
}

static gboolean tunnel_equal(gconstpointer x, gconstpointer y)
{
    return tlsa_tunnel_equal((const tlsa_tunnel_t *)x, (const tlsa_tunnel_t *)y);
}

/* The file-scoped copy of value in map (a set), one per distinct value. */
static const void *keep_one(wmem_map_t *map, const void *value, size_t size)
{
    const void *known = wmem_map_lookup(map, value);
    if (known)
        return known;
    void *kept = wmem_memdup(wmem_file_scope(), value, size);
    wmem_map_insert(map, kept, kept);
    return kept;
}

/* One copy per distinct tunnel: conversations point at it, so the key holds
 * no outer addresses of its own (a tunnel is 40 bytes, a capture has a few). */
static const tlsa_tunnel_t *intern_tunnel(const tlsa_tunnel_t *tunnel)
{
    return (const tlsa_tunnel_t *)keep_one(tunnels, tunnel, sizeof *tunnel);
}

static guint hello_hash(gconstpointer key)
{
    return tlsa_hello_hash((const tlsa_hello_t *)key);
}

static gboolean hello_equal(gconstpointer x, gconstpointer y)
{
    return tlsa_hello_equal((const tlsa_hello_t *)x, (const tlsa_hello_t *)y);
}

const tlsa_hello_t *tlsa_conv_table_intern_hello(const tlsa_hello_t *value)
{
    return (const tlsa_hello_t *)keep_one(hellos, value, sizeof *value);
}

static const tlsa_hello_t *intern_hello(void *ctx _U_, const tlsa_hello_t *value)
{
    return tlsa_conv_table_intern_hello(value);
}

static const uint16_t *intern_codes(void *ctx _U_, const uint16_t *codes, uint16_t n)
{
    return tlsa_conv_table_intern_codes(codes, n);
}

/* Across sessions (GLib memory, main thread only). */
static tlsa_conv_carry_t *carry;        /* undecided conversations of the previous sessions */
static gint64 latest_sec = G_MININT64;  /* latest capture second of any frame seen */
static gboolean session_begun;          /* a frame of this session was seen */
static gboolean have_last;              /* a frame was seen in an earlier session */
static gint64 last_sec, prev_last_sec;  /* the last frame's time: this session, the previous one */
static gint32 last_nsec, prev_last_nsec;

/* The conversation by its id (unique in a file, never reused): 4 bytes
 * where a pointer takes 8. */
typedef struct {
    guint64 position;
    guint32 conv;   /* tlsa_conv_t.id */
    guint32 extra;
    guint32 count;  /* how many of its alerts were seen (not part of the key) */
    guint8 side;
} seen_key_t;
_Static_assert(sizeof(seen_key_t) == 24, "one entry per segment with alerts, kept for the file");

static guint conv_hash(gconstpointer key)
{
    return tlsa_conv_key_hash((const tlsa_conv_key_t *)key);
}

static gboolean conv_equal(gconstpointer x, gconstpointer y)
{
    return tlsa_conv_key_equal((const tlsa_conv_key_t *)x, (const tlsa_conv_key_t *)y);
}

static guint seen_hash(gconstpointer key)
{
    const seen_key_t *k = (const seen_key_t *)key;
    return (k->conv * 2246822519u) ^ (guint)(k->position * 2654435761u) ^ (k->extra << 1) ^ k->side;
}

static gboolean seen_equal(gconstpointer x, gconstpointer y)
{
    const seen_key_t *a = (const seen_key_t *)x, *b = (const seen_key_t *)y;
    return a->conv == b->conv && a->position == b->position && a->extra == b->extra && a->side == b->side;
}

/* What a folded conversation's stand-in says (conv_bound.h): one stand-in per
 * distinct value, so a flood of folded conversations shares a few. */
typedef struct {
    tlsa_ip_t outer_src;
    guint32 vni;
    guint8 has_vni, protocol, outcome, cause;
} stand_in_key_t;

static guint stand_in_hash(gconstpointer key)
{
    const stand_in_key_t *k = (const stand_in_key_t *)key;
    guint h = k->vni * 2654435761u ^ (guint)k->protocol << 24 ^ (guint)k->outcome << 16 ^ (guint)k->cause << 8;
    for (guint i = 0; i < sizeof k->outer_src.addr; i++)
        h = (h ^ k->outer_src.addr[i]) * 0x01000193u;
    return h ^ k->outer_src.family ^ k->has_vni;
}

static gboolean stand_in_equal(gconstpointer x, gconstpointer y)
{
    return memcmp(x, y, sizeof(stand_in_key_t)) == 0;
}

void tlsa_conv_table_init(void)
{
    if (conversations)
        g_hash_table_destroy(conversations);
    conversations = g_hash_table_new(conv_hash, conv_equal);
    strings = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    if (seen_records)
        g_hash_table_destroy(seen_records);
    seen_records = g_hash_table_new(seen_hash, seen_equal);
    code_lists = wmem_map_new(wmem_file_scope(), code_list_hash, code_list_equal);
    stand_ins = wmem_map_new(wmem_file_scope(), stand_in_hash, stand_in_equal);
    tunnels = wmem_map_new(wmem_file_scope(), tunnel_hash, tunnel_equal);
    hellos = wmem_map_new(wmem_file_scope(), hello_hash, hello_equal);
    tlsa_conv_bound_free(bound);
    bound = tlsa_conv_bound_new();
    next_id = 0;
}

static const char *intern(void *ctx _U_, const char *s)
{
    if (!s || !*s)
        return NULL;
    const char *known = (const char *)wmem_map_lookup(strings, s);
    if (known)
        return known;
    char *copy = wmem_strdup(wmem_file_scope(), s);
    wmem_map_insert(strings, copy, copy);
    return copy;
}

/* One entry per (conversation, side, position, extra) — per TCP segment with
 * alerts, not per alert — whose count no alert note holds
 * (tlsa_frame_env_t.seen_count). */
static uint32_t *seen_count(void *ctx _U_, const tlsa_conv_t *conv, tlsa_side_t side, uint64_t position,
                            uint32_t extra, bool create)
{
    seen_key_t probe = { .position = position, .conv = conv->id, .extra = extra, .side = (guint8)side };
    seen_key_t *kept = (seen_key_t *)g_hash_table_lookup(seen_records, &probe);
    if (kept || !create)
        return kept ? &kept->count : NULL;
    kept = wmem_new(wmem_file_scope(), seen_key_t);
    *kept = probe;
    g_hash_table_add(seen_records, kept);
    return &kept->count;
}

static tlsa_alert_note_t *new_note(void *ctx _U_)
{
    return wmem_new0(wmem_file_scope(), tlsa_alert_note_t);
}

void tlsa_conv_table_frame(const packet_info *pinfo)
{
    gint64 sec = (gint64)pinfo->abs_ts.secs;
    gint32 nsec = (gint32)pinfo->abs_ts.nsecs;
    if (!session_begun) {
        session_begun = TRUE;
        if (carry && have_last && (sec < prev_last_sec || (sec == prev_last_sec && nsec < prev_last_nsec)))
            tlsa_conv_carry_clear(carry); /* not a continuation */
    }
    if (sec > latest_sec)
        latest_sec = sec;
    last_sec = sec;
    last_nsec = nsec;
}

static void keep_if_undecided(gpointer key _U_, gpointer value, gpointer data _U_)
{
    tlsa_conv_carry_keep(carry, (const tlsa_conv_t *)value);
}

void tlsa_conv_table_cleanup(void)
{
    if (conversations && g_hash_table_size(conversations)) {
        if (!carry)
            carry = tlsa_conv_carry_new();
        g_hash_table_foreach(conversations, keep_if_undecided, NULL);
    }
    if (conversations)
        g_hash_table_destroy(conversations);
    if (carry && latest_sec != G_MININT64)
        tlsa_conv_carry_expire(carry, latest_sec);
    conversations = NULL;
    if (seen_records)
        g_hash_table_destroy(seen_records);
    seen_records = NULL;
    strings = stand_ins = tunnels = hellos = NULL;
    tlsa_conv_bound_free(bound);
    bound = NULL;
    if (session_begun) {
        have_last = TRUE;
        prev_last_sec = last_sec;
        prev_last_nsec = last_nsec;
    }
    session_begun = FALSE;
}

void tlsa_conv_table_decided(tlsa_conv_t *conv, guint32 frame, gboolean bare)
{
    if (!bound)
        return;
    if (!bare)
        tlsa_conv_bound_promote(bound, conv);
    else if (conv->first_frame == frame && conv->record_frames == 1 && !conv->resumed)
        tlsa_conv_bound_add(bound, conv); /* made by this bare SYN */
    if (conv->provisional && conv->tracker.closed)
        tlsa_conv_bound_closed(bound, conv);
}

tlsa_conv_t *tlsa_conv_table_over_limit(guint limit)
{
    tlsa_conv_t *conv;
    while (bound && (conv = tlsa_conv_bound_take_over(bound, limit)) != NULL)
        if (tlsa_conv_foldable(conv))
            return conv;
    return NULL;
}

const tlsa_conv_t *tlsa_conv_table_stand_in(const tlsa_conv_t *conv)
{
    stand_in_key_t probe;
    memset(&probe, 0, sizeof probe);
    const tlsa_ip_t *outer_src = tlsa_conv_outer_src(conv);
    if (outer_src)
        probe.outer_src = *outer_src;
    probe.has_vni = conv->key.tunnel != NULL;
    probe.vni = conv->key.tunnel ? conv->key.tunnel->vni : 0;
    probe.protocol = conv->tracker.protocol;
    probe.outcome = (guint8)tlsa_conv_outcome(conv);
    probe.cause = conv->cause;
    tlsa_conv_t *stand_in = (tlsa_conv_t *)wmem_map_lookup(stand_ins, &probe);
    if (stand_in)
        return stand_in;
    stand_in_key_t *key = wmem_new(wmem_file_scope(), stand_in_key_t);
    memcpy(key, &probe, sizeof probe); /* padding included: keys compare with memcmp */
    stand_in = wmem_new0(wmem_file_scope(), tlsa_conv_t);
    stand_in->key.tunnel = conv->key.tunnel; /* a listener reads its VNI and outer source only */
    stand_in->outer_src_b = conv->outer_src_b;
    tlsa_tracker_init(&stand_in->tracker, (tlsa_protocol_t)probe.protocol, -1);
    stand_in->outcome = probe.outcome;
    stand_in->cause = probe.cause;
    wmem_map_insert(stand_ins, key, stand_in);
    return stand_in;
}

void tlsa_conv_table_forget(tlsa_conv_t *conv)
{
    g_hash_table_remove(conversations, &conv->key);
    wmem_free(wmem_file_scope(), conv);
}

void tlsa_conv_table_shutdown(void)
{
    if (conversations)
        g_hash_table_destroy(conversations);
    if (seen_records)
        g_hash_table_destroy(seen_records);
    conversations = NULL;
    seen_records = NULL;
    tlsa_conv_carry_free(carry);
    carry = NULL;
}

static void *alloc0(void *ctx _U_, size_t size)
{
    return wmem_alloc0(wmem_file_scope(), size);
}

const tlsa_frame_env_t *tlsa_conv_table_env(void)
{
    static const tlsa_frame_env_t env = { .new_note = new_note, .intern = intern, .intern_hello = intern_hello,
                                          .seen_count = seen_count };
    return &env;
}

static gboolean ip_from_address(const address *addr, tlsa_ip_t *ip)
{
    memset(ip, 0, sizeof *ip);
    if (addr->type == AT_IPv4 && addr->len == 4) {
        ip->family = 4;
        memcpy(ip->addr, addr->data, 4);
        return TRUE;
    }
    if (addr->type == AT_IPv6 && addr->len == 16) {
        ip->family = 6;
        memcpy(ip->addr, addr->data, 16);
        return TRUE;
    }
    return FALSE;
}

/* The outer source and destination addresses of a VXLAN frame: the IP header
 * right before the UDP header of the VXLAN header whose VNI item is given,
 * read from the bytes. (Wanting ip.src/ipv6.src instead would make Wireshark
 * collect them for every frame of every capture.) */
static void outer_endpoints(const field_info *vni, tlsa_ip_t *src, tlsa_ip_t *dst)
{
    memset(src, 0, sizeof *src);
    memset(dst, 0, sizeof *dst);
    tvbuff_t *tvb = vni->ds_tvb;
    gint udp = vni->start - 4 - 8; /* the VNI is at byte 4 of VXLAN's header, after UDP's 8 */
    if (!tvb || udp < 20 || !tvb_bytes_exist(tvb, 0, udp))
        return;
    if (udp >= 40 && (tvb_get_uint8(tvb, udp - 40) >> 4) == 6 && tvb_get_uint8(tvb, udp - 40 + 6) == 17) {
        tvb_memcpy(tvb, src->addr, udp - 40 + 8, 16);
        tvb_memcpy(tvb, dst->addr, udp - 40 + 24, 16);
        src->family = dst->family = 6;
        return;
    }
    for (gint ihl = 5; ihl <= 15; ihl++) {
        gint ip = udp - 4 * ihl;
        if (ip < 0)
            break;
        if (tvb_get_uint8(tvb, ip) == (0x40 | ihl) && tvb_get_uint8(tvb, ip + 9) == 17) {
            tvb_memcpy(tvb, src->addr, ip + 12, 4);
            tvb_memcpy(tvb, dst->addr, ip + 16, 4);
            src->family = dst->family = 4;
            return;
        }
    }
}

tlsa_conv_t *tlsa_conv_table_find(packet_info *pinfo, proto_tree *tree, gboolean create,
                                   tlsa_protocol_t protocol, tlsa_side_t *side)
{
    tlsa_ip_t src, dst, outer_src, outer_dst;
    guint8 transport;

    if (pinfo->ptype == PT_TCP)
        transport = 6;
    else if (pinfo->ptype == PT_UDP)
        transport = 17;
    else
        return NULL;
    if (!ip_from_address(&pinfo->src, &src) || !ip_from_address(&pinfo->dst, &dst))
        return NULL;

    GPtrArray *vnis = tlsa_field_items(tree, TF_VXLAN_VNI);
    gboolean has_vni = vnis != NULL;
    guint32 vni = has_vni ? tlsa_field_uint((const field_info *)g_ptr_array_index(vnis, vnis->len - 1)) : 0;
    if (has_vni) {
        outer_endpoints((const field_info *)g_ptr_array_index(vnis, 0), &outer_src, &outer_dst);
    } else {
        memset(&outer_src, 0, sizeof outer_src);
        memset(&outer_dst, 0, sizeof outer_dst);
    }

    /* Keys compare tunnels by value: a frame's own tunnel finds its
     * conversation, and is kept only when it makes one. */
    tlsa_tunnel_t probe;
    const tlsa_tunnel_t *tunnel = NULL;
    bool outer_src_b = false;
    if (has_vni) {
        tlsa_tunnel_make(&probe, &outer_src, &outer_dst, vni, &outer_src_b);
        tunnel = &probe;
    }
    tlsa_conv_key_t key;
    tlsa_conv_key_make(&key, &src, (uint16_t)pinfo->srcport, &dst, (uint16_t)pinfo->destport,
                       transport, tunnel, side);

    tlsa_conv_t *conv = (tlsa_conv_t *)g_hash_table_lookup(conversations, &key);
    if (conv)
        return conv;
    /* A carried conversation resumes with any frame of its own (its FIN). */
    if (!create && !(carry && tlsa_conv_carry_size(carry) && tlsa_conv_carry_has(carry, &key, latest_sec)))
        return NULL;

    if (tunnel)
        key.tunnel = intern_tunnel(tunnel);
    conv = wmem_new0(wmem_file_scope(), tlsa_conv_t);
    conv->key = key;
    conv->outer_src_b = outer_src_b;
    conv->id = ++next_id;
    conv->first_frame = pinfo->num;
    conv->first_sec = (int64_t)pinfo->abs_ts.secs;
    conv->first_nsec = (int32_t)pinfo->abs_ts.nsecs;
    tlsa_tracker_init(&conv->tracker, protocol, tlsa_conv_port_hint(&key));
    if (carry && tlsa_conv_carry_size(carry)) {
        static const tlsa_carry_alloc_t alloc = { .alloc0 = alloc0, .intern = intern,
                                                  .intern_codes = intern_codes,
                                                  .intern_hello = intern_hello };
        tlsa_conv_carry_resume(carry, conv, latest_sec, &alloc);
    }
    conv->outcome = (guint8)tlsa_tracker_outcome(&conv->tracker);
    g_hash_table_add(conversations, conv);
    return conv;
}
