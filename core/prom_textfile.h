/* prom_textfile.h — replace a file atomically, as node_exporter's textfile
 * collector expects: write a temporary file in the same folder (a hidden name
 * that does not end in .prom, so the collector never reads it), fsync it,
 * rename it over the target, fsync the folder. Any failure (full disk, no
 * permission, ...) removes the temporary file and leaves the previous file
 * untouched: readers see the old content or the new one, never a part.
 *
 * POSIX + GLib, no Wireshark types; safe to call from any thread.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_PROM_TEXTFILE_H
#define TLSALERTS_PROM_TEXTFILE_H

#include <glib.h>
#include <stdbool.h>

/* Writes LEN bytes of TEXT to PATH (mode 0644). On failure returns false and a
 * message naming the path and the reason in *err (g_free it). */
bool tlsa_textfile_replace(const char *path, const char *text, size_t len, char **err);

#endif
