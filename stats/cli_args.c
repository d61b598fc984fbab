/* cli_args.c — "-z tlsalerts,OUTPUT[,filter]" for tshark reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/tap.h>

#include "tap_record.h"
#include "cli_args.h"

gboolean tlsa_cli_filter(const char *opt_arg, const char *cli_string, const char **filter, char **err)
{
    size_t n = strlen(cli_string);
    *filter = NULL;
    if (!opt_arg || strncmp(opt_arg, cli_string, n) != 0) {
        *err = g_strdup_printf("expected \"-z %s[,filter]\"", cli_string);
        return FALSE;
    }
    if (opt_arg[n] == '\0')
        return TRUE;
    if (opt_arg[n] != ',') {
        *err = g_strdup_printf("unknown report \"-z %s\"; expected \"-z %s[,filter]\"", opt_arg, cli_string);
        return FALSE;
    }
    if (opt_arg[n + 1] != '\0')
        *filter = opt_arg + n + 1;
    return TRUE;
}

static G_NORETURN void fail(const char *cli_string, const char *message)
{
    const char *program = g_get_prgname();
    fprintf(stderr, "%s: -z %s: %s\n", program ? program : "tshark", cli_string, message);
    exit(1);
}

void tlsa_cli_register_listener(const char *opt_arg, const char *cli_string, void *tapdata,
                                void (*reset)(void *), gpointer packet,
                                void (*draw)(void *), void (*finish)(void *))
{
    const char *filter;
    char *err = NULL;
    if (!tlsa_cli_filter(opt_arg, cli_string, &filter, &err))
        fail(cli_string, err);

    GString *error = register_tap_listener(TLSA_TAP_NAME, tapdata, filter, TL_REQUIRES_PROTO_TREE,
                                           reset, (tap_packet_cb)packet, draw, finish);
    if (error) {
        char *message = g_strdup_printf("invalid display filter \"%s\": %s", filter ? filter : "", error->str);
        g_string_free(error, TRUE);
        fail(cli_string, message);
    }
}
