/* packet-tlsalerts.c — the TLS alert companion: a post-dissector that reads
 * each frame's alerts and handshake messages once, tracks every TLS/DTLS/QUIC
 * conversation, keeps the result with the frame, shows it in a
 * "TLS Alert Analysis" subtree with expert infos, and queues it on the
 * "tlsalerts" tap.
 *
 * Shape: extract (alert_extract.c, frame_events.c) -> decide (core/:
 * frame_decision.c, handshake_tracker.c, alert_group.c, all pure) -> present
 * (tree items and expert infos here, tap listeners in stats/).
 *
 * Why per-frame storage: Wireshark fills the wanted fields only while it
 * builds a tree on a frame's first pass. The second pass of `tshark -2` gives
 * a post-dissector no tree, and a GUI retap (opening a statistics dialog,
 * changing its filter) does not fill the fields. So frames are analysed once,
 * on the first pass, the records kept in a record store (record_store.c,
 * emptied when a file is closed), and queued again from there on every later
 * pass. Counting happens only in tap listeners, so one-pass, two-pass and
 * retaps count the same.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wsutil/str_util.h>

#include "alert_catalog.h"
#include "alert_extract.h"
#include "alert_group.h"
#include "conv_bound.h"
#include "conversation_table.h"
#include "frame_events.h"
#include "frame_fields.h"
#include "packet-tlsalerts.h"
#include "conv_policy.h"
#include "policy_glue.h"
#include "record_store.h"
#include "tap_record.h"
#include "undecoded_tls.h"

/* One frame's records: the first pass's scratch records (valid until the
 * next frame is analysed) or the record store's decoded copy (valid until its
 * next lookup). Either outlives the frame's dissection and its tap listeners,
 * which Wireshark runs before it dissects another frame. */
typedef struct {
    guint count;
    const tlsa_record_t *records;
} frame_records_t;

/* The records of every frame analysed on the first pass, for later passes. */
static tlsa_record_store_t *record_store;

static void records_init(void)
{
    tlsa_record_store_free(record_store);
    record_store = tlsa_record_store_new();
}

static void records_cleanup(void)
{
    tlsa_record_store_free(record_store);
    record_store = NULL;
}

static gboolean records_find(packet_info *pinfo, frame_records_t *fr)
{
    fr->count = record_store ? tlsa_record_store_find(record_store, pinfo->num, &fr->records) : 0;
    return fr->count > 0;
}

static int proto_tlsalerts = -1;
static int tap_tlsalerts = -1;
static dissector_handle_t tlsalerts_handle;
static dissector_handle_t tls_handle;
static dissector_table_t tcp_port_table;

static int hf_alert = -1;
static int hf_protocol = -1;
static int hf_level = -1;
static int hf_description = -1;
static int hf_group = -1;
static int hf_failure = -1;
static int hf_sender = -1;
static int hf_encrypted = -1;
static int hf_duplicate = -1;
static int hf_stage = -1;
static int hf_outcome = -1;
static int hf_conversation = -1;
static int hf_handshake = -1;
static int hf_undecoded = -1;
static int hf_undecoded_port = -1;
static int hf_undecoded_decode_as = -1;

static gint ett_tlsalerts = -1;
static gint ett_alert = -1;
static gint ett_handshake = -1;
static gint ett_undecoded = -1;

static expert_field ei_failure_alert = EI_INIT;
static expert_field ei_encrypted_alert = EI_INIT;
static expert_field ei_aborted = EI_INIT;
static expert_field ei_rejected = EI_INIT;
static expert_field ei_undecoded = EI_INIT;

/* The ports of this file's ClientHellos not decoded as TLS: the first
 * TLSA_UNDECODED_PORTS keep their number in the records, later ones say 0,
 * so no listener holds more than that many (a hostile capture can send
 * ClientHellos to every port). */
static tlsa_undecoded_t file_undecoded;

static void undecoded_init(void)
{
    tlsa_undecoded_reset(&file_undecoded);
}

/* Scratch space for one frame's first-pass analysis, grown as needed (a
 * reassembled or offloaded segment can carry hundreds of alert records). */
static tlsa_frame_t scratch_frame;
static tlsa_frame_alert_t *scratch_alerts;
static tlsa_record_t *scratch_records;
static guint scratch_capacity;

static void ensure_scratch(guint alerts)
{
    if (alerts <= scratch_capacity)
        return;
    scratch_capacity = MAX(alerts, 2 * scratch_capacity);
    scratch_alerts = (tlsa_frame_alert_t *)g_realloc(scratch_alerts, scratch_capacity * sizeof *scratch_alerts);
    scratch_records = (tlsa_record_t *)g_realloc(scratch_records, (scratch_capacity + 1) * sizeof *scratch_records);
}

static void format_level(gchar *label, guint32 value)
{
    g_strlcpy(label, tlsa_level_name(value), ITEM_LABEL_LENGTH);
}

static void format_description(gchar *label, guint32 value)
{
    g_strlcpy(label, tlsa_alert_label(value), ITEM_LABEL_LENGTH);
}

static gboolean is_tls_port(guint32 port)
{
    return tcp_port_table && tls_handle && dissector_get_uint_handle(tcp_port_table, port) == tls_handle;
}

static void keep_records(packet_info *pinfo, const tlsa_record_t *records, guint n)
{
    if (!record_store)
        records_init();
    tlsa_record_store_add(record_store, pinfo->num, records, n);
}

/* A TCP segment whose payload starts with a TLS ClientHello record on which
 * no TLS dissector ran (core/undecoded_tls.h), tested on frames without
 * records of their own. A frame where TLS dissected a record and a test on the
 * first bytes come first: they are all that most frames cost. A retransmission is the same
 * ClientHello again. A ClientHello that TLS reassembles over segments has TLS
 * among its first segment's layers already. */
#define TLS_RECORD_FIELDS (TLSA_FIELD_BIT(TF_TLS_CONTENT_TYPE) | TLSA_FIELD_BIT(TF_TLS_OPAQUE_TYPE) | \
                           TLSA_FIELD_BIT(TF_TLS_ALERT) | TLSA_FIELD_BIT(TF_TLS_HS_TYPE))

static gboolean undecoded_client_hello(proto_tree *tree, packet_info *pinfo)
{
    if (tlsa_fields_present() & TLS_RECORD_FIELDS)
        return FALSE; /* TLS dissected a record here */
    guint len = 0;
    const guint8 *start = tlsa_tcp_payload_start(tree, 11, &len);
    return start && start[0] == 22 && tlsa_looks_like_client_hello(start, len) &&
           !(tlsa_fields_present() & TLSA_FIELD_BIT(TF_TCP_RETRANSMISSION)) &&
           !proto_is_frame_protocol(pinfo->layers, "tls");
}

static void keep_undecoded(packet_info *pinfo, frame_records_t *fr)
{
    tlsa_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.frame = pinfo->num;
    rec.kind = TLSA_REC_UNDECODED_TLS;
    rec.protocol = TLSA_PROTO_TLS;
    rec.sender = TLSA_SENDER_CLIENT;
    guint16 port = (guint16)pinfo->destport;
    rec.port = tlsa_undecoded_add(&file_undecoded, port) ? port : 0;
    keep_records(pinfo, &rec, 1);
    records_find(pinfo, fr);
}

/* tlsalerts.provisional_limit: how many conversations that saw only TCP's
 * handshake and closes are kept (conv_bound.h); 0: all. */
static guint provisional_limit = TLSA_PROVISIONAL_LIMIT_DEFAULT;

/* Folds the oldest provisional conversations beyond the limit: the listeners
 * drop them (counting them as not listed individually), their stored records
 * point to a stand-in from now on, and they are freed. A frame makes at most
 * one conversation, so this folds at most one per frame. The frame's own n
 * records, which its listeners have yet to see, are folded as the store
 * folds its copy: the conversation folded may be the frame's own. */
static void fold_over_limit(tlsa_record_t *records, guint n)
{
    tlsa_conv_t *conv;
    while ((conv = tlsa_conv_table_over_limit(provisional_limit)) != NULL) {
        const tlsa_conv_t *stand_in = tlsa_conv_table_stand_in(conv);
        tlsa_fold_notify(conv);
        if (record_store)
            tlsa_record_store_fold(record_store, conv, stand_in);
        for (guint i = 0; i < n; i++)
            if (records[i].conv == conv)
                tlsa_record_fold(&records[i], stand_in);
        tlsa_conv_table_forget(conv);
    }
}

/* Extracts the frame's events and alerts, finds its conversation and lets the
 * core decide its records (frame_decision.c). */
static gboolean analyse_indexed(proto_tree *tree, packet_info *pinfo, frame_records_t *fr)
{
    /* Most frames hold nothing the tracker reads (ACKs, bulk data, other
     * protocols): leave them before any extraction. */
    guint16 tcp_flags = 0;
    guint32 tcp_seq;
    if (!tlsa_fields_beyond_transport() && !(tlsa_tcp_header(tree, &tcp_flags, &tcp_seq) && (tcp_flags & (TLSA_TCP_SYN | TLSA_TCP_FIN | TLSA_TCP_RST))))
        return FALSE;

    tlsa_frame_t *frame = &scratch_frame;
    tlsa_frame_events(tree, frame);
    ensure_scratch(MAX(tlsa_count_alerts(tree), 16));
    frame->alerts = scratch_alerts;
    frame->n_alerts = tlsa_extract_alerts(tree, pinfo, scratch_alerts, scratch_capacity);
    if (!tlsa_frame_is_relevant(frame))
        return FALSE;
    frame->frame = pinfo->num;
    frame->time_sec = (int64_t)pinfo->abs_ts.secs;
    frame->time_nsec = (int32_t)pinfo->abs_ts.nsecs;

    /* The port lookup only matters for a SYN: skip it otherwise. */
    gboolean create = tlsa_frame_starts_conversation(frame, frame->syn && is_tls_port(pinfo->destport));
    tlsa_side_t side = TLSA_SIDE_A;
    tlsa_conv_t *conv = tlsa_conv_table_find(pinfo, tree, create, frame->protocol, &side);
    guint n = tlsa_decide_frame(conv, side, frame, tlsa_conv_table_env(), scratch_records);
    if (conv) {
        tlsa_policy_remember_hello(conv, tree);
        tlsa_conv_table_decided(conv, pinfo->num, tlsa_frame_is_bare_tcp(frame));
    }
    if (n == 0)
        return FALSE;
    keep_records(pinfo, scratch_records, n);
    fold_over_limit(scratch_records, n);
    fr->records = scratch_records;
    fr->count = n;
    return TRUE;
}

/* First pass: analyses the frame, keeps its records; FALSE if it has none. */
static gboolean analyse_once(proto_tree *tree, packet_info *pinfo, frame_records_t *fr)
{
    if (!tree)
        return FALSE;
    tlsa_fields_begin_frame(tree);
    gboolean found = analyse_indexed(tree, pinfo, fr);
    /* A frame with records belongs to a tracked conversation, so it is TLS to
     * tlsalerts; so is one of a conversation already tracked (Wireshark 4.4
     * leaves TLS out of the layers of a ClientHello's first segment when the
     * rest never comes, on a port it hands to TLS). */
    tlsa_side_t side;
    if (!found && undecoded_client_hello(tree, pinfo) &&
        !tlsa_conv_table_find(pinfo, tree, FALSE, TLSA_PROTO_TLS, &side)) {
        keep_undecoded(pinfo, fr);
        found = TRUE;
    }
    tlsa_fields_end_frame();
    return found;
}

static proto_item *add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(pi);
    return pi;
}

static void add_conversation_items(proto_tree *tree, tvbuff_t *tvb, const tlsa_conv_t *conv)
{
    if (!conv) /* none, or folded (tlsa_record_conv) */
        return;
    proto_item_set_generated(proto_tree_add_uint(tree, hf_conversation, tvb, 0, 0, conv->id));
    add_string(tree, hf_outcome, tvb, tlsa_outcome_name(tlsa_conv_outcome(conv)));
    tlsa_policy_add_items(tree, tvb, conv);
}

static void add_alert(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const tlsa_record_t *rec)
{
    proto_item *ti = proto_tree_add_item(tree, hf_alert, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *at = proto_item_add_subtree(ti, ett_alert);
    const char *sender = tlsa_sender_name((tlsa_sender_t)rec->sender);
    gboolean duplicate = (rec->flags & TLSA_ALERT_DUPLICATE) != 0;

    add_string(at, hf_protocol, tvb, tlsa_protocol_name(rec->protocol));
    if (tlsa_alert_is_encrypted(rec)) {
        proto_item_append_text(ti, ": %s, encrypted (description not visible), from %s",
                               tlsa_protocol_label(rec->protocol), sender);
    } else {
        tlsa_group_t group = tlsa_group_of(rec->description);
        gboolean failure = tlsa_is_failure(rec->description);
        proto_item_append_text(ti, ": %s %s %s from %s, %s", tlsa_protocol_label(rec->protocol),
                               tlsa_level_name(rec->level), tlsa_alert_label(rec->description), sender,
                               failure ? tlsa_group_name(group) : "not a failure");
        proto_item_set_generated(proto_tree_add_uint(at, hf_level, tvb, 0, 0, rec->level));
        proto_item_set_generated(proto_tree_add_uint(at, hf_description, tvb, 0, 0, rec->description));
        add_string(at, hf_group, tvb, tlsa_group_name(group));
        proto_item_set_generated(proto_tree_add_boolean(at, hf_failure, tvb, 0, 0, failure));
        if (failure && !duplicate)
            expert_add_info_format(pinfo, ti, &ei_failure_alert, "TLS failure alert from %s: %s %s (%s)",
                                   sender, tlsa_level_name(rec->level), tlsa_alert_label(rec->description),
                                   tlsa_group_name(group));
    }
    if (tlsa_alert_is_encrypted(rec) && !duplicate)
        expert_add_info_format(pinfo, ti, &ei_encrypted_alert,
                               "Encrypted TLS alert from %s: description not visible without a key log", sender);
    add_string(at, hf_sender, tvb, sender);
    add_string(at, hf_stage, tvb, tlsa_stage_name((tlsa_stage_t)rec->stage));
    proto_item_set_generated(proto_tree_add_boolean(at, hf_encrypted, tvb, 0, 0, tlsa_alert_is_encrypted(rec)));
    if (duplicate) {
        proto_item_append_text(ti, " [duplicate, counted once]");
        proto_item_set_generated(proto_tree_add_boolean(at, hf_duplicate, tvb, 0, 0, TRUE));
    }
    add_conversation_items(at, tvb, tlsa_record_conv(rec));
}

/* A conversation whose outcome became an abort or a likely rejection here. */
static gboolean ends_handshake_here(const tlsa_record_t *rec)
{
    if (rec->kind == TLSA_REC_ALERT || (rec->kind == TLSA_REC_OUTCOME && rec->outcome_from == rec->outcome_to))
        return FALSE;
    switch ((tlsa_outcome_t)rec->outcome_to) {
    case TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO:
    case TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT:
    case TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO:
    case TLSA_OUTCOME_CLIENT_REJECTED_LIKELY:
        return TRUE;
    default:
        return FALSE;
    }
}

static void add_handshake_end(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const tlsa_record_t *rec)
{
    proto_item *ti = proto_tree_add_item(tree, hf_handshake, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *ht = proto_item_add_subtree(ti, ett_handshake);
    tlsa_outcome_t outcome = (tlsa_outcome_t)rec->outcome_to;
    proto_item_append_text(ti, ": %s", tlsa_outcome_name(outcome));
    add_string(ht, hf_stage, tvb, tlsa_stage_name((tlsa_stage_t)rec->stage));
    add_conversation_items(ht, tvb, tlsa_record_conv(rec));
    if (outcome == TLSA_OUTCOME_CLIENT_REJECTED_LIKELY)
        expert_add_info_format(pinfo, ti, &ei_rejected,
                               "TLS client likely rejected the server (one encrypted alert right after its handshake messages, then close)");
    else if (outcome != TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO)
        expert_add_info_format(pinfo, ti, &ei_aborted, "TLS handshake %s without an alert",
                               outcome == TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO ?
                               "aborted after the ClientHello" : "aborted after the server's flight");
}

static void add_undecoded(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const tlsa_record_t *rec)
{
    guint16 port = rec->port ? rec->port : (guint16)pinfo->destport;
    GString *decode_as = g_string_new(NULL);
    tlsa_undecoded_decode_as(port, decode_as);
    proto_item *ti = proto_tree_add_item(tree, hf_undecoded, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_item_append_text(ti, ": this TCP payload starts with a TLS ClientHello; decode with -d %s", decode_as->str);
    proto_tree *ut = proto_item_add_subtree(ti, ett_undecoded);
    proto_item_set_generated(proto_tree_add_uint(ut, hf_undecoded_port, tvb, 0, 0, port));
    add_string(ut, hf_undecoded_decode_as, tvb, decode_as->str);
    expert_add_info_format(pinfo, ti, &ei_undecoded,
                           "TLS ClientHello not decoded as TLS: another dissector took TCP port %u, or a STARTTLS "
                           "was not followed; decode it with -d %s (Analyze > Decode As...)", port, decode_as->str);
    g_string_free(decode_as, TRUE);
}

static void present(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const frame_records_t *fr)
{
    guint shown = 0;
    for (guint i = 0; i < fr->count; i++)
        if (fr->records[i].kind == TLSA_REC_ALERT || fr->records[i].kind == TLSA_REC_UNDECODED_TLS ||
            ends_handshake_here(&fr->records[i]))
            shown++;
    if (!shown)
        return;
    proto_item *ti = proto_tree_add_item(tree, proto_tlsalerts, tvb, 0, 0, ENC_NA);
    proto_tree *tt = proto_item_add_subtree(ti, ett_tlsalerts);
    guint64 alerts = 0;
    for (guint i = 0; i < fr->count; i++) {
        const tlsa_record_t *rec = &fr->records[i];
        if (rec->kind == TLSA_REC_ALERT) {
            /* One item per alert, also for a record that stands for a run of
             * identical ones: the tree shows what the frame carries. */
            guint64 n = tlsa_record_alerts(rec);
            alerts += n;
            for (guint64 k = 0; k < n; k++)
                add_alert(tt, tvb, pinfo, rec);
        } else if (rec->kind == TLSA_REC_UNDECODED_TLS) {
            add_undecoded(tt, tvb, pinfo, rec);
        } else if (ends_handshake_here(rec)) {
            add_handshake_end(tt, tvb, pinfo, rec);
        }
    }
    if (alerts)
        proto_item_append_text(ti, ": %" G_GUINT64_FORMAT " alert%s", alerts, plurality(alerts, "", "s"));
}

static int dissect_tlsalerts(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_records_t frs, *fr = &frs;

    if (!PINFO_FD_VISITED(pinfo))
        tlsa_conv_table_frame(pinfo);
    if (!PINFO_FD_VISITED(pinfo) ? !analyse_once(tree, pinfo, fr) : !records_find(pinfo, fr))
        return 0;

    /* One tap entry per frame, holding all its records (see tap_record.h). */
    for (guint i = 0; i < fr->count; i++) {
        if (tlsa_record_counts(&fr->records[i])) {
            tlsa_tap_frame_t *tf = wmem_new(pinfo->pool, tlsa_tap_frame_t);
            tf->count = fr->count;
            tf->records = fr->records;
            tap_queue_packet(tap_tlsalerts, pinfo, tf);
            break;
        }
    }

    if (tree)
        present(tree, tvb, pinfo, fr);
    return 0;
}

/* The wanted fields make Wireshark build a protocol tree for every frame,
 * which is most of the plugin's cost. Want none while the protocol is
 * disabled (--disable-protocol tlsalerts, Analyze > Enabled Protocols), so
 * it then costs nothing, and the ClientHello's offered suites and groups
 * only while a security policy is set (a policy change redissects); checked
 * whenever a file is (re)dissected. */
static gboolean fields_known;

static void want_fields_if_enabled(void)
{
    gboolean enabled = proto_is_protocol_enabled(find_protocol_by_id(proto_tlsalerts));
    GArray *wanted = enabled && fields_known ? tlsa_fields_wanted(tlsa_policy_active() != NULL) : NULL;
    set_postdissector_wanted_hfids(tlsalerts_handle, wanted);
}

void proto_register_tlsalerts(void)
{
    static hf_register_info hf[] = {
        { &hf_alert,
          { "Alert", "tlsalerts.alert", FT_NONE, BASE_NONE, NULL, 0x0,
            "One TLS, DTLS or QUIC alert carried by this frame", HFILL } },
        { &hf_protocol,
          { "Protocol", "tlsalerts.protocol", FT_STRING, BASE_NONE, NULL, 0x0,
            "Protocol that carried the alert: tls, dtls or quic", HFILL } },
        { &hf_level,
          { "Level", "tlsalerts.level", FT_UINT8, BASE_CUSTOM, CF_FUNC(format_level), 0x0,
            "Alert level: 1 warning, 2 fatal", HFILL } },
        { &hf_description,
          { "Description", "tlsalerts.description", FT_UINT8, BASE_CUSTOM, CF_FUNC(format_description), 0x0,
            "Alert description code (IANA TLS Alerts registry)", HFILL } },
        { &hf_group,
          { "Group", "tlsalerts.group", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the alert points at: graceful, negotiation, pki, hardware, protocol, unknown", HFILL } },
        { &hf_failure,
          { "Failure", "tlsalerts.failure", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Every alert except close_notify and user_canceled", HFILL } },
        { &hf_sender,
          { "Sender", "tlsalerts.sender", FT_STRING, BASE_NONE, NULL, 0x0,
            "Who sent the alert: client (the ClientHello sender), server, or unknown", HFILL } },
        { &hf_encrypted,
          { "Encrypted", "tlsalerts.encrypted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The alert is encrypted and its description not visible (no key)", HFILL } },
        { &hf_duplicate,
          { "Duplicate", "tlsalerts.duplicate", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The same alert record was seen before (retransmission or mirror duplicate); counted once", HFILL } },
        { &hf_stage,
          { "Stage", "tlsalerts.stage", FT_STRING, BASE_NONE, NULL, 0x0,
            "Handshake stage reached: before_client_hello, after_client_hello, after_server_flight, established", HFILL } },
        { &hf_outcome,
          { "Outcome", "tlsalerts.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
            "How the conversation's handshake ended (as far as known when the frame was shown)", HFILL } },
        { &hf_conversation,
          { "Conversation", "tlsalerts.conversation", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Number of the TLS/DTLS/QUIC conversation in the tlsalerts reports", HFILL } },
        { &hf_handshake,
          { "Handshake", "tlsalerts.handshake", FT_NONE, BASE_NONE, NULL, 0x0,
            "The handshake of this conversation ended here without an alert", HFILL } },
        { &hf_undecoded,
          { "Not decoded as TLS", "tlsalerts.undecoded", FT_NONE, BASE_NONE, NULL, 0x0,
            "This TCP payload starts with a TLS ClientHello record, but no TLS dissector ran on it", HFILL } },
        { &hf_undecoded_port,
          { "Port", "tlsalerts.undecoded.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "TCP port the ClientHello was sent to", HFILL } },
        { &hf_undecoded_decode_as,
          { "Decode As", "tlsalerts.undecoded.decode_as", FT_STRING, BASE_NONE, NULL, 0x0,
            "What to give tshark's -d (or Analyze > Decode As) to decode it as TLS", HFILL } },
    };
    static gint *ett[] = { &ett_tlsalerts, &ett_alert, &ett_handshake, &ett_undecoded };
    static ei_register_info ei[] = {
        { &ei_failure_alert, { "tlsalerts.failure_alert", PI_RESPONSE_CODE, PI_WARN,
            "TLS failure alert", EXPFILL } },
        { &ei_encrypted_alert, { "tlsalerts.encrypted_alert", PI_RESPONSE_CODE, PI_NOTE,
            "Encrypted TLS alert", EXPFILL } },
        { &ei_aborted, { "tlsalerts.aborted", PI_SEQUENCE, PI_NOTE,
            "TLS handshake aborted without an alert", EXPFILL } },
        { &ei_rejected, { "tlsalerts.client_rejected_likely", PI_SEQUENCE, PI_NOTE,
            "TLS client likely rejected the server", EXPFILL } },
        { &ei_undecoded, { "tlsalerts.undecoded_tls", PI_UNDECODED, PI_WARN,
            "TLS ClientHello not decoded as TLS", EXPFILL } },
    };

    proto_tlsalerts = proto_register_protocol("TLS Alert Analysis", "TLS Alerts", "tlsalerts");
    proto_register_field_array(proto_tlsalerts, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_tlsalerts), ei, array_length(ei));
    module_t *module = tlsa_policy_register(proto_tlsalerts);
    prefs_register_uint_preference(module, "provisional_limit", "Provisional conversations kept",
        "How many conversations that saw nothing but TCP's handshake and closes (bare SYNs to a TLS port: "
        "probes, scans, SYN floods) are kept individually; beyond it the oldest are counted without being "
        "listed. 0: no limit", 10, &provisional_limit);
    tap_tlsalerts = register_tap(TLSA_TAP_NAME);
    tlsalerts_handle = register_dissector("tlsalerts", dissect_tlsalerts, proto_tlsalerts);
    register_init_routine(tlsa_conv_table_init);
    register_init_routine(records_init);
    register_init_routine(undecoded_init);
    register_init_routine(want_fields_if_enabled);
    register_cleanup_routine(records_cleanup);
    register_cleanup_routine(tlsa_conv_table_cleanup);
    register_shutdown_routine(tlsa_conv_table_shutdown);
}

void proto_reg_handoff_tlsalerts(void)
{
    register_postdissector(tlsalerts_handle);
    tlsa_fields_init();
    fields_known = TRUE;
    want_fields_if_enabled();
    tls_handle = find_dissector("tls");
    tcp_port_table = find_dissector_table("tcp.port");
}
