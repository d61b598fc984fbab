/* frame_fields.c — the table of fields the companion reads.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "frame_fields.h"

#include <string.h>

#include "ws_compat.h"

/* Several fields may share one name (Wireshark's "same name" fields, e.g. the
 * ClientHello's and the ServerHello's tls.handshake.version): keep them all. */
#define MAX_SAME_NAME 4

/* What the companion reads from a field: checked against the running
 * Wireshark's registration, so a field whose type changed is left out (with
 * a warning) instead of being misread. */
typedef enum { K_ITEM, K_NUMBER, K_STRING } field_kind_t;

static struct {
    const char *name;
    field_kind_t kind;            /* K_ITEM: only its position is used */
    int hf;                       /* first id, -1 when the field is missing */
    int more[MAX_SAME_NAME - 1];  /* further ids with the same name, 0 when none */
    GPtrArray *merged;            /* scratch for the items of all of them */
    gboolean policy_only;         /* wanted only while a security policy is set */
    gboolean never_wanted;        /* looked up, but not wanted (TLSA_WANT_TCP_ITEM) */
} fields[TF_COUNT] = {
    [TF_TLS_ALERT]              = { "tls.alert_message", K_ITEM },
    [TF_TLS_ALERT_LEVEL]        = { "tls.alert_message.level", K_NUMBER },
    [TF_TLS_ALERT_DESC]         = { "tls.alert_message.desc", K_NUMBER },
    [TF_DTLS_ALERT]             = { "dtls.alert_message", K_ITEM },
    [TF_DTLS_ALERT_LEVEL]       = { "dtls.alert_message.level", K_NUMBER },
    [TF_DTLS_ALERT_DESC]        = { "dtls.alert_message.desc", K_NUMBER },
    [TF_QUIC_TLS_ALERT]         = { "quic.cc.error_code.tls_alert", K_NUMBER },
    [TF_TLS_CONTENT_TYPE]       = { "tls.record.content_type", K_NUMBER },
    [TF_TLS_OPAQUE_TYPE]        = { "tls.record.opaque_type", K_NUMBER },
    [TF_DTLS_CONTENT_TYPE]      = { "dtls.record.content_type", K_NUMBER },
    [TF_DTLS_RECORD_LENGTH]     = { "dtls.record.length", K_NUMBER },
    [TF_DTLS_EPOCH]             = { "dtls.record.epoch", K_NUMBER },
    [TF_DTLS_SEQUENCE]          = { "dtls.record.sequence_number", K_NUMBER },
    [TF_DTLS_UNIFIED]           = { TLSA_DTLS_UNIFIED_HEADER_FIELD, K_NUMBER },
    [TF_TLS_HS_TYPE]            = { "tls.handshake.type", K_NUMBER },
    [TF_TLS_HS_VERSION]         = { "tls.handshake.version", K_NUMBER },
    [TF_TLS_SUPPORTED_VERSION]  = { "tls.handshake.extensions.supported_version", K_NUMBER },
    [TF_TLS_CIPHERSUITE]        = { "tls.handshake.ciphersuite", K_NUMBER, .policy_only = TRUE },
    [TF_TLS_SNI]                = { "tls.handshake.extensions_server_name", K_STRING },
    [TF_TLS_SUPPORTED_GROUP]    = { "tls.handshake.extensions_supported_group", K_NUMBER, .policy_only = TRUE },
    [TF_DTLS_HS_TYPE]           = { "dtls.handshake.type", K_NUMBER },
    [TF_DTLS_HS_VERSION]        = { "dtls.handshake.version", K_NUMBER },
    [TF_DTLS_SUPPORTED_VERSION] = { "dtls.handshake.extensions.supported_version", K_NUMBER },
    [TF_DTLS_CIPHERSUITE]       = { "dtls.handshake.ciphersuite", K_NUMBER },
    [TF_DTLS_SNI]               = { "dtls.handshake.extensions_server_name", K_STRING },
    [TF_JA3]                    = { "tls.handshake.ja3", K_STRING },
    [TF_JA3S]                   = { "tls.handshake.ja3s", K_STRING },
    [TF_JA4]                    = { "tls.handshake.ja4", K_STRING },
    [TF_QUIC_HEADER_FORM]       = { "quic.header_form", K_NUMBER },
    [TF_QUIC_FRAME_TYPE]        = { "quic.frame_type", K_NUMBER },
    [TF_TCP]                    = { "tcp", K_ITEM, .never_wanted = !TLSA_WANT_TCP_ITEM },
    [TF_TCP_SEGMENT_DATA]       = { "tcp.segment_data", K_ITEM },
    [TF_TCP_RETRANSMISSION]     = { "tcp.analysis.retransmission", K_ITEM },
    [TF_TCP_OUT_OF_ORDER]       = { "tcp.analysis.out_of_order", K_ITEM },
    [TF_DATA]                   = { "data.data", K_ITEM },
    [TF_VXLAN_VNI]              = { "vxlan.vni", K_NUMBER },
    [TF_EAP_CODE]               = { "eap.code", K_NUMBER },
};

/* Which wanted fields the current frame's tree holds, from one walk over the
 * tree's primed fields (tlsa_fields_begin_frame) instead of a hash lookup per
 * field and per call (~25 per TLS frame). */
static int proto_tcp = -1;    /* read_tcp_header */
static guint8 *field_of_hf; /* hf id -> field index + 1; 0: not ours */
static guint field_of_hf_len;
static proto_tree *frame_tree; /* the tree present_mask describes; NULL: none */
static guint64 present_mask;     /* TLSA_FIELD_BIT(id): the field has items in frame_tree */
/* What tlsa_fields_beyond_transport() does not count. */
#define TRANSPORT_FIELDS (TLSA_FIELD_BIT(TF_TCP) | TLSA_FIELD_BIT(TF_VXLAN_VNI) | \
                          TLSA_FIELD_BIT(TF_TCP_RETRANSMISSION) | TLSA_FIELD_BIT(TF_TCP_OUT_OF_ORDER))
/* The TCP header as read_tcp_header reads it. */
typedef struct {
    guint16 flags;
    guint32 seq;
    const guint8 *payload; /* the first payload bytes in the frame, NULL when none */
    guint payload_len;     /* how many of them (at most TCP_PAYLOAD_START) */
} tcp_header_t;
#define TCP_PAYLOAD_START 16 /* payload bytes read with the header (tlsa_tcp_payload_start) */
static gint8 tcp_cached;         /* tlsa_tcp_header of frame_tree: -1 unknown, 0 none, 1 read */
static tcp_header_t tcp_cached_header;
static GPtrArray *first_items[TF_COUNT]; /* valid where present_mask says so */

/* Position index of a field's items in this frame (tlsa_field_at), built on
 * the first lookup in a frame where the field has many items: a segment packed
 * with alert records would otherwise cost a scan per record, quadratic. */
#define POSITION_INDEX_MIN 16
static GHashTable *position_index[TF_COUNT];
static guint64 indexed_mask; /* TLSA_FIELD_BIT(id): position_index[id] holds this frame's items */

static void index_field(int hf, unsigned id)
{
    if (hf > 0 && (guint)hf < field_of_hf_len)
        field_of_hf[hf] = (guint8)(id + 1);
}

void tlsa_fields_begin_frame(proto_tree *tree)
{
    frame_tree = tree;
    present_mask = 0;
    tcp_cached = -1;
    for (unsigned id = 0; indexed_mask && id < TF_COUNT; id++) {
        if (indexed_mask & TLSA_FIELD_BIT(id)) {
            g_hash_table_remove_all(position_index[id]);
            indexed_mask &= ~TLSA_FIELD_BIT(id);
        }
    }
    GHashTable *primed = tlsa_tree_primed_fields(tree);
    if (!primed)
        return;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, primed);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        guint hf = GPOINTER_TO_UINT(key);
        GPtrArray *items = (GPtrArray *)value;
        if (hf >= field_of_hf_len || !field_of_hf[hf] || !items || !items->len)
            continue;
        unsigned id = field_of_hf[hf] - 1u;
        present_mask |= TLSA_FIELD_BIT(id);
        if ((int)hf == fields[id].hf)
            first_items[id] = items;
    }
}

guint64 tlsa_fields_present(void)
{
    return present_mask;
}

gboolean tlsa_fields_beyond_transport(void)
{
    return (present_mask & ~TRANSPORT_FIELDS) != 0;
}

void tlsa_fields_end_frame(void)
{
    frame_tree = NULL;
}

static gboolean is_number_type(enum ftenum type)
{
    switch (type) {
    case FT_CHAR: case FT_UINT8: case FT_UINT16: case FT_UINT24: case FT_UINT32: case FT_FRAMENUM:
    case FT_UINT40: case FT_UINT48: case FT_UINT56: case FT_UINT64:
        return TRUE;
    default:
        return FALSE;
    }
}

static gboolean is_64bit_type(enum ftenum type)
{
    return type == FT_UINT40 || type == FT_UINT48 || type == FT_UINT56 || type == FT_UINT64;
}

static gboolean is_string_type(enum ftenum type)
{
    return type == FT_STRING || type == FT_STRINGZ || type == FT_STRINGZPAD ||
           type == FT_STRINGZTRUNC || type == FT_UINT_STRING;
}

static gboolean kind_fits(field_kind_t kind, enum ftenum type)
{
    switch (kind) {
    case K_NUMBER: return is_number_type(type);
    case K_STRING: return is_string_type(type);
    default: return TRUE;
    }
}

void tlsa_fields_init(void)
{
    proto_tcp = proto_get_id_by_filter_name("tcp");
    guint max_hf = 0;
    for (unsigned i = 0; i < TF_COUNT; i++) {
        header_field_info *hfi = proto_registrar_get_byname(fields[i].name);
        fields[i].hf = -1;
        memset(fields[i].more, 0, sizeof fields[i].more);
        if (!hfi)
            continue;
        if (!kind_fits(fields[i].kind, hfi->type)) {
            /* A Wireshark that changed the field's type: leave it out rather
             * than misread it (what depends on it is then not seen). */
            g_warning("tlsalerts: field %s has type %s, which tlsalerts cannot read; ignored",
                      fields[i].name, ftype_name(hfi->type));
            continue;
        }
        while (hfi->same_name_prev_id > 0)
            hfi = proto_registrar_get_nth((guint)hfi->same_name_prev_id);
        fields[i].hf = hfi->id;
        max_hf = MAX(max_hf, (guint)hfi->id);
        for (unsigned k = 0; hfi->same_name_next && k < G_N_ELEMENTS(fields[i].more); k++) {
            hfi = hfi->same_name_next;
            fields[i].more[k] = hfi->id;
            max_hf = MAX(max_hf, (guint)hfi->id);
        }
        if (fields[i].more[0] && !fields[i].merged)
            fields[i].merged = g_ptr_array_new();
    }
    g_free(field_of_hf);
    field_of_hf_len = max_hf + 1;
    field_of_hf = (guint8 *)g_malloc0(field_of_hf_len);
    for (unsigned i = 0; i < TF_COUNT; i++) {
        index_field(fields[i].hf, i);
        for (unsigned k = 0; k < G_N_ELEMENTS(fields[i].more); k++)
            index_field(fields[i].more[k], i);
    }
}

GArray *tlsa_fields_wanted(gboolean with_policy_fields)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (unsigned i = 0; i < TF_COUNT; i++) {
        if (fields[i].hf <= 0 || fields[i].never_wanted || (fields[i].policy_only && !with_policy_fields))
            continue;
        g_array_append_val(wanted, fields[i].hf);
        for (unsigned k = 0; k < G_N_ELEMENTS(fields[i].more) && fields[i].more[k]; k++)
            g_array_append_val(wanted, fields[i].more[k]);
    }
    return wanted;
}

GPtrArray *tlsa_field_items(proto_tree *tree, tlsa_field_id_t id)
{
    if (!tree || fields[id].hf <= 0)
        return NULL;
    if (tree == frame_tree) {
        if (!(present_mask & TLSA_FIELD_BIT(id)))
            return NULL;
        if (!fields[id].more[0])
            return first_items[id];
    }
    GPtrArray *items = proto_get_finfo_ptr_array(tree, fields[id].hf);
    if (!fields[id].more[0])
        return items && items->len ? items : NULL;

    GPtrArray *merged = fields[id].merged;
    g_ptr_array_set_size(merged, 0);
    for (unsigned k = 0; k < G_N_ELEMENTS(fields[id].more) + 1; k++) {
        int hf = k == 0 ? fields[id].hf : fields[id].more[k - 1];
        if (hf <= 0)
            break;
        GPtrArray *part = k == 0 ? items : proto_get_finfo_ptr_array(tree, hf);
        for (guint j = 0; part && j < part->len; j++)
            g_ptr_array_add(merged, g_ptr_array_index(part, j));
    }
    return merged->len ? merged : NULL;
}

guint tlsa_field_count(proto_tree *tree, tlsa_field_id_t id)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    return items ? items->len : 0;
}

static gpointer position_key(const tvbuff_t *tvb, gint start)
{
    return GSIZE_TO_POINTER((gsize)tvb ^ ((gsize)(guint)start * 2654435761u));
}

static const field_info *scan_at(GPtrArray *items, const tvbuff_t *tvb, gint start)
{
    for (guint i = 0; i < items->len; i++) {
        const field_info *fi = (const field_info *)g_ptr_array_index(items, i);
        if (fi->ds_tvb == tvb && fi->start == start)
            return fi;
    }
    return NULL;
}

const field_info *tlsa_field_at(proto_tree *tree, tlsa_field_id_t id, const field_info *anchor, gint delta)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    if (!items)
        return NULL;
    const tvbuff_t *tvb = anchor->ds_tvb;
    gint start = anchor->start + delta;
    if (items->len < POSITION_INDEX_MIN || tree != frame_tree)
        return scan_at(items, tvb, start);

    /* Keys are (data source, offset) folded into one word; the first item of
     * a key wins, as the scan's first match would, and a folded collision
     * falls back to the scan, so the answer is always the scan's. */
    if (!position_index[id])
        position_index[id] = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *index = position_index[id];
    if (!(indexed_mask & TLSA_FIELD_BIT(id))) {
        for (guint i = 0; i < items->len; i++) {
            const field_info *fi = (const field_info *)g_ptr_array_index(items, i);
            gpointer key = position_key(fi->ds_tvb, fi->start);
            if (!g_hash_table_contains(index, key))
                g_hash_table_insert(index, key, (gpointer)fi);
        }
        indexed_mask |= TLSA_FIELD_BIT(id);
    }
    const field_info *fi = (const field_info *)g_hash_table_lookup(index, position_key(tvb, start));
    if (!fi)
        return NULL;
    if (fi->ds_tvb == tvb && fi->start == start)
        return fi;
    return scan_at(items, tvb, start);
}

/* Reads go by the item's own type (a field of the same name may be 32-bit in
 * one Wireshark and 64-bit in another); an item of any other type reads 0. */
guint64 tlsa_field_uint64(const field_info *fi)
{
    enum ftenum type = fi->hfinfo->type;
    if (is_64bit_type(type))
        return tlsa_finfo_uint64(fi);
    return is_number_type(type) ? tlsa_finfo_uint(fi) : 0;
}

guint32 tlsa_field_uint(const field_info *fi)
{
    return (guint32)tlsa_field_uint64(fi);
}

const char *tlsa_field_string(const field_info *fi)
{
    return is_string_type(fi->hfinfo->type) ? tlsa_finfo_string(fi) : NULL;
}

guint32 tlsa_field_last_uint(proto_tree *tree, tlsa_field_id_t id, guint32 fallback)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    if (!items)
        return fallback;
    return tlsa_field_uint((const field_info *)g_ptr_array_index(items, items->len - 1));
}

/* TCP's own protocol item is in every TCP frame's tree anyway, at its top
 * (up to 4.4 Wireshark never fakes an item there), and its bytes are the TCP
 * header: found among the top's few children, it costs no wanted field.
 * Wanting tcp.flags and tcp.seq_raw made Wireshark create two items in every
 * TCP frame, and even wanting "tcp" itself made it keep a primed-field table
 * for every frame. The last TCP header at the top is the innermost (a VXLAN
 * frame's); a TCP header quoted inside an ICMP error is not at the top.
 * 4.6 fakes top-level items too: there "tcp" is wanted and its last item
 * read (ws_compat.h, TLSA_WANT_TCP_ITEM). */

static gboolean read_tcp_header(proto_tree *tree, tcp_header_t *h)
{
    if (!tree || proto_tcp <= 0)
        return FALSE;
    const field_info *tcp = NULL;
#if TLSA_WANT_TCP_ITEM
    GPtrArray *items = tlsa_field_items(tree, TF_TCP);
    if (items)
        tcp = (const field_info *)g_ptr_array_index(items, items->len - 1);
#else
    for (proto_node *child = tree->first_child; child; child = child->next) {
        const field_info *fi = PNODE_FINFO(child);
        if (fi && fi->hfinfo && fi->hfinfo->id == proto_tcp)
            tcp = fi;
    }
#endif
    if (!tcp || !tcp->ds_tvb || tcp->start < 0)
        return FALSE;
    gint remaining = tvb_captured_length_remaining(tcp->ds_tvb, tcp->start);
    if (remaining < 20)
        return FALSE;
    /* One pointer for the header (at most 60 bytes) and the payload's start. */
    guint span = (guint)MIN(remaining, 60 + TCP_PAYLOAD_START);
    const guint8 *p = tvb_get_ptr(tcp->ds_tvb, tcp->start, (gint)span);
    h->seq = (guint32)p[4] << 24 | (guint32)p[5] << 16 | (guint32)p[6] << 8 | p[7];
    h->flags = (guint16)(((guint)p[12] << 8 | p[13]) & 0x0fff);
    guint header = 4u * (p[12] >> 4);
    h->payload = header >= 20 && span > header ? p + header : NULL;
    h->payload_len = h->payload ? MIN(span - header, TCP_PAYLOAD_START) : 0;
    return TRUE;
}

static const tcp_header_t *tcp_header(proto_tree *tree, tcp_header_t *scratch)
{
    if (tree != frame_tree || !tree)
        return read_tcp_header(tree, scratch) ? scratch : NULL;
    if (tcp_cached < 0)
        tcp_cached = (gint8)read_tcp_header(tree, &tcp_cached_header);
    return tcp_cached > 0 ? &tcp_cached_header : NULL;
}

gboolean tlsa_tcp_header(proto_tree *tree, guint16 *flags, guint32 *seq)
{
    tcp_header_t scratch;
    const tcp_header_t *h = tcp_header(tree, &scratch);
    if (!h)
        return FALSE;
    *flags = h->flags;
    *seq = h->seq;
    return TRUE;
}

/* The frame's bytes after the TCP header, read with it: a short frame's
 * Ethernet padding reads as payload here, which is harmless for what looks at
 * it (padding is zeros, and zeros never start a TLS record). */
const guint8 *tlsa_tcp_payload_start(proto_tree *tree, guint want, guint *len)
{
    tcp_header_t scratch;
    const tcp_header_t *h = tcp_header(tree, &scratch);
    if (!h || !h->payload)
        return NULL;
    *len = MIN(h->payload_len, want);
    return h->payload;
}
