/* report_listener.h — what every tshark report collects from the tap: alert
 * counts and the conversations seen. Each report only differs in how it draws.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_REPORT_LISTENER_H
#define TLSALERTS_REPORT_LISTENER_H

#include "alert_tally.h"
#include "conversation_set.h"
#include "timeline.h"

typedef struct {
    tlsa_tally_t tally;
    tlsa_conv_set_t convs;
    tlsa_timeline_t alerts_timeline; /* failure and encrypted alerts per minute */
    tlsa_timeline_t folded_timeline; /* handshakes of the conversations not listed (conv_bound.h) */
} tlsa_report_t;

/* Registers the tshark report "-z CLI[,filter]": when requested, a listener
 * collects into a tlsa_report_t and draw() prints it at the end of the run.
 * A bad argument or filter ends the run with a clear error and status 1. */
void tlsa_report_register(const char *cli_string, void (*draw)(void *report));

#endif
