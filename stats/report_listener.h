/* report_listener.h — what every tshark report collects from the tap: alert
 * counts and the conversations seen. Each report only differs in how it draws.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_REPORT_LISTENER_H
#define TLSALERTS_REPORT_LISTENER_H

#include "alert_tally.h"
#include "conversation_set.h"

typedef struct {
    tlsa_tally_t tally;
    tlsa_conv_set_t convs;
} tlsa_report_t;

/* Registers a report for "-z CLI[,filter]" (called from its stat_tap_ui init);
 * exits with a clear error on a bad argument or filter. */
void tlsa_report_start(const char *opt_arg, const char *cli_string, void (*draw)(void *report));

#endif
