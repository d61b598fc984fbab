/* report_timeline.h — the per-minute timeline, also as part of the JSON report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_REPORT_TIMELINE_H
#define TLSALERTS_REPORT_TIMELINE_H

#include <wsutil/json_dumper.h>

#include "report_listener.h"

/* Writes the member "timeline": [ {minute, vni, outer_src, handshakes,
 * failed_handshakes, failure_alerts: {group: n}, encrypted_alerts}, ... ]. */
void tlsa_timeline_json(json_dumper *d, const tlsa_report_t *report);

#endif
