/* frame_events.c — one frame's handshake events, read from Wireshark's fields.
 *
 * Order inside a frame: SYN, handshake messages, ChangeCipherSpec, encrypted
 * records, then (added by the caller) alerts, then FIN and RST. A TLS
 * record's length is read from its header under the content type item; a
 * DTLS record is paired with its length item by position (11 bytes after the
 * content type).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "frame_events.h"

#include "dtls13_records.h"
#include "frame_fields.h"
#include "ws_compat.h"

#define QUIC_HANDSHAKE_DONE 0x1e

typedef struct {
    tlsa_field_id_t hs_type, hs_version, supported_version, sni, content_type;
    /* TLS: a record's length and a ServerHello's suite are read from the bytes
     * under the content type and handshake type items; DTLS: from these
     * fields (the length item length_delta bytes after the content type). */
    bool from_bytes;
    tlsa_field_id_t ciphersuite, record_length;
    gint length_delta;
} record_fields_t;

static const record_fields_t tls_fields = {
    TF_TLS_HS_TYPE, TF_TLS_HS_VERSION, TF_TLS_SUPPORTED_VERSION, TF_TLS_SNI, TF_TLS_CONTENT_TYPE,
    true, TF_COUNT, TF_COUNT, 0,
};
static const record_fields_t dtls_fields = {
    TF_DTLS_HS_TYPE, TF_DTLS_HS_VERSION, TF_DTLS_SUPPORTED_VERSION, TF_DTLS_SNI, TF_DTLS_CONTENT_TYPE,
    false, TF_DTLS_CIPHERSUITE, TF_DTLS_RECORD_LENGTH, 11,
};

static tlsa_event_t *push(tlsa_frame_t *fe, tlsa_event_kind_t kind, guint32 arg)
{
    if (fe->n_before >= TLSA_MAX_FRAME_EVENTS)
        return NULL;
    tlsa_event_t *ev = &fe->before[fe->n_before++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->arg = arg;
    ev->cipher = -1;
    return ev;
}

static guint16 offered_versions(proto_tree *tree, const record_fields_t *f)
{
    guint16 bits = 0;
    GPtrArray *items = tlsa_field_items(tree, f->supported_version);
    for (guint i = 0; items && i < items->len; i++)
        bits |= tlsa_version_bit((uint16_t)tlsa_field_uint((const field_info *)g_ptr_array_index(items, i)));
    if (!bits) {
        GPtrArray *legacy = tlsa_field_items(tree, f->hs_version);
        if (legacy)
            bits = tlsa_version_bit((uint16_t)tlsa_field_uint((const field_info *)g_ptr_array_index(legacy, 0)));
    }
    return bits;
}

static guint16 selected_version(proto_tree *tree, const record_fields_t *f)
{
    guint32 v = tlsa_field_last_uint(tree, f->supported_version, 0);
    if (!v)
        v = tlsa_field_last_uint(tree, f->hs_version, 0);
    return (guint16)v;
}

static const char *first_string(proto_tree *tree, tlsa_field_id_t id)
{
    GPtrArray *items = tlsa_field_items(tree, id);
    return items ? tlsa_field_string((const field_info *)g_ptr_array_index(items, 0)) : NULL;
}

/* The cipher suite a TLS ServerHello (or HelloRetryRequest) chose, read from
 * the message under its type item: type(1) length(3) version(2) random(32)
 * session id length(1) session id, then the suite (2). Wanting
 * tls.handshake.ciphersuite instead would make Wireshark create an item for
 * every suite every ClientHello offers; it is wanted only while a security
 * policy needs those lists (policy_glue.c). -1 if the bytes are not there. */
static int32_t server_hello_cipher(const field_info *type)
{
    tvbuff_t *tvb = type->ds_tvb;
    gint at = type->start;
    if (!tvb || at < 0 || tvb_captured_length_remaining(tvb, at) < 39)
        return -1;
    gint suite = at + 39 + tvb_get_uint8(tvb, at + 38);
    if (tvb_captured_length_remaining(tvb, suite) < 2)
        return -1;
    return (int32_t)tvb_get_ntohs(tvb, suite);
}

/* A ServerHello whose random (after the handshake header and the 2-byte
 * version under its type item) is RFC 8446's HelloRetryRequest value. */
static bool hello_retry(const field_info *type, gint header_len)
{
    tvbuff_t *tvb = type->ds_tvb;
    guint8 random[32];
    gint at = type->start + header_len + 2;
    if (!tvb || type->start < 0 || tvb_captured_length_remaining(tvb, at) < (gint)sizeof random)
        return false;
    tvb_memcpy(tvb, random, at, sizeof random);
    return tlsa_is_hello_retry_random(random, sizeof random);
}

static void handshake_events(proto_tree *tree, const record_fields_t *f, tlsa_frame_t *fe)
{
    GPtrArray *types = tlsa_field_items(tree, f->hs_type);
    for (guint i = 0; types && i < types->len; i++) {
        const field_info *type_item = (const field_info *)g_ptr_array_index(types, i);
        guint32 type = tlsa_field_uint(type_item);
        tlsa_event_t *ev = push(fe, TLSA_EV_HANDSHAKE, type);
        if (!ev)
            return;
        if (type == 1) {
            ev->versions = offered_versions(tree, f);
            if (!fe->sni)
                fe->sni = first_string(tree, f->sni);
        } else if (type == 2) {
            ev->selected_version = selected_version(tree, f);
            ev->versions = tlsa_version_bit(ev->selected_version);
            if (f->from_bytes) {
                ev->cipher = server_hello_cipher(type_item);
            } else {
                GPtrArray *suites = tlsa_field_items(tree, f->ciphersuite);
                if (suites && suites->len == 1)
                    ev->cipher = (int32_t)tlsa_field_uint((const field_info *)g_ptr_array_index(suites, 0));
            }
            /* TLS: type(1) length(3); DTLS: also message_seq(2) fragment offset and length(3+3) */
            if (hello_retry(type_item, f->from_bytes ? 4 : 12))
                ev->arg = 6; /* hello_retry_request */
        }
    }
}

/* A TLS record's length, read from its header (type, version, length) in
 * the bytes under its content type item: wanting tls.record.length as well
 * would make Wireshark create a second item for every record. FALSE for the
 * inner content type of a decrypted TLS 1.3 record, which only zero padding
 * (or nothing) follows, where a record header has its version (3.x). */
static bool tls_record_length(const field_info *type, guint32 *length)
{
    tvbuff_t *tvb = type->ds_tvb;
    if (!tvb || type->start < 0 || tvb_captured_length_remaining(tvb, type->start) < 5 ||
        tvb_get_uint8(tvb, type->start + 1) == 0)
        return false;
    *length = tvb_get_ntohs(tvb, type->start + 3);
    return true;
}

static void record_events(proto_tree *tree, const record_fields_t *f, tlsa_field_id_t type_field,
                          tlsa_frame_t *fe)
{
    GPtrArray *types = tlsa_field_items(tree, type_field);
    for (guint i = 0; types && i < types->len; i++) {
        const field_info *type = (const field_info *)g_ptr_array_index(types, i);
        guint32 length;
        if (f->from_bytes) {
            if (!tls_record_length(type, &length))
                continue;
        } else {
            const field_info *item = tlsa_field_at(tree, f->record_length, type, f->length_delta);
            if (!item)
                continue;
            length = tlsa_field_uint(item);
        }
        guint32 content = tlsa_field_uint(type);
        if (content == 20)
            push(fe, TLSA_EV_CCS, 0);
        else if (content == 23)
            push(fe, TLSA_EV_OPAQUE, length);
    }
}

/* A frame with no TLS dissected whose TCP payload is held for reassembly
 * ("TCP segment data": the dissector wants more) and starts a ClientHello
 * record (the tracker takes it only as a conversation's first TLS bytes): the first
 * segment of a ClientHello that Wireshark is still reassembling, or that never
 * completed. Not a copy TCP analysis has seen before (a mirror's duplicate, a
 * retransmission: the first copy went to TLS), and not a ClientHello another
 * dissector took whole (TLS on a port registered to HTTP: no segment data).
 * Only such frames read payload bytes. */
static bool hello_begun(proto_tree *tree)
{
    GPtrArray *payloads = tlsa_field_items(tree, TF_TCP_SEGMENT_DATA);
    if (!payloads || tlsa_field_count(tree, TF_TCP_RETRANSMISSION) > 0 || tlsa_field_count(tree, TF_TCP_OUT_OF_ORDER) > 0)
        return false;
    const field_info *fi = (const field_info *)g_ptr_array_index(payloads, payloads->len - 1);
    if (!fi->ds_tvb || fi->length < 6)
        return false;
    guint8 head[10];
    guint n = MIN((guint)fi->length, (guint)sizeof head);
    if (tvb_captured_length_remaining(fi->ds_tvb, fi->start) < (gint)n)
        return false;
    tvb_memcpy(fi->ds_tvb, head, fi->start, n);
    return tlsa_payload_starts_client_hello(head, n);
}

#define EAP_FAILURE 4

static bool eap_failure(proto_tree *tree)
{
    if (!(tlsa_fields_present() & TLSA_FIELD_BIT(TF_EAP_CODE)))
        return false;
    GPtrArray *codes = tlsa_field_items(tree, TF_EAP_CODE);
    for (guint i = 0; codes && i < codes->len; i++)
        if (tlsa_field_uint((const field_info *)g_ptr_array_index(codes, i)) == EAP_FAILURE)
            return true;
    return false;
}

/* Wireshark 4.4 and later: each unified-header record's length, from its
 * dtls.record.length item after the header's first byte and sequence number
 * (8 or 16 bits). A record with a connection ID (its length is negotiated) or
 * without a length field is left out. */
static void unified_events(proto_tree *tree, tlsa_frame_t *fe)
{
    GPtrArray *heads = tlsa_field_items(tree, TF_DTLS_UNIFIED);
    for (guint i = 0; heads && i < heads->len; i++) {
        const field_info *head = (const field_info *)g_ptr_array_index(heads, i);
        guint32 bits = tlsa_field_uint(head);
        if ((bits & 0x10) || !(bits & 0x04))
            continue;
        const field_info *length = tlsa_field_at(tree, TF_DTLS_RECORD_LENGTH, head, (bits & 0x08) ? 3 : 2);
        if (length)
            push(fe, TLSA_EV_OPAQUE, tlsa_field_uint(length));
    }
}

/* Wireshark 4.0: a datagram with unified-header records is not DTLS to it
 * (plain UDP, data.data), also when a plaintext ServerHello starts it. Read it
 * as DTLS 1.3 records (core/dtls13_records.c: only a datagram made of DTLS
 * records exactly, one of them unified); the decision then takes them only
 * for a conversation known as DTLS. */
#define DTLS13_MAX_DATAGRAM 16384
#define DTLS13_MAX_RECORDS 32
static bool dtls13_datagram(proto_tree *tree, tlsa_frame_t *fe)
{
    static guint8 bytes[DTLS13_MAX_DATAGRAM];
    GPtrArray *data = tlsa_field_items(tree, TF_DATA);
    if (!data)
        return false;
    const field_info *fi = (const field_info *)g_ptr_array_index(data, data->len - 1);
    if (!fi->ds_tvb || fi->start < 0 || fi->length < 1 || fi->length > DTLS13_MAX_DATAGRAM ||
        tvb_captured_length_remaining(fi->ds_tvb, fi->start) < fi->length)
        return false;
    if (!tlsa_dtls13_is_unified(tvb_get_uint8(fi->ds_tvb, fi->start)) && tvb_get_uint8(fi->ds_tvb, fi->start) != 22)
        return false;
    tvb_memcpy(fi->ds_tvb, bytes, fi->start, (size_t)fi->length);
    tlsa_dtls13_rec_t recs[DTLS13_MAX_RECORDS];
    size_t n = tlsa_dtls13_scan(bytes, (size_t)fi->length, recs, DTLS13_MAX_RECORDS);
    for (size_t i = 0; i < n; i++) {
        const tlsa_dtls13_rec_t *r = &recs[i];
        if (r->kind == TLSA_DTLS13_REC_UNIFIED) {
            push(fe, TLSA_EV_OPAQUE, r->length);
        } else if (r->hs_type >= 0) {
            tlsa_event_t *ev = push(fe, TLSA_EV_HANDSHAKE, r->hello_retry ? 6u : (guint32)r->hs_type);
            if (ev && r->hs_type == 2) {
                ev->selected_version = r->selected_version;
                ev->versions = tlsa_version_bit(r->selected_version);
                ev->cipher = r->cipher;
            }
        } else if (r->content_type == 20) {
            push(fe, TLSA_EV_CCS, 0);
        }
    }
    return n > 0;
}

void tlsa_frame_events(proto_tree *tree, tlsa_frame_t *fe)
{
    fe->n_before = fe->n_after = 0;
    fe->sni = fe->ja3 = fe->ja3s = fe->ja4 = NULL;
    fe->syn = fe->fin = fe->rst = false;

    guint64 present = tlsa_fields_present();
    bool quic = (present & TLSA_FIELD_BIT(TF_QUIC_HEADER_FORM)) != 0;
    bool dtls = (present & (TLSA_FIELD_BIT(TF_DTLS_CONTENT_TYPE) | TLSA_FIELD_BIT(TF_DTLS_ALERT))) != 0;
    bool tls = (present & (TLSA_FIELD_BIT(TF_TLS_CONTENT_TYPE) | TLSA_FIELD_BIT(TF_TLS_OPAQUE_TYPE) |
                           TLSA_FIELD_BIT(TF_TLS_ALERT) | TLSA_FIELD_BIT(TF_TLS_HS_TYPE))) != 0;
    fe->protocol = quic ? TLSA_PROTO_QUIC : dtls ? TLSA_PROTO_DTLS : TLSA_PROTO_TLS;
    fe->has_content = quic || dtls || tls;
    fe->hello_begun = false;
    fe->dtls13_records = false;

    guint16 flags = 0;
    guint32 seq;
    gboolean is_tcp = tlsa_tcp_header(tree, &flags, &seq);
    if ((flags & TLSA_TCP_SYN) && !(flags & TLSA_TCP_ACK)) {
        fe->syn = true;
        push(fe, TLSA_EV_SYN, 0);
    }

    if (!fe->has_content && hello_begun(tree)) {
        fe->hello_begun = true;
        push(fe, TLSA_EV_HELLO_BEGUN, 0);
    }

    if (!fe->has_content && !is_tcp) {
        /* Encrypted DTLS 1.3 records only: 4.4 and later dissect them (the
         * unified header, no content type), 4.0 leaves the bytes to data. */
        if (present & TLSA_FIELD_BIT(TF_DTLS_UNIFIED)) {
            unified_events(tree, fe);
            fe->dtls13_records = fe->n_before > 0;
        } else if (present & TLSA_FIELD_BIT(TF_DATA)) {
            fe->dtls13_records = dtls13_datagram(tree, fe);
        }
        if (fe->dtls13_records)
            fe->protocol = TLSA_PROTO_DTLS;
    }

    if (fe->has_content) {
        if (present & TLSA_FIELD_BIT(TF_TLS_HS_TYPE))
            handshake_events(tree, &tls_fields, fe); /* QUIC's CRYPTO frames use TLS's fields */
        if (present & TLSA_FIELD_BIT(TF_DTLS_HS_TYPE))
            handshake_events(tree, &dtls_fields, fe);
        record_events(tree, &tls_fields, TF_TLS_CONTENT_TYPE, fe);
        record_events(tree, &tls_fields, TF_TLS_OPAQUE_TYPE, fe);
        record_events(tree, &dtls_fields, TF_DTLS_CONTENT_TYPE, fe);
        if (present & TLSA_FIELD_BIT(TF_DTLS_UNIFIED))
            unified_events(tree, fe);
        if (present & (TLSA_FIELD_BIT(TF_JA3) | TLSA_FIELD_BIT(TF_JA3S) | TLSA_FIELD_BIT(TF_JA4))) {
            fe->ja3 = first_string(tree, TF_JA3);
            fe->ja3s = first_string(tree, TF_JA3S);
            fe->ja4 = first_string(tree, TF_JA4);
        }
    }
    if (quic) {
        GPtrArray *frames = tlsa_field_items(tree, TF_QUIC_FRAME_TYPE);
        for (guint i = 0; frames && i < frames->len; i++) {
            if (tlsa_field_uint64((const field_info *)g_ptr_array_index(frames, i)) == QUIC_HANDSHAKE_DONE) {
                push(fe, TLSA_EV_QUIC_HANDSHAKE_DONE, 0);
                break;
            }
        }
        /* Without keys, 1-RTT packets carry no visible frames. */
        GPtrArray *forms = tlsa_field_items(tree, TF_QUIC_HEADER_FORM);
        for (guint i = 0; !frames && forms && i < forms->len; i++) {
            if (tlsa_field_uint((const field_info *)g_ptr_array_index(forms, i)) == 0) {
                push(fe, TLSA_EV_QUIC_1RTT, 0);
                break;
            }
        }
    }

    /* EAP-TLS (in RADIUS over UDP, ...) has no FIN: the authenticator ends a
     * failed authentication with an EAP-Failure, sent instead of a TLS alert
     * by some servers (FreeRADIUS). It closes the conversation as a FIN
     * would (aborted_after_server_flight without an alert; after a completed
     * TLS 1.2 handshake, closed_after_handshake). EAP-Success is not a close:
     * a completed EAP-TLS handshake stays established. */
    if (eap_failure(tree))
        flags |= TLSA_TCP_FIN;
    if (flags & TLSA_TCP_FIN) {
        fe->fin = true;
        fe->after[fe->n_after++] = (tlsa_event_t){ .kind = TLSA_EV_FIN, .cipher = -1 };
    }
    if (flags & TLSA_TCP_RST) {
        fe->rst = true;
        fe->after[fe->n_after++] = (tlsa_event_t){ .kind = TLSA_EV_RST, .cipher = -1 };
    }
}
