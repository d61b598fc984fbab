/* report_conv.c — `tshark -q -z tlsalerts,conv[,filter]`: the conversations
 * as a readable table, failed handshakes first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "conv_columns.h"
#include "report_listener.h"
#include "stats_register.h"

#define CONV_CLI "tlsalerts,conv"

/* One row's cells as text: offsets into one buffer. */
typedef struct {
    GString *text;
    gsize *start;  /* n + 1 offsets */
} conv_cells_t;

static void format_cells(conv_cells_t *cells, const tlsa_conv_t *conv,
                         const tlsa_conv_column_t *const *columns, unsigned n)
{
    tlsa_conv_row_t row;
    tlsa_conv_row(&row, conv, TLSA_HISTORY_MAX);
    g_string_truncate(cells->text, 0);
    for (unsigned c = 0; c < n; c++) {
        tlsa_cell_t cell;
        tlsa_conv_cell(&row, columns[c], &cell);
        cells->start[c] = cells->text->len;
        tlsa_column_append_text(cells->text, columns[c], &cell, TLSA_OUT_TEXT);
        g_string_append_c(cells->text, '\0');
    }
    cells->start[n] = cells->text->len;
}

static const char *cell_at(const conv_cells_t *cells, unsigned c)
{
    return cells->text->str + cells->start[c];
}

static size_t cell_width(const conv_cells_t *cells, unsigned c)
{
    return cells->start[c + 1] - cells->start[c] - 1;
}

/* As printf("%-*s  ") (the last cell: "%s\n"), without printf's cost per cell. */
static void print_cell(const char *cell, size_t width, gboolean last)
{
    static const char spaces[] = "                                                                ";
    size_t len = strlen(cell);
    fwrite(cell, 1, len, stdout);
    if (last) {
        putchar('\n');
        return;
    }
    for (size_t pad = (width > len ? width - len : 0) + 2; pad > 0;) {
        size_t n = MIN(pad, sizeof spaces - 1);
        fwrite(spaces, 1, n, stdout);
        pad -= n;
    }
}

/* Two passes over the conversations (widths, then rows) instead of keeping
 * every cell in memory: with 50,000 conversations that table was ~25 MB. */
static void conv_draw(void *data)
{
    const tlsa_report_t *report = (const tlsa_report_t *)data;
    uint64_t outcomes[TLSA_OUTCOME_COUNT], failed;
    tlsa_conv_set_outcomes(&report->convs, outcomes, &failed);

    unsigned n_columns;
    const tlsa_conv_column_t *const *columns = tlsa_conv_columns(TLSA_OUT_TEXT, &n_columns);
    GPtrArray *sorted = tlsa_conv_set_failed_first(&report->convs);
    guint n = sorted->len;
    conv_cells_t cells = { g_string_new(NULL), g_new(gsize, n_columns + 1) };
    size_t *width = g_new(size_t, n_columns);
    for (unsigned c = 0; c < n_columns; c++)
        width[c] = strlen(columns[c]->header);
    for (guint i = 0; i < n; i++) {
        format_cells(&cells, (const tlsa_conv_t *)g_ptr_array_index(sorted, i), columns, n_columns);
        for (unsigned c = 0; c < n_columns; c++)
            width[c] = MAX(width[c], cell_width(&cells, c));
    }

    printf("\n=======================================================================\n");
    printf("TLS Alerts: conversations (failed handshakes first)\n");
    printf("Handshakes: %" PRIu64 "   Failed: %" PRIu64 "   Alerts: %" PRIu64 "   Failure alerts: %" PRIu64 "\n",
           tlsa_conv_set_handshakes(outcomes), failed, report->tally.alerts, report->tally.failures);
    char note[512];
    if (tlsa_conv_set_no_handshake_note(outcomes, note, sizeof note))
        printf("Note: %s.\n", note);
    GString *undecoded = g_string_new(NULL);
    if (tlsa_undecoded_note(&report->undecoded, undecoded))
        printf("Note: %s.\n", undecoded->str);
    g_string_free(undecoded, TRUE);
    if (tlsa_conv_set_unlisted(&report->convs))
        printf("Not listed: %" PRIu64 " conversations that saw only TCP's handshake and closes (bare SYNs: "
               "probes, scans, a SYN flood), beyond tlsalerts.provisional_limit; counted above.\n",
               tlsa_conv_set_unlisted(&report->convs));
    printf("Outcomes:");
    for (int o = 0; o < TLSA_OUTCOME_COUNT; o++)
        if (outcomes[o])
            printf(" %s %" PRIu64, tlsa_outcome_name((tlsa_outcome_t)o), outcomes[o]);
    printf("\nFrame: the first failure alert's frame, else the conversation's first frame.\n\n");
    for (unsigned c = 0; c < n_columns; c++)
        print_cell(columns[c]->header, width[c], c + 1 == n_columns);
    for (guint i = 0; i < n; i++) {
        format_cells(&cells, (const tlsa_conv_t *)g_ptr_array_index(sorted, i), columns, n_columns);
        for (unsigned c = 0; c < n_columns; c++)
            print_cell(cell_at(&cells, c), width[c], c + 1 == n_columns);
    }
    printf("=======================================================================\n");
    g_free(width);
    g_free(cells.start);
    g_string_free(cells.text, TRUE);
    g_ptr_array_free(sorted, TRUE);
}

void tlsa_register_report_conv(void)
{
    tlsa_report_register(CONV_CLI, conv_draw);
}
