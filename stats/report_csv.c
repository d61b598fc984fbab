/* report_csv.c — `tshark -q -z tlsalerts,csv[,filter]`: a header and one row
 * per conversation, in order of first frame, joinable on client ip/port and
 * time (RFC 4180 quoting; formulas neutralised, see core/text_safety.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "conv_columns.h"
#include "text_safety.h"
#include "report_listener.h"
#include "stats_register.h"

#define CSV_CLI "tlsalerts,csv"

static void csv_draw(void *data)
{
    tlsa_conv_set_compact(&((tlsa_report_t *)data)->convs);
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    unsigned n_columns;
    const tlsa_conv_column_t *const *columns = tlsa_conv_columns(TLSA_OUT_CSV, &n_columns);
    GString *out = g_string_new(NULL);
    GString *cell_text = g_string_new(NULL);
    tlsa_conv_row_t row;

    for (guint c = 0; c < n_columns; c++)
        tlsa_csv_field(out, columns[c]->key, c + 1 == n_columns);
    for (guint i = 0; i < report->convs.order->len; i++) {
        tlsa_conv_row(&row, (const tlsa_conv_t *)g_ptr_array_index(report->convs.order, i), TLSA_HISTORY_MAX);
        for (guint c = 0; c < n_columns; c++) {
            tlsa_cell_t cell;
            tlsa_conv_cell(&row, columns[c], &cell);
            g_string_truncate(cell_text, 0);
            tlsa_column_append_text(cell_text, columns[c], &cell, TLSA_OUT_CSV);
            tlsa_csv_field(out, cell_text->str, c + 1 == n_columns);
        }
    }
    fwrite(out->str, 1, out->len, stdout);
    fflush(stdout);
    tlsa_report_note_undecoded_on_stderr(&report->undecoded);
    g_string_free(cell_text, TRUE);
    g_string_free(out, TRUE);
}

void tlsa_register_report_csv(void)
{
    tlsa_report_register(CSV_CLI, csv_draw);
}
