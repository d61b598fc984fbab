/* text_safety.c — peer-controlled text made safe (see text_safety.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "text_safety.h"

#include <string.h>

static void escape_ascii_control(GString *out, unsigned char c)
{
    static const char letters[] = "abtnvfr"; /* \a (7) .. \r (13) */
    if (c >= '\a' && c <= '\r')
        g_string_append_printf(out, "\\%c", letters[c - '\a']);
    else
        g_string_append_printf(out, "\\%03o", c);
}

void tlsa_text_escape(GString *out, const char *s)
{
    const char *p = s;
    while (p && *p) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            if (g_ascii_isprint(c))
                g_string_append_c(out, (char)c);
            else
                escape_ascii_control(out, c);
            p++;
            continue;
        }
        gunichar uc = g_utf8_get_char_validated(p, -1);
        if (uc == (gunichar)-1 || uc == (gunichar)-2) {
            g_string_append_unichar(out, 0xfffd); /* invalid UTF-8: one byte at a time */
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        if (g_unichar_isprint(uc))
            g_string_append_len(out, p, next - p);
        else if (uc <= 0xffff)
            g_string_append_printf(out, "\\u%04X", (unsigned)uc);
        else
            g_string_append_printf(out, "\\U%08X", (unsigned)uc);
        p = next;
    }
}

void tlsa_text_clip(GString *out, gsize from, gsize max)
{
    if (out->len - from <= max || max < 4)
        return;
    /* Keep max - 3 bytes, backing off to the start of a character. */
    gsize keep = from + max - 3;
    while (keep > from && ((unsigned char)out->str[keep] & 0xc0) == 0x80)
        keep--;
    g_string_truncate(out, keep);
    g_string_append(out, "...");
}

void tlsa_csv_field(GString *out, const char *value, bool last)
{
    bool formula = value[0] && strchr("=+-@\t\r", value[0]);
    if (formula || value[strcspn(value, ",\"\r\n")] != '\0') {
        g_string_append_c(out, '"');
        if (formula)
            g_string_append_c(out, '\'');
        for (const char *p = value; *p; p++) {
            if (*p == '"')
                g_string_append_c(out, '"');
            g_string_append_c(out, *p);
        }
        g_string_append_c(out, '"');
    } else {
        g_string_append(out, value);
    }
    g_string_append(out, last ? "\r\n" : ",");
}
