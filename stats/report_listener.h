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
#include "undecoded_tls.h"

typedef struct {
    tlsa_tally_t tally;
    tlsa_conv_set_t convs;
    tlsa_timeline_t alerts_timeline; /* failure and encrypted alerts per minute */
    tlsa_undecoded_t undecoded;      /* ClientHellos not decoded as TLS, per port */
    tlsa_timeline_t folded_timeline; /* handshakes of the conversations not listed (conv_bound.h) */
} tlsa_report_t;

/* Registers the tshark report "-z CLI[,filter]": when requested, a listener
 * collects into a tlsa_report_t and draw() prints it at the end of the run.
 * A bad argument or filter ends the run with a clear error and status 1. */
void tlsa_report_register(const char *cli_string, void (*draw)(void *report));

/* For reports whose output is a table that a program reads (CSV): the note
 * on ClientHellos not decoded as TLS goes to stderr ("tlsalerts: Note: ...")
 * so that the table stays machine-readable. */
void tlsa_report_note_undecoded_on_stderr(const tlsa_undecoded_t *undecoded);

#endif
