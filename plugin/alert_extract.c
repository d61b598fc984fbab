/* alert_extract.c — one table-driven extractor for every alert field.
 *
 * TLS and DTLS put one "Alert Message" item per alert record. A readable alert
 * has a level and a description item as children, at the first and second byte
 * of the message in the same data source (the frame, or the decrypted record
 * when a key log is available). An encrypted alert has the message item alone:
 * "Alert Message: Encrypted Alert". QUIC carries the alert as the low byte of a
 * CONNECTION_CLOSE CRYPTO_ERROR (0x100 + code); it is always fatal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alert_extract.h"

#include "alert_catalog.h"
#include "ws_compat.h"

typedef enum {
    F_TLS_MESSAGE,
    F_TLS_LEVEL,
    F_TLS_DESCRIPTION,
    F_DTLS_MESSAGE,
    F_DTLS_LEVEL,
    F_DTLS_DESCRIPTION,
    F_QUIC_TLS_ALERT,
    F_COUNT
} field_id_t;

static struct {
    const char *name;
    int hf;
} fields[F_COUNT] = {
    [F_TLS_MESSAGE]      = { "tls.alert_message",            -1 },
    [F_TLS_LEVEL]        = { "tls.alert_message.level",      -1 },
    [F_TLS_DESCRIPTION]  = { "tls.alert_message.desc",       -1 },
    [F_DTLS_MESSAGE]     = { "dtls.alert_message",           -1 },
    [F_DTLS_LEVEL]       = { "dtls.alert_message.level",     -1 },
    [F_DTLS_DESCRIPTION] = { "dtls.alert_message.desc",      -1 },
    [F_QUIC_TLS_ALERT]   = { "quic.cc.error_code.tls_alert", -1 },
};

/* Record protocols share one shape: message, level, description. */
static const struct {
    tlsa_protocol_t protocol;
    field_id_t message, level, description;
} record_protocols[] = {
    { TLSA_PROTO_TLS,  F_TLS_MESSAGE,  F_TLS_LEVEL,  F_TLS_DESCRIPTION },
    { TLSA_PROTO_DTLS, F_DTLS_MESSAGE, F_DTLS_LEVEL, F_DTLS_DESCRIPTION },
};

GArray *tlsa_extract_init(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (unsigned i = 0; i < F_COUNT; i++) {
        fields[i].hf = proto_registrar_get_id_byname(fields[i].name);
        if (fields[i].hf > 0)
            g_array_append_val(wanted, fields[i].hf);
    }
    return wanted;
}

static GPtrArray *items(proto_tree *tree, field_id_t id)
{
    return fields[id].hf > 0 ? proto_get_finfo_ptr_array(tree, fields[id].hf) : NULL;
}

static unsigned item_count(proto_tree *tree, field_id_t id)
{
    GPtrArray *array = items(tree, id);
    return array ? array->len : 0;
}

unsigned tlsa_extract_count(proto_tree *tree)
{
    if (!tree)
        return 0;
    unsigned n = item_count(tree, F_QUIC_TLS_ALERT);
    for (unsigned p = 0; p < G_N_ELEMENTS(record_protocols); p++)
        n += item_count(tree, record_protocols[p].message);
    return n;
}

/* The item of this field at the given position of the message, or NULL. */
static const field_info *item_at(GPtrArray *array, const field_info *message, gint delta)
{
    if (!array)
        return NULL;
    for (guint i = 0; i < array->len; i++) {
        const field_info *fi = (const field_info *)g_ptr_array_index(array, i);
        if (fi->ds_tvb == message->ds_tvb && fi->start == message->start + delta)
            return fi;
    }
    return NULL;
}

static void stamp(tlsa_alert_t *alert, const packet_info *pinfo, tlsa_protocol_t protocol)
{
    alert->frame = pinfo->num;
    alert->protocol = (uint8_t)protocol;
    alert->time_sec = (int64_t)pinfo->abs_ts.secs;
    alert->time_nsec = (int32_t)pinfo->abs_ts.nsecs;
    alert->level = 0;
    alert->description = 0;
    alert->flags = 0;
}

unsigned tlsa_extract_frame(proto_tree *tree, const packet_info *pinfo,
                            tlsa_alert_t *out, unsigned max)
{
    unsigned n = 0;
    if (!tree)
        return 0;

    for (unsigned p = 0; p < G_N_ELEMENTS(record_protocols); p++) {
        GPtrArray *messages = items(tree, record_protocols[p].message);
        if (!messages)
            continue;
        GPtrArray *levels = items(tree, record_protocols[p].level);
        GPtrArray *descriptions = items(tree, record_protocols[p].description);
        for (guint i = 0; i < messages->len && n < max; i++) {
            const field_info *message = (const field_info *)g_ptr_array_index(messages, i);
            const field_info *level = item_at(levels, message, 0);
            const field_info *description = item_at(descriptions, message, 1);
            tlsa_alert_t *alert = &out[n++];
            stamp(alert, pinfo, record_protocols[p].protocol);
            if (level && description) {
                alert->level = (uint8_t)tlsa_finfo_uint(level);
                alert->description = (uint8_t)tlsa_finfo_uint(description);
            } else {
                alert->flags |= TLSA_ALERT_ENCRYPTED;
            }
        }
    }

    GPtrArray *quic = items(tree, F_QUIC_TLS_ALERT);
    for (guint i = 0; quic && i < quic->len && n < max; i++) {
        tlsa_alert_t *alert = &out[n++];
        stamp(alert, pinfo, TLSA_PROTO_QUIC);
        alert->level = TLSA_ALERT_LEVEL_FATAL;
        alert->description = (uint8_t)tlsa_finfo_uint((const field_info *)g_ptr_array_index(quic, i));
    }
    return n;
}
