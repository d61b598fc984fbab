/* alert_extract.c — one table-driven extractor for every alert field.
 *
 * TLS and DTLS put one "Alert Message" item per alert record. A readable alert
 * has a level and a description item at the first and second byte of the
 * message, in the same data source (the frame, or the decrypted record when a
 * key log is available). An encrypted alert has the message item alone
 * ("Alert Message: Encrypted Alert"). QUIC carries the alert as the low byte
 * of a CONNECTION_CLOSE CRYPTO_ERROR (0x100 + code); it is always fatal.
 *
 * Each alert also gets its position in the stream, so that the same record
 * seen twice (a retransmission dissected again, a mirror's duplicate) is
 * counted once: TLS — the TCP segment's raw sequence number and the alert's
 * ordinal in it (outside TCP: the frame and the ordinal); DTLS — the record's
 * epoch and sequence number; QUIC — the code itself (endpoints repeat
 * CONNECTION_CLOSE while closing). The ordinal is kept apart from the
 * position (tlsa_frame_alert_t.ordinal), so a segment of 9,000 alerts costs
 * one entry in the memory of what was seen, not 9,000.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alert_extract.h"

#include "alert_catalog.h"
#include "frame_fields.h"

static const struct {
    tlsa_protocol_t protocol;
    tlsa_field_id_t message, level, description;
} record_protocols[] = {
    { TLSA_PROTO_TLS,  TF_TLS_ALERT,  TF_TLS_ALERT_LEVEL,  TF_TLS_ALERT_DESC },
    { TLSA_PROTO_DTLS, TF_DTLS_ALERT, TF_DTLS_ALERT_LEVEL, TF_DTLS_ALERT_DESC },
};

#define ALERT_FIELDS (TLSA_FIELD_BIT(TF_TLS_ALERT) | TLSA_FIELD_BIT(TF_DTLS_ALERT) | TLSA_FIELD_BIT(TF_QUIC_TLS_ALERT))

guint tlsa_count_alerts(proto_tree *tree)
{
    if (!(tlsa_fields_present() & ALERT_FIELDS))
        return 0;
    guint n = tlsa_field_count(tree, TF_QUIC_TLS_ALERT);
    for (guint p = 0; p < G_N_ELEMENTS(record_protocols); p++)
        n += tlsa_field_count(tree, record_protocols[p].message);
    return n;
}

static void stamp(tlsa_frame_alert_t *found, const packet_info *pinfo, tlsa_protocol_t protocol)
{
    memset(found, 0, sizeof *found);
    found->record.kind = TLSA_REC_ALERT;
    found->record.frame = pinfo->num;
    found->record.protocol = (uint8_t)protocol;
}

static void dtls_position(proto_tree *tree, const field_info *message, tlsa_frame_alert_t *found)
{
    /* DTLS record header: type(1) version(2) epoch(2) sequence(6) length(2). */
    const field_info *epoch = tlsa_field_at(tree, TF_DTLS_EPOCH, message, -10);
    const field_info *sequence = tlsa_field_at(tree, TF_DTLS_SEQUENCE, message, -8);
    if (epoch && sequence) {
        found->position = ((guint64)tlsa_field_uint(epoch) << 48) | (tlsa_field_uint64(sequence) & G_GUINT64_CONSTANT(0xffffffffffff));
        found->extra = 0;
    } else {
        found->position = found->record.frame; /* not seen twice by construction */
        found->extra = 0xffffffffu;
    }
}

guint tlsa_extract_alerts(proto_tree *tree, const packet_info *pinfo, tlsa_frame_alert_t *out, guint max)
{
    guint n = 0;
    if (!(tlsa_fields_present() & ALERT_FIELDS))
        return 0;
    /* TLS outside TCP (EAP-TLS over RADIUS, ...) has no sequence number: its
     * alerts are then keyed on the frame, never seen twice by construction. */
    guint16 tcp_flags;
    guint32 tcp_seq = 0;
    gboolean over_tcp = tlsa_tcp_header(tree, &tcp_flags, &tcp_seq);

    for (guint p = 0; p < G_N_ELEMENTS(record_protocols); p++) {
        GPtrArray *messages = tlsa_field_items(tree, record_protocols[p].message);
        for (guint i = 0; messages && i < messages->len && n < max; i++) {
            const field_info *message = (const field_info *)g_ptr_array_index(messages, i);
            const field_info *level = tlsa_field_at(tree, record_protocols[p].level, message, 0);
            const field_info *description = tlsa_field_at(tree, record_protocols[p].description, message, 1);
            tlsa_frame_alert_t *found = &out[n++];
            stamp(found, pinfo, record_protocols[p].protocol);
            if (level && description) {
                found->record.level = (uint8_t)tlsa_field_uint(level);
                found->record.description = (uint8_t)tlsa_field_uint(description);
            } else {
                found->record.flags |= TLSA_ALERT_ENCRYPTED;
            }
            if (record_protocols[p].protocol == TLSA_PROTO_DTLS) {
                dtls_position(tree, message, found);
            } else if (over_tcp) {
                found->position = tcp_seq;
                found->extra = 0;
                found->ordinal = i;
            } else {
                found->position = found->record.frame;
                found->extra = 0x40000000u;
                found->ordinal = i;
            }
        }
    }

    GPtrArray *quic = tlsa_field_items(tree, TF_QUIC_TLS_ALERT);
    for (guint i = 0; quic && i < quic->len && n < max; i++) {
        tlsa_frame_alert_t *found = &out[n++];
        stamp(found, pinfo, TLSA_PROTO_QUIC);
        found->record.level = TLSA_ALERT_LEVEL_FATAL;
        found->record.description = (uint8_t)tlsa_field_uint((const field_info *)g_ptr_array_index(quic, i));
        found->position = 0;
        found->extra = 0x100u | found->record.description;
    }
    return n;
}
