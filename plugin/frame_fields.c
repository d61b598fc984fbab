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

static struct {
    const char *name;
    int hf;                       /* first id, -1 when the field is missing */
    int more[MAX_SAME_NAME - 1];  /* further ids with the same name, 0 when none */
    GPtrArray *merged;            /* scratch for the items of all of them */
} fields[TF_COUNT] = {
    [TF_TLS_ALERT]              = { "tls.alert_message" },
    [TF_TLS_ALERT_LEVEL]        = { "tls.alert_message.level" },
    [TF_TLS_ALERT_DESC]         = { "tls.alert_message.desc" },
    [TF_DTLS_ALERT]             = { "dtls.alert_message" },
    [TF_DTLS_ALERT_LEVEL]       = { "dtls.alert_message.level" },
    [TF_DTLS_ALERT_DESC]        = { "dtls.alert_message.desc" },
    [TF_QUIC_TLS_ALERT]         = { "quic.cc.error_code.tls_alert" },
    [TF_TLS_CONTENT_TYPE]       = { "tls.record.content_type" },
    [TF_TLS_OPAQUE_TYPE]        = { "tls.record.opaque_type" },
    [TF_TLS_RECORD_LENGTH]      = { "tls.record.length" },
    [TF_DTLS_CONTENT_TYPE]      = { "dtls.record.content_type" },
    [TF_DTLS_RECORD_LENGTH]     = { "dtls.record.length" },
    [TF_DTLS_EPOCH]             = { "dtls.record.epoch" },
    [TF_DTLS_SEQUENCE]          = { "dtls.record.sequence_number" },
    [TF_TLS_HS_TYPE]            = { "tls.handshake.type" },
    [TF_TLS_HS_VERSION]         = { "tls.handshake.version" },
    [TF_TLS_SUPPORTED_VERSION]  = { "tls.handshake.extensions.supported_version" },
    [TF_TLS_CIPHERSUITE]        = { "tls.handshake.ciphersuite" },
    [TF_TLS_SNI]                = { "tls.handshake.extensions_server_name" },
    [TF_TLS_SUPPORTED_GROUP]    = { "tls.handshake.extensions_supported_group" },
    [TF_DTLS_HS_TYPE]           = { "dtls.handshake.type" },
    [TF_DTLS_HS_VERSION]        = { "dtls.handshake.version" },
    [TF_DTLS_SUPPORTED_VERSION] = { "dtls.handshake.extensions.supported_version" },
    [TF_DTLS_CIPHERSUITE]       = { "dtls.handshake.ciphersuite" },
    [TF_DTLS_SNI]               = { "dtls.handshake.extensions_server_name" },
    [TF_JA3]                    = { "tls.handshake.ja3" },
    [TF_JA3S]                   = { "tls.handshake.ja3s" },
    [TF_JA4]                    = { "tls.handshake.ja4" },
    [TF_QUIC_HEADER_FORM]       = { "quic.header_form" },
    [TF_QUIC_FRAME_TYPE]        = { "quic.frame_type" },
    [TF_TCP_FLAGS]              = { "tcp.flags" },
    [TF_TCP_SEQ_RAW]            = { "tcp.seq_raw" },
    [TF_VXLAN_VNI]              = { "vxlan.vni" },
};

/* Which wanted fields the current frame's tree holds, from one walk over the
 * tree's primed fields (tlsa_fields_begin_frame) instead of a hash lookup per
 * field and per call (~25 per TLS frame). */
static guint8 *field_of_hf; /* hf id -> field index + 1; 0: not ours */
static guint field_of_hf_len;
static proto_tree *frame_tree; /* the tree present[] describes; NULL: none */
static guint8 present[TF_COUNT];
static GPtrArray *first_items[TF_COUNT];

static void index_field(int hf, unsigned id)
{
    if (hf > 0 && (guint)hf < field_of_hf_len)
        field_of_hf[hf] = (guint8)(id + 1);
}

void tlsa_fields_begin_frame(proto_tree *tree)
{
    frame_tree = tree;
    memset(present, 0, sizeof present);
    memset(first_items, 0, sizeof first_items);
    GHashTable *primed = tree ? PTREE_DATA(tree)->interesting_hfids : NULL;
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
        present[id] = 1;
        if ((int)hf == fields[id].hf)
            first_items[id] = items;
    }
}

void tlsa_fields_end_frame(void)
{
    frame_tree = NULL;
}

GArray *tlsa_fields_init(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (unsigned i = 0; i < TF_COUNT; i++) {
        header_field_info *hfi = proto_registrar_get_byname(fields[i].name);
        fields[i].hf = -1;
        memset(fields[i].more, 0, sizeof fields[i].more);
        if (!hfi)
            continue;
        while (hfi->same_name_prev_id > 0)
            hfi = proto_registrar_get_nth((guint)hfi->same_name_prev_id);
        fields[i].hf = hfi->id;
        g_array_append_val(wanted, hfi->id);
        for (unsigned k = 0; hfi->same_name_next && k < G_N_ELEMENTS(fields[i].more); k++) {
            hfi = hfi->same_name_next;
            fields[i].more[k] = hfi->id;
            g_array_append_val(wanted, hfi->id);
        }
        if (fields[i].more[0] && !fields[i].merged)
            fields[i].merged = g_ptr_array_new();
    }
    g_free(field_of_hf);
    field_of_hf_len = 0;
    for (guint j = 0; j < wanted->len; j++)
        field_of_hf_len = MAX(field_of_hf_len, (guint)g_array_index(wanted, int, j) + 1);
    field_of_hf = (guint8 *)g_malloc0(field_of_hf_len ? field_of_hf_len : 1);
    for (unsigned i = 0; i < TF_COUNT; i++) {
        index_field(fields[i].hf, i);
        for (unsigned k = 0; k < G_N_ELEMENTS(fields[i].more); k++)
            index_field(fields[i].more[k], i);
    }
    return wanted;
}

GPtrArray *tlsa_field_items(proto_tree *tree, tlsa_field_id_t id)
{
    if (!tree || fields[id].hf <= 0)
        return NULL;
    if (tree == frame_tree) {
        if (!present[id])
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

const field_info *tlsa_field_at(proto_tree *tree, tlsa_field_id_t id, const field_info *anchor, gint delta)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    for (guint i = 0; items && i < items->len; i++) {
        const field_info *fi = (const field_info *)g_ptr_array_index(items, i);
        if (fi->ds_tvb == anchor->ds_tvb && fi->start == anchor->start + delta)
            return fi;
    }
    return NULL;
}

guint32 tlsa_field_uint(const field_info *fi)
{
    return tlsa_finfo_uint(fi);
}

guint64 tlsa_field_uint64(const field_info *fi)
{
    return tlsa_finfo_uint64(fi);
}

const char *tlsa_field_string(const field_info *fi)
{
    return tlsa_finfo_string(fi);
}

guint32 tlsa_field_last_uint(proto_tree *tree, tlsa_field_id_t id, guint32 fallback)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    if (!items)
        return fallback;
    return tlsa_finfo_uint((const field_info *)g_ptr_array_index(items, items->len - 1));
}
