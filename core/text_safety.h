/* text_safety.h — peer-controlled text made safe for the outputs a person or a
 * program reads: terminals (the text tables), spreadsheets (CSV).
 *
 * Every string a report prints may come from the capture (an SNI is whatever
 * the client wrote), so:
 *  - tlsa_text_escape() shows it the way Wireshark shows field values:
 *    printable characters as themselves, non-printable ASCII as C escapes
 *    (\a \b \t \n \v \f \r, else \ooo octal), non-printable Unicode
 *    (C1 controls, format characters such as bidirectional overrides) as
 *    \uXXXX, and invalid UTF-8 as U+FFFD. No ESC, BEL, CR or BS reaches a
 *    terminal.
 *  - tlsa_text_clip() bounds a table cell, so one huge value cannot blow
 *    a whole table up to its width.
 *  - tlsa_csv_field() writes one RFC 4180 field and neutralises formulas as
 *    OWASP recommends: a cell that begins with = + - @ (or TAB, CR) gets a
 *    leading apostrophe and is quoted, so a spreadsheet shows it as text.
 *
 * Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_TEXT_SAFETY_H
#define TLSALERTS_TEXT_SAFETY_H

#include <glib.h>
#include <stdbool.h>

/* The longest cell of the text tables, in bytes; longer ones end in "...". */
#define TLSA_TEXT_CELL_MAX 80

/* Appends s, escaped, to out. */
void tlsa_text_escape(GString *out, const char *s);

/* Cuts out, from byte `from` on, to at most max bytes (at a character
 * boundary), ending in "..." when it had to cut. */
void tlsa_text_clip(GString *out, gsize from, gsize max);

/* Appends one CSV field (quoted when needed, formulas neutralised) and a
 * comma, or CRLF after the last field of a row. */
void tlsa_csv_field(GString *out, const char *value, bool last);

#endif
