/* prom_options.h — the argument of `-z tlsalerts,prom[,file=PATH][,interval=N][,filter]`.
 *
 * Options come first, each "name=value" with a lower-case name followed by a
 * single '='; the first item that is not one starts the display filter (the
 * rest of the argument, commas included). So `tls.record.version == 0x0303`
 * or `ip.addr==192.0.2.1` are filters, `fiel=x` is an unknown option.
 * PATH cannot contain a comma.
 *
 * Pure C + GLib: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_PROM_OPTIONS_H
#define TLSALERTS_PROM_OPTIONS_H

#include <glib.h>
#include <stdbool.h>

#define TLSA_PROM_DEFAULT_INTERVAL 15
#define TLSA_PROM_MAX_INTERVAL 86400

typedef struct {
    char *file;         /* textfile to rewrite; NULL: print to stdout at the end */
    unsigned interval;  /* seconds between rewrites */
    char *filter;       /* display filter, or NULL */
} tlsa_prom_options_t;

/* Parses OPT_ARG, which must start with CLI ("tlsalerts,prom"). On error
 * returns false and a message in *err (g_free it); *o is then cleared. */
bool tlsa_prom_options_parse(const char *opt_arg, const char *cli, tlsa_prom_options_t *o, char **err);
void tlsa_prom_options_clear(tlsa_prom_options_t *o);

#endif
