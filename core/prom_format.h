/* prom_format.h — the Prometheus text exposition format (version 0.0.4), as
 * node_exporter's textfile collector and Prometheus read it: metric families
 * with HELP and TYPE lines, samples with escaped label values, no timestamps.
 *
 * Output is deterministic: families sorted by name, samples of a family sorted
 * by their label text. A sample added twice with the same labels is summed, so
 * callers can aggregate (e.g. failure alerts per group from per-description
 * rows) by just adding rows.
 *
 * Pure C + GLib, no Wireshark types: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_PROM_FORMAT_H
#define TLSALERTS_PROM_FORMAT_H

#include <glib.h>
#include <stdbool.h>

typedef enum { TLSA_PROM_COUNTER, TLSA_PROM_GAUGE } tlsa_prom_type_t;

typedef struct tlsa_prom_doc tlsa_prom_doc_t;
typedef struct tlsa_prom_family tlsa_prom_family_t;

tlsa_prom_doc_t *tlsa_prom_doc_new(void);
void tlsa_prom_doc_free(tlsa_prom_doc_t *doc);

/* The family NAME (created on first use; type and help of the first call
 * stay). NAME must be a valid metric name (see tlsa_prom_valid_name). */
tlsa_prom_family_t *tlsa_prom_family(tlsa_prom_doc_t *doc, const char *name, tlsa_prom_type_t type,
                                     const char *help);

/* Adds VALUE to the sample with these labels (created at 0 if new). The
 * labels are name/value pairs ending with NULL, in the order they are
 * printed; a NULL or empty value leaves its label out (Prometheus treats an
 * empty label as an absent one). */
void tlsa_prom_add(tlsa_prom_family_t *family, double value, ...) G_GNUC_NULL_TERMINATED;
void tlsa_prom_add_labels(tlsa_prom_family_t *family, double value, const char *const *pairs, unsigned n_pairs);

/* The whole document: every family's HELP, TYPE and samples. A family with no
 * sample is printed with its HELP and TYPE lines only. */
void tlsa_prom_render(const tlsa_prom_doc_t *doc, GString *out);

/* [a-zA-Z_:][a-zA-Z0-9_:]* (metric names); label names also refuse ':' and
 * the reserved "__" prefix. */
bool tlsa_prom_valid_name(const char *name);
bool tlsa_prom_valid_label_name(const char *name);

/* Label value: backslash, double quote and line feed escaped as \\ \" \n. */
void tlsa_prom_escape_label_value(GString *out, const char *value);

/* HELP text: backslash and line feed escaped as \\ and \n. */
void tlsa_prom_escape_help(GString *out, const char *text);

/* A sample value: integers without a decimal point ("42"), other numbers in
 * the shortest form that reads back the same ("1764581349.25"), "+Inf",
 * "-Inf", "NaN"; never locale-dependent. */
void tlsa_prom_format_value(GString *out, double value);

#endif
