/* cli_args.h — the "-z tlsalerts,OUTPUT[,filter]" argument shared by every
 * report tshark prints, and how a bad one ends the run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CLI_ARGS_H
#define TLSALERTS_CLI_ARGS_H

#include <glib.h>

/* The display filter after "cli_string,", or NULL when none was given.
 * Returns FALSE (and an error message in *err, to g_free) when opt_arg is not
 * cli_string followed by nothing or by a comma. */
gboolean tlsa_cli_filter(const char *opt_arg, const char *cli_string, const char **filter, char **err);

/* Registers a listener of the tlsalerts tap for a report; on a bad argument or
 * filter, prints a clear error and exits with status 1, as Wireshark's own
 * reports do. */
void tlsa_cli_register_listener(const char *opt_arg, const char *cli_string, void *tapdata,
                                void (*reset)(void *),
                                gpointer packet, /* tap_packet_cb */
                                void (*draw)(void *),
                                void (*finish)(void *));

#endif
