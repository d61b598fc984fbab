/* prom_options.c — the argument of `-z tlsalerts,prom`.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "prom_options.h"

#include <stdlib.h>
#include <string.h>

void tlsa_prom_options_clear(tlsa_prom_options_t *o)
{
    g_free(o->file);
    g_free(o->filter);
    memset(o, 0, sizeof *o);
    o->interval = TLSA_PROM_DEFAULT_INTERVAL;
}

/* Length of "name" when ITEM starts with name=value (name: [a-z_]+, then a
 * single '='), else 0. */
static size_t option_name_length(const char *item)
{
    size_t n = 0;
    while ((item[n] >= 'a' && item[n] <= 'z') || item[n] == '_')
        n++;
    if (n == 0 || item[n] != '=' || item[n + 1] == '=')
        return 0;
    return n;
}

static bool parse_interval(const char *value, size_t len, unsigned *out)
{
    if (len == 0 || len > 6)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (value[i] < '0' || value[i] > '9')
            return false;
        v = v * 10 + (unsigned)(value[i] - '0');
    }
    if (v == 0 || v > TLSA_PROM_MAX_INTERVAL)
        return false;
    *out = v;
    return true;
}

static bool fail(tlsa_prom_options_t *o, char **err, char *message)
{
    tlsa_prom_options_clear(o);
    *err = message;
    return false;
}

bool tlsa_prom_options_parse(const char *opt_arg, const char *cli, tlsa_prom_options_t *o, char **err)
{
    size_t n = strlen(cli);
    bool interval_given = false;
    memset(o, 0, sizeof *o);
    tlsa_prom_options_clear(o);
    *err = NULL;
    if (!opt_arg || strncmp(opt_arg, cli, n) != 0 || (opt_arg[n] != '\0' && opt_arg[n] != ','))
        return fail(o, err, g_strdup_printf("unknown report \"-z %s\"; expected \"-z %s[,file=PATH]"
                                            "[,interval=SECONDS][,filter]\"", opt_arg ? opt_arg : "", cli));
    const char *p = opt_arg[n] ? opt_arg + n + 1 : opt_arg + n;
    while (*p) {
        size_t name_len = option_name_length(p);
        if (name_len == 0)
            break;
        const char *value = p + name_len + 1;
        const char *comma = strchr(value, ',');
        size_t value_len = comma ? (size_t)(comma - value) : strlen(value);
        if (name_len == 4 && strncmp(p, "file", 4) == 0) {
            if (value_len == 0)
                return fail(o, err, g_strdup("file= needs a path"));
            g_free(o->file);
            o->file = g_strndup(value, value_len);
        } else if (name_len == 8 && strncmp(p, "interval", 8) == 0) {
            if (!parse_interval(value, value_len, &o->interval))
                return fail(o, err, g_strdup_printf("interval=%.*s: expected a whole number of seconds "
                                                    "from 1 to %u", (int)value_len, value,
                                                    TLSA_PROM_MAX_INTERVAL));
            interval_given = true;
        } else {
            return fail(o, err, g_strdup_printf("unknown option \"%.*s\" (known: file=PATH, interval=SECONDS; "
                                                "a display filter comes last)", (int)name_len, p));
        }
        p = comma ? comma + 1 : value + value_len;
    }
    if (interval_given && !o->file)
        return fail(o, err, g_strdup("interval= needs file=PATH (without a file the counters are printed "
                                     "once, at the end of the run)"));
    if (*p)
        o->filter = g_strdup(p);
    return true;
}
