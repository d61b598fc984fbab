/* alert_extract.h — reads the alert fields that TLS, DTLS and QUIC put in a
 * frame's protocol tree, and turns them into tlsa_alert_t records.
 *
 * Wireshark glue: the only file that knows Wireshark's field names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_EXTRACT_H
#define TLSALERTS_ALERT_EXTRACT_H

#include <epan/packet.h>

#include "alert_record.h"

/* Looks the fields up by name (after all protocols registered). A field that
 * the running Wireshark lacks is skipped. Returns the hf ids to hand to
 * set_postdissector_wanted_hfids(); the caller owns the array. */
GArray *tlsa_extract_init(void);

/* Upper bound of the alerts tlsa_extract_frame() can find in this tree. */
unsigned tlsa_extract_count(proto_tree *tree);

/* Fills up to max records, in tree order per protocol; returns how many. */
unsigned tlsa_extract_frame(proto_tree *tree, const packet_info *pinfo,
                            tlsa_alert_t *out, unsigned max);

#endif
