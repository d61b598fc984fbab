/* stats_tree_alerts.c — Statistics > TLS Alerts > Alert Counts, and
 * `tshark -z tlsalerts,tree[,filter]`.
 *
 *   Alerts                         every alert
 *     TLS / DTLS / QUIC            by protocol
 *       fatal / warning / ...      by level ("encrypted" when not visible)
 *         unknown_ca (48)          by description
 *   Failure alerts                 every alert but close_notify/user_canceled
 *     pki / negotiation / ...      by group
 *       unknown_ca (48)            by description
 *   Encrypted alerts               description not visible (no key)
 *     TLS / DTLS                   by protocol
 *   Failure alerts by sender       who sent the failure alerts
 *     client / server              (the client sent the ClientHello)
 *       unknown_ca (48)            by description
 *   Handshakes                     conversations seen, but those with no_handshake_seen
 *     established / alert_by_client / ...   by outcome
 *   Failed handshakes              alert, likely rejection, abort after ClientHello:
 *                                  the figure to set beside ClientTLSNegotiationErrorCount
 *   Failed handshakes by cause     by likely-cause rule (README "Likely cause")
 *   No handshake seen              conversations without a captured SYN or handshake
 *                                  message (alert-only or mid-connection capture)
 *   Not decoded as TLS             only when seen: ClientHellos on which no TLS
 *     -d tcp.port==80,tls          dissector ran, by the option that decodes them
 *
 * Outcomes are final only once a conversation's last frame is seen, so the
 * companion queues a record each time a conversation's outcome changes and
 * this tree moves the count from the old outcome to the new one: one-pass,
 * two-pass and retaps end with the same numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet_info.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "alert_catalog.h"
#include "conversation.h"
#include "alert_group.h"
#include "handshake_tracker.h"
#include "likely_cause.h"
#include "tap_record.h"
#include "undecoded_tls.h"
#include "ws_compat.h"
#include "stats_register.h"

static const char node_alerts[] = "Alerts";
static const char node_failures[] = "Failure alerts";
static const char node_encrypted[] = "Encrypted alerts";
static const char level_encrypted[] = "encrypted";
static const char node_by_sender[] = "Failure alerts by sender";
static const char node_handshakes[] = "Handshakes";
static const char node_failed[] = "Failed handshakes";
static const char node_by_cause[] = "Failed handshakes by cause";
static const char node_no_handshake[] = "No handshake seen";
/* Made only when a ClientHello was not decoded as TLS; its children are the
 * -d options that decode them (core/undecoded_tls.h). */
static const char node_undecoded[] = "Not decoded as TLS";
static const char node_undecoded_other[] = "other ports";

static int st_alerts = -1;
static int st_failures = -1;
static int st_encrypted = -1;
static int st_by_sender = -1;
static int st_handshakes = -1;
static int st_by_cause = -1;

static void alerts_tree_init(stats_tree *st)
{
    st_alerts = stats_tree_create_node(st, node_alerts, 0, STAT_DT_INT, TRUE);
    st_failures = stats_tree_create_node(st, node_failures, 0, STAT_DT_INT, TRUE);
    st_encrypted = stats_tree_create_node(st, node_encrypted, 0, STAT_DT_INT, TRUE);
    st_by_sender = stats_tree_create_node(st, node_by_sender, 0, STAT_DT_INT, TRUE);
    st_handshakes = stats_tree_create_node(st, node_handshakes, 0, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, node_failed, 0, STAT_DT_INT, FALSE);
    st_by_cause = stats_tree_create_node(st, node_by_cause, 0, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, node_no_handshake, 0, STAT_DT_INT, FALSE);
    /* The GUI sorts each level (by name unless the user picks a column); keep
     * the overall count on top. */
    stat_node_set_flags(st, node_alerts, 0, FALSE, ST_FLG_SORT_TOP);
}

/* A conversation enters the tree under its first outcome and moves with it;
 * one without a handshake is counted apart, not as a handshake. */
static void count_outcome(stats_tree *st, tlsa_outcome_t outcome, int delta)
{
    if (!tlsa_outcome_is_handshake(outcome)) {
        increase_stat_node(st, node_no_handshake, 0, FALSE, delta);
        return;
    }
    increase_stat_node(st, node_handshakes, 0, TRUE, delta);
    increase_stat_node(st, tlsa_outcome_name(outcome), st_handshakes, FALSE, delta);
    if (tlsa_outcome_is_failure(outcome))
        increase_stat_node(st, node_failed, 0, FALSE, delta);
}

static void outcome_change(stats_tree *st, const tlsa_record_t *rec)
{
    /* The likely cause moves with the outcome (core/likely_cause.c rule ids). */
    unsigned n_rules;
    const tlsa_cause_rule_t *rules = tlsa_cause_rules(&n_rules);
    if (rec->cause_from != rec->cause_to && rec->cause_from && rec->cause_from <= n_rules) {
        increase_stat_node(st, rules[rec->cause_from - 1].id, st_by_cause, FALSE, -1);
        increase_stat_node(st, node_by_cause, 0, FALSE, -1);
    }
    if (rec->cause_from != rec->cause_to && rec->cause_to && rec->cause_to <= n_rules) {
        tick_stat_node(st, node_by_cause, 0, TRUE);
        tick_stat_node(st, rules[rec->cause_to - 1].id, st_by_cause, FALSE);
    }
    if (rec->kind == TLSA_REC_OUTCOME && rec->outcome_from == rec->outcome_to)
        return;
    if (rec->outcome_from < TLSA_OUTCOME_COUNT)
        count_outcome(st, (tlsa_outcome_t)rec->outcome_from, -1);
    count_outcome(st, (tlsa_outcome_t)rec->outcome_to, 1);
}

/* Adds n to a node (and its parents with with_children), as n ticks would:
 * one record may stand for a run of identical alerts (tap_record.h). */
static int add_n(stats_tree *st, const char *name, int parent, gboolean with_children, uint64_t n)
{
    int id = -1;
    do {
        int step = n > G_MAXINT ? G_MAXINT : (int)n;
        id = increase_stat_node(st, name, parent, with_children, step);
        n -= (uint64_t)step;
    } while (n > 0);
    return id;
}

static void count_alert(stats_tree *st, const tlsa_record_t *alert)
{
    const char *protocol = tlsa_protocol_label(alert->protocol);
    uint64_t n = tlsa_record_alerts(alert);

    add_n(st, node_alerts, 0, TRUE, n);
    int by_protocol = add_n(st, protocol, st_alerts, TRUE, n);

    if (tlsa_alert_is_encrypted(alert)) {
        add_n(st, level_encrypted, by_protocol, FALSE, n);
        add_n(st, node_encrypted, 0, TRUE, n);
        add_n(st, protocol, st_encrypted, FALSE, n);
        return;
    }

    int by_level = add_n(st, tlsa_level_name(alert->level), by_protocol, TRUE, n);
    add_n(st, tlsa_alert_label(alert->description), by_level, FALSE, n);

    if (tlsa_is_failure(alert->description)) {
        add_n(st, node_failures, 0, TRUE, n);
        int by_group = add_n(st, tlsa_group_name(tlsa_group_of(alert->description)), st_failures, TRUE, n);
        add_n(st, tlsa_alert_label(alert->description), by_group, FALSE, n);
        add_n(st, node_by_sender, 0, TRUE, n);
        int by_sender = add_n(st, tlsa_sender_name((tlsa_sender_t)alert->sender), st_by_sender, TRUE, n);
        add_n(st, tlsa_alert_label(alert->description), by_sender, FALSE, n);
    }
}

static void count_undecoded(stats_tree *st, const tlsa_record_t *rec)
{
    int parent = tick_stat_node(st, node_undecoded, 0, TRUE);
    if (!rec->port) {
        tick_stat_node(st, node_undecoded_other, parent, FALSE);
        return;
    }
    GString *name = g_string_new("-d ");
    tlsa_undecoded_decode_as(rec->port, name);
    tick_stat_node(st, name->str, parent, FALSE);
    g_string_free(name, TRUE);
}

static tap_packet_status alerts_tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                            epan_dissect_t *edt _U_, const void *data,
                                            tap_flags_t flags _U_)
{
    const tlsa_tap_frame_t *frame = (const tlsa_tap_frame_t *)data;
    for (guint32 i = 0; i < frame->count; i++) {
        const tlsa_record_t *rec = &frame->records[i];
        if (!tlsa_record_counts(rec))
            continue;
        if (rec->kind == TLSA_REC_ALERT) {
            count_alert(st, rec);
        } else if (rec->kind == TLSA_REC_UNDECODED_TLS) {
            count_undecoded(st, rec);
        } else if (rec->flags & TLSA_REC_FOLDED) {
            /* A folded conversation (conv_bound.h) enters once, at its first
             * record, under the final outcome and cause its stand-in holds. */
            if (rec->flags & TLSA_REC_FOLDED_FIRST) {
                tlsa_record_t whole = *rec;
                whole.outcome_from = (uint8_t)TLSA_OUTCOME_COUNT;
                whole.outcome_to = rec->conv->outcome;
                whole.cause_from = 0;
                whole.cause_to = rec->conv->cause;
                outcome_change(st, &whole);
            }
        } else {
            outcome_change(st, rec);
        }
    }
    return TAP_PACKET_REDRAW;
}

void tlsa_register_stats_tree(void)
{
    stats_tree_register_plugin(TLSA_TAP_NAME, "tlsalerts", "TLS Alerts" TLSA_MENU_SEP "Alert Counts",
                               TL_REQUIRES_PROTO_TREE, alerts_tree_packet, alerts_tree_init, NULL);
}
