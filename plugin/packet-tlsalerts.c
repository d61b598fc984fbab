/* packet-tlsalerts.c — the TLS alert companion: a post-dissector that reads
 * every alert of a frame once, keeps it with the frame, shows it in a
 * "TLS Alert Analysis" subtree and queues it on the "tlsalerts" tap.
 *
 * Shape: extract (alert_extract.c) -> decide (alert_group.c, pure) -> present
 * (tree items here, tap listeners in stats/).
 *
 * Why per-frame storage: Wireshark fills the wanted fields only while it
 * builds a tree on a frame's first pass. The second pass of `tshark -2` gives
 * a post-dissector no tree, and a GUI retap (opening a statistics dialog,
 * changing its filter) does not fill the fields. So alerts are extracted once,
 * on the first pass, kept as file-scoped per-frame data, and queued again from
 * there on every later pass. Counting happens only in tap listeners.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <wsutil/str_util.h>

#include "alert_catalog.h"
#include "alert_extract.h"
#include "alert_group.h"
#include "alert_record.h"
#include "packet-tlsalerts.h"
#include "ws_compat.h"

typedef struct {
    guint count;
    tlsa_alert_t alerts[];
} frame_alerts_t;

static int proto_tlsalerts = -1;
static int tap_tlsalerts = -1;
static dissector_handle_t tlsalerts_handle;

static int hf_alert = -1;
static int hf_protocol = -1;
static int hf_level = -1;
static int hf_description = -1;
static int hf_group = -1;
static int hf_failure = -1;
static int hf_encrypted = -1;

static gint ett_tlsalerts = -1;
static gint ett_alert = -1;

static void format_level(gchar *label, guint32 value)
{
    g_strlcpy(label, tlsa_level_name(value), ITEM_LABEL_LENGTH);
}

static void format_description(gchar *label, guint32 value)
{
    g_strlcpy(label, tlsa_alert_label(value), ITEM_LABEL_LENGTH);
}

static frame_alerts_t *extract_once(proto_tree *tree, packet_info *pinfo)
{
    guint upper = tlsa_extract_count(tree);
    if (upper == 0)
        return NULL;
    frame_alerts_t *fa = (frame_alerts_t *)wmem_alloc(wmem_file_scope(),
        sizeof(frame_alerts_t) + upper * sizeof(tlsa_alert_t));
    fa->count = tlsa_extract_frame(tree, pinfo, fa->alerts, upper);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_tlsalerts, 0, fa);
    return fa;
}

static void add_alert_items(proto_tree *tree, tvbuff_t *tvb, const tlsa_alert_t *alert)
{
    proto_item *ti = proto_tree_add_item(tree, hf_alert, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *at = proto_item_add_subtree(ti, ett_alert);
    const char *protocol = tlsa_protocol_name(alert->protocol);

    proto_item_set_generated(proto_tree_add_string(at, hf_protocol, tvb, 0, 0, protocol));
    if (tlsa_alert_is_encrypted(alert)) {
        proto_item_append_text(ti, ": %s, encrypted (description not visible)", tlsa_protocol_label(alert->protocol));
        proto_item_set_generated(proto_tree_add_boolean(at, hf_encrypted, tvb, 0, 0, TRUE));
        return;
    }
    tlsa_group_t group = tlsa_group_of(alert->description);
    gboolean failure = tlsa_is_failure(alert->description);
    proto_item_append_text(ti, ": %s %s %s, %s", tlsa_protocol_label(alert->protocol),
                           tlsa_level_name(alert->level), tlsa_alert_label(alert->description),
                           failure ? tlsa_group_name(group) : "not a failure");
    proto_item_set_generated(proto_tree_add_uint(at, hf_level, tvb, 0, 0, alert->level));
    proto_item_set_generated(proto_tree_add_uint(at, hf_description, tvb, 0, 0, alert->description));
    proto_item_set_generated(proto_tree_add_string(at, hf_group, tvb, 0, 0, tlsa_group_name(group)));
    proto_item_set_generated(proto_tree_add_boolean(at, hf_failure, tvb, 0, 0, failure));
    proto_item_set_generated(proto_tree_add_boolean(at, hf_encrypted, tvb, 0, 0, FALSE));
}

static int dissect_tlsalerts(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_alerts_t *fa;

    if (!PINFO_FD_VISITED(pinfo))
        fa = extract_once(tree, pinfo);
    else
        fa = (frame_alerts_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_tlsalerts, 0);
    if (!fa || fa->count == 0)
        return 0;

    for (guint i = 0; i < fa->count; i++)
        tap_queue_packet(tap_tlsalerts, pinfo, &fa->alerts[i]);

    if (tree) {
        proto_item *ti = proto_tree_add_item(tree, proto_tlsalerts, tvb, 0, 0, ENC_NA);
        proto_item_append_text(ti, ": %u alert%s", fa->count, plurality(fa->count, "", "s"));
        proto_tree *tt = proto_item_add_subtree(ti, ett_tlsalerts);
        for (guint i = 0; i < fa->count; i++)
            add_alert_items(tt, tvb, &fa->alerts[i]);
    }
    return 0;
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
        { &hf_encrypted,
          { "Encrypted", "tlsalerts.encrypted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The alert is encrypted and its description not visible (no key)", HFILL } },
    };
    static gint *ett[] = { &ett_tlsalerts, &ett_alert };

    proto_tlsalerts = proto_register_protocol("TLS Alert Analysis", "TLS Alerts", "tlsalerts");
    proto_register_field_array(proto_tlsalerts, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    tap_tlsalerts = register_tap(TLSA_TAP_NAME);
    tlsalerts_handle = register_dissector("tlsalerts", dissect_tlsalerts, proto_tlsalerts);
}

void proto_reg_handoff_tlsalerts(void)
{
    register_postdissector(tlsalerts_handle);
    set_postdissector_wanted_hfids(tlsalerts_handle, tlsa_extract_init());
}
