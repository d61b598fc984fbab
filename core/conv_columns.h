/* conv_columns.h — the conversation column model: one table of the columns a
 * conversation is shown with, that every output draws from — the CSV report,
 * the text table (-z tlsalerts,conv), the GUI table (and its tshark form,
 * -z tlsalerts,conversations) and the JSON report.
 *
 * Each column has a key (CSV header, JSON member name), a header (text and
 * GUI tables), a value type, the outputs it appears in, and a typed getter.
 * The outputs format a cell the same way everywhere: numbers stay numbers in
 * JSON, a missing value is null in JSON, empty in CSV and "-" in the tables.
 * Adding a column is one line in conv_columns.c.
 *
 * Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONV_COLUMNS_H
#define TLSALERTS_CONV_COLUMNS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "conversation_text.h"

typedef enum {
    TLSA_OUT_CSV  = 1u << 0,  /* -z tlsalerts,csv */
    TLSA_OUT_TEXT = 1u << 1,  /* -z tlsalerts,conv */
    TLSA_OUT_GUI  = 1u << 2,  /* Statistics > TLS Alert Conversations, -z tlsalerts,conversations */
    TLSA_OUT_JSON = 1u << 3,  /* -z tlsalerts,json: conversations[] */
} tlsa_output_t;

typedef enum {
    TLSA_CELL_NULL = 0, /* not seen: JSON null, CSV "", tables "-" */
    TLSA_CELL_STRING,   /* .string */
    TLSA_CELL_UINT,     /* .uint */
    TLSA_CELL_BOOL,     /* .boolean */
    TLSA_CELL_LIST,     /* .string, items separated by '|' ("TLS 1.2|TLS 1.3"); a JSON array */
    TLSA_CELL_ALERT,    /* .alert: text "unknown_ca (48)"; a JSON object */
    TLSA_CELL_ALERTS,   /* .alert, the first of a list, .uint how many more were not listed:
                         * text "client fatal unknown_ca (48); ...; and 12 more"; a JSON array */
} tlsa_cell_type_t;

typedef struct {
    tlsa_cell_type_t type;
    const char *string;
    uint64_t uint;
    bool boolean;
    const tlsa_alert_note_t *alert;
} tlsa_cell_t;

/* One conversation as the columns see it: its text (computed once) and how
 * much of its history to show. */
typedef struct {
    const tlsa_conv_t *conv;
    tlsa_conv_text_t text;
    unsigned history_len;       /* the GUI table's cut; the whole history elsewhere */
    char history[TLSA_HISTORY_MAX + 1];
    char client[64], server[64];
    char version_cell[TLSA_VERSION_CELL_SIZE];
    char offered_ciphers[4096], offered_groups[1024]; /* "name|name|...", Wireshark's names */
} tlsa_conv_row_t;

typedef struct {
    const char *key;            /* "client_ip": CSV header, JSON member */
    const char *header;         /* "Client": text and GUI table header */
    tlsa_cell_type_t type;      /* the type of the value when there is one */
    bool nullable;              /* the getter may answer TLSA_CELL_NULL */
    unsigned outputs;           /* tlsa_output_t bits */
    void (*get)(const tlsa_conv_row_t *row, tlsa_cell_t *cell);
    unsigned text_max;          /* longest cell in the text table; 0: TLSA_TEXT_CELL_MAX */
} tlsa_conv_column_t;

/* Names of cipher suites and groups, as Wireshark has them (set by the glue;
 * NULL: none, or a code without a name): "0x1301" is shown instead. */
typedef const char *(*tlsa_code_name_fn)(uint16_t code);
void tlsa_conv_columns_set_code_names(tlsa_code_name_fn cipher, tlsa_code_name_fn group);

/* The columns of one output, in its order. Static storage; *n gets the count. */
const tlsa_conv_column_t *const *tlsa_conv_columns(tlsa_output_t output, unsigned *n);

/* Fills row for conv; history_len is clipped to the conversation's history
 * (pass TLSA_HISTORY_MAX for all of it). */
void tlsa_conv_row(tlsa_conv_row_t *row, const tlsa_conv_t *conv, unsigned history_len);

void tlsa_conv_cell(const tlsa_conv_row_t *row, const tlsa_conv_column_t *column, tlsa_cell_t *cell);

/* The longest cell of the GUI table (and -z tlsalerts,conversations), in bytes. */
#define TLSA_GUI_CELL_MAX 256

/* A cell as one line of text for CSV (missing: "") or the tables (missing or
 * empty: "-"). Appends to out. Strings are escaped (text_safety.h: no control
 * character of the capture reaches a terminal); table cells are clipped
 * (TLSA_TEXT_CELL_MAX in the text table, TLSA_GUI_CELL_MAX in the GUI table). */
void tlsa_cell_append_text(GString *out, const tlsa_cell_t *cell, tlsa_output_t output);

/* The same, clipped as the column says for the text table. */
void tlsa_column_append_text(GString *out, const tlsa_conv_column_t *column, const tlsa_cell_t *cell,
                             tlsa_output_t output);

#endif
