/* conversation_table.c — file-scoped conversation map keyed on the inner
 * 5-tuple plus the tunnel (VXLAN VNI and outer source address).
 *
 * Wireshark's own conversation table keys on the 5-tuple only, so two mirror
 * sessions carrying the same inner traffic would merge; hence a map of our own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation_table.h"

#include <string.h>

#include <epan/address.h>
#include <epan/wmem_scopes.h>

#include "frame_fields.h"

static wmem_map_t *conversations;
static wmem_map_t *strings;
static wmem_map_t *seen_records;
static guint32 next_id;

typedef struct {
    const tlsa_conv_t *conv;
    guint64 position;
    guint32 extra;
    guint8 side;
} seen_key_t;

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
    return g_direct_hash(k->conv) ^ (guint)(k->position * 2654435761u) ^ (k->extra << 1) ^ k->side;
}

static gboolean seen_equal(gconstpointer x, gconstpointer y)
{
    const seen_key_t *a = (const seen_key_t *)x, *b = (const seen_key_t *)y;
    return a->conv == b->conv && a->position == b->position && a->extra == b->extra && a->side == b->side;
}

void tlsa_conv_table_init(void)
{
    conversations = wmem_map_new(wmem_file_scope(), conv_hash, conv_equal);
    strings = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    seen_records = wmem_map_new(wmem_file_scope(), seen_hash, seen_equal);
    next_id = 0;
}

const char *tlsa_conv_table_intern(const char *s)
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

gboolean tlsa_conv_table_seen(const tlsa_conv_t *conv, tlsa_side_t side, guint64 position, guint32 extra)
{
    seen_key_t probe = { conv, position, extra, (guint8)side };
    if (wmem_map_lookup(seen_records, &probe))
        return TRUE;
    seen_key_t *key = wmem_new(wmem_file_scope(), seen_key_t);
    *key = probe;
    wmem_map_insert(seen_records, key, key);
    return FALSE;
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

/* The first (outermost) source address of a tunnelled frame. */
static void outer_source(proto_tree *tree, tlsa_ip_t *outer)
{
    memset(outer, 0, sizeof *outer);
    GPtrArray *v4 = tlsa_field_items(tree, TF_IP_SRC);
    GPtrArray *v6 = tlsa_field_items(tree, TF_IPV6_SRC);
    const field_info *fi = NULL;
    if (v4 && v6) {
        const field_info *a = (const field_info *)g_ptr_array_index(v4, 0);
        const field_info *b = (const field_info *)g_ptr_array_index(v6, 0);
        /* Both in the frame's own bytes: the earlier one is outer. */
        fi = (a->ds_tvb == b->ds_tvb && b->start < a->start) ? b : a;
    } else if (v4) {
        fi = (const field_info *)g_ptr_array_index(v4, 0);
    } else if (v6) {
        fi = (const field_info *)g_ptr_array_index(v6, 0);
    }
    if (!fi || !fi->ds_tvb || (fi->length != 4 && fi->length != 16))
        return;
    if (!tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length))
        return;
    tvb_memcpy(fi->ds_tvb, outer->addr, fi->start, fi->length);
    outer->family = fi->length == 4 ? 4 : 6;
}

tlsa_conv_t *tlsa_conv_table_find(packet_info *pinfo, proto_tree *tree, gboolean create,
                                   tlsa_protocol_t protocol, tlsa_side_t *side)
{
    tlsa_ip_t src, dst, outer;
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
    if (has_vni)
        outer_source(tree, &outer);
    else
        memset(&outer, 0, sizeof outer);

    tlsa_conv_key_t key;
    tlsa_conv_key_make(&key, &src, (uint16_t)pinfo->srcport, &dst, (uint16_t)pinfo->destport,
                       transport, &outer, has_vni, vni, side);

    tlsa_conv_t *conv = (tlsa_conv_t *)wmem_map_lookup(conversations, &key);
    if (conv || !create)
        return conv;

    conv = wmem_new0(wmem_file_scope(), tlsa_conv_t);
    conv->key = key;
    conv->id = ++next_id;
    conv->first_frame = pinfo->num;
    conv->first_sec = (int64_t)pinfo->abs_ts.secs;
    conv->first_nsec = (int32_t)pinfo->abs_ts.nsecs;
    tlsa_tracker_init(&conv->tracker, protocol, tlsa_conv_port_hint(&key));
    conv->outcome = (guint8)tlsa_tracker_outcome(&conv->tracker);
    wmem_map_insert(conversations, &conv->key, conv);
    return conv;
}
