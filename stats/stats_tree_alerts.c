/* stats_tree_alerts.c — Statistics > TLS Alerts > Alert counts, and
 * `tshark -z tlsalerts,tree[,filter]`.
 *
 *   Alerts                         every alert
 *     TLS / DTLS / QUIC            by protocol
 *       fatal / warning / ...      by level ("encrypted" when not visible)
 *         unknown_ca (48)          by description
 *   Failures                       every alert but close_notify/user_canceled
 *     pki / negotiation / ...      by group
 *       unknown_ca (48)            by description
 *   Encrypted                      description not visible (no key)
 *     TLS / DTLS                   by protocol
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet_info.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "../plugin/alert_catalog.h"
#include "../plugin/alert_group.h"
#include "../plugin/alert_record.h"
#include "../plugin/ws_compat.h"
#include "stats_register.h"

static const char node_alerts[] = "Alerts";
static const char node_failures[] = "Failures";
static const char node_encrypted[] = "Encrypted";
static const char level_encrypted[] = "encrypted";

static int st_alerts = -1;
static int st_failures = -1;
static int st_encrypted = -1;

static void alerts_tree_init(stats_tree *st)
{
    st_alerts = stats_tree_create_node(st, node_alerts, 0, STAT_DT_INT, TRUE);
    st_failures = stats_tree_create_node(st, node_failures, 0, STAT_DT_INT, TRUE);
    st_encrypted = stats_tree_create_node(st, node_encrypted, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status alerts_tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                            epan_dissect_t *edt _U_, const void *data,
                                            tap_flags_t flags _U_)
{
    const tlsa_alert_t *alert = (const tlsa_alert_t *)data;
    const char *protocol = tlsa_protocol_label(alert->protocol);

    tick_stat_node(st, node_alerts, 0, TRUE);
    int by_protocol = tick_stat_node(st, protocol, st_alerts, TRUE);

    if (tlsa_alert_is_encrypted(alert)) {
        tick_stat_node(st, level_encrypted, by_protocol, FALSE);
        tick_stat_node(st, node_encrypted, 0, TRUE);
        tick_stat_node(st, protocol, st_encrypted, FALSE);
        return TAP_PACKET_REDRAW;
    }

    int by_level = tick_stat_node(st, tlsa_level_name(alert->level), by_protocol, TRUE);
    tick_stat_node(st, tlsa_alert_label(alert->description), by_level, FALSE);

    if (tlsa_is_failure(alert->description)) {
        tick_stat_node(st, node_failures, 0, TRUE);
        int by_group = tick_stat_node(st, tlsa_group_name(tlsa_group_of(alert->description)), st_failures, TRUE);
        tick_stat_node(st, tlsa_alert_label(alert->description), by_group, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void tlsa_register_stats_tree(void)
{
    stats_tree_register_plugin(TLSA_TAP_NAME, "tlsalerts", "TLS Alerts" TLSA_MENU_SEP "Alert counts",
                               TL_REQUIRES_PROTO_TREE, alerts_tree_packet, alerts_tree_init, NULL);
}
