/* alert_extract.h — the alerts in a frame's protocol tree, as tap records.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_EXTRACT_H
#define TLSALERTS_ALERT_EXTRACT_H

#include <epan/packet.h>

#include "frame_decision.h"

/* Upper bound of the alerts tlsa_extract_alerts() can find in this tree. */
guint tlsa_count_alerts(proto_tree *tree);

/* Fills up to max alerts, in tree order per protocol; returns how many. */
guint tlsa_extract_alerts(proto_tree *tree, const packet_info *pinfo, tlsa_frame_alert_t *out, guint max);

#endif
