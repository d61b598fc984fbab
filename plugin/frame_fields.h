/* frame_fields.h — every Wireshark field the companion reads, in one table:
 * looked up by name once, handed to Wireshark as the post-dissector's wanted
 * fields, and read back per frame through the same accessors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_FRAME_FIELDS_H
#define TLSALERTS_FRAME_FIELDS_H

#include <epan/packet.h>

typedef enum {
    /* alerts */
    TF_TLS_ALERT, TF_TLS_ALERT_LEVEL, TF_TLS_ALERT_DESC,
    TF_DTLS_ALERT, TF_DTLS_ALERT_LEVEL, TF_DTLS_ALERT_DESC,
    TF_QUIC_TLS_ALERT,
    /* records */
    TF_TLS_CONTENT_TYPE, TF_TLS_OPAQUE_TYPE,
    TF_DTLS_CONTENT_TYPE, TF_DTLS_RECORD_LENGTH, TF_DTLS_EPOCH, TF_DTLS_SEQUENCE, TF_DTLS_UNIFIED,
    /* handshake */
    TF_TLS_HS_TYPE, TF_TLS_HS_VERSION, TF_TLS_SUPPORTED_VERSION, TF_TLS_CIPHERSUITE, TF_TLS_SNI, TF_TLS_SUPPORTED_GROUP,
    TF_DTLS_HS_TYPE, TF_DTLS_HS_VERSION, TF_DTLS_SUPPORTED_VERSION, TF_DTLS_CIPHERSUITE, TF_DTLS_SNI,
    TF_JA3, TF_JA3S, TF_JA4,
    /* transport and tunnels */
    TF_QUIC_HEADER_FORM, TF_QUIC_FRAME_TYPE,
    TF_TCP, TF_TCP_SEGMENT_DATA, TF_TCP_RETRANSMISSION, TF_TCP_OUT_OF_ORDER, TF_DATA,
    TF_VXLAN_VNI,
    /* carriers of TLS outside TCP */
    TF_EAP_CODE,
    TF_COUNT
} tlsa_field_id_t;

G_STATIC_ASSERT(TF_COUNT <= 64); /* tlsa_fields_present() is a 64-bit mask */

/* Looks every field up (after all protocols registered); a field the running
 * Wireshark lacks is skipped. */
void tlsa_fields_init(void);

/* The hf ids to want (caller owns the array): every field found, but the
 * ClientHello's offered cipher suites and groups only with_policy_fields
 * (they are many items per ClientHello, and only a policy verdict reads
 * them). */
GArray *tlsa_fields_wanted(gboolean with_policy_fields);

/* Indexes the wanted fields present in this frame's tree (one walk over the
 * tree's primed fields); until tlsa_fields_end_frame, tlsa_field_items on
 * that tree answers from the index. */
void tlsa_fields_begin_frame(proto_tree *tree);
void tlsa_fields_end_frame(void);

/* The wanted fields present in the indexed frame, one bit per field. */
#define TLSA_FIELD_BIT(id) (G_GUINT64_CONSTANT(1) << (id))
guint64 tlsa_fields_present(void);

/* Whether the indexed frame holds any wanted field besides TCP's protocol
 * item, the VXLAN VNI and TCP's analysis flags. */
gboolean tlsa_fields_beyond_transport(void);

/* The items of a field in this frame's tree, or NULL. */
GPtrArray *tlsa_field_items(proto_tree *tree, tlsa_field_id_t id);

/* Number of items of a field in the tree. */
guint tlsa_field_count(proto_tree *tree, tlsa_field_id_t id);

/* The item of a field in the same data source as `anchor`, `delta` bytes from
 * it (used to pair a record's fields by their position on the wire), or NULL. */
const field_info *tlsa_field_at(proto_tree *tree, tlsa_field_id_t id, const field_info *anchor, gint delta);

guint32 tlsa_field_uint(const field_info *fi);
guint64 tlsa_field_uint64(const field_info *fi);
const char *tlsa_field_string(const field_info *fi);

/* The last item's unsigned value, or `fallback` when the field is absent. */
guint32 tlsa_field_last_uint(proto_tree *tree, tlsa_field_id_t id, guint32 fallback);

/* The frame's (last) TCP header: its flags (as tcp.flags) and raw sequence
 * number; FALSE when the frame has no complete TCP header. */
gboolean tlsa_tcp_header(proto_tree *tree, guint16 *flags, guint32 *seq);

/* Up to `want` (at most 16) bytes at the start of the frame's (last) TCP
 * payload, *len of them; NULL when it has no payload. */
const guint8 *tlsa_tcp_payload_start(proto_tree *tree, guint want, guint *len);

#define TLSA_TCP_FIN 0x001
#define TLSA_TCP_SYN 0x002
#define TLSA_TCP_RST 0x004
#define TLSA_TCP_ACK 0x010

#endif
