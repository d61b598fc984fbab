/* table_conversations.c — Statistics > TLS Alert Conversations in the GUI
 * (a sortable table), and `tshark -z tlsalerts,conversations[,filter]`
 * through Wireshark's generic statistics tables.
 *
 * One row per conversation, added when any of its records passes the
 * dialog's filter and refreshed on each later record, so a retap (which is
 * what the dialog does) shows final outcomes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <string.h>

#include <glib.h>
#include <epan/packet_info.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "conv_bound.h"
#include "conv_columns.h"
#include "report_listener.h"
#include "tap_record.h"
#include "undecoded_tls.h"
#include "stats_register.h"

#define TABLE_NAME "TLS conversations"

/* The table's columns: the GUI columns of the conversation column model
 * (core/conv_columns.c), made into Wireshark table items at registration. */
static const tlsa_conv_column_t *const *columns;
static guint n_columns;
static stat_tap_table_item *fields;

static void make_fields(void)
{
    columns = tlsa_conv_columns(TLSA_OUT_GUI, &n_columns);
    fields = g_new0(stat_tap_table_item, n_columns);
    for (guint c = 0; c < n_columns; c++) {
        gboolean number = columns[c]->type == TLSA_CELL_UINT;
        /* A number that may be missing shows "-" then, so it is a string. */
        fields[c].type = number && !columns[c]->nullable ? TABLE_ITEM_UINT : TABLE_ITEM_STRING;
        fields[c].align = number ? TAP_ALIGN_RIGHT : TAP_ALIGN_LEFT;
        fields[c].column_name = columns[c]->header;
        fields[c].field_format = fields[c].type == TABLE_ITEM_UINT ? "%u" : "%s";
    }
}

/* Row of each conversation, per table (a dialog may be open more than once). */
static GHashTable *rows_by_table;

static GHashTable *rows_of(stat_tap_table *table)
{
    if (!rows_by_table)
        rows_by_table = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify)g_hash_table_destroy);
    GHashTable *rows = (GHashTable *)g_hash_table_lookup(rows_by_table, table);
    if (!rows) {
        rows = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_insert(rows_by_table, table, rows);
    }
    return rows;
}

/* A row shows its conversation as of the record that refreshed it last. The
 * tracker itself moves on (a GUI retap sees it complete), so the history is
 * cut at the record's length: one pass, two passes and retaps agree. */
static void fill_row(stat_tap_table_item_type *row, const tlsa_record_t *rec)
{
    tlsa_conv_row_t conv_row;
    GString *text = g_string_new(NULL);
    tlsa_conv_row(&conv_row, rec->conv, rec->history_len);
    memset(row, 0, sizeof(stat_tap_table_item_type) * n_columns);
    for (guint c = 0; c < n_columns; c++) {
        tlsa_cell_t cell;
        tlsa_conv_cell(&conv_row, columns[c], &cell);
        row[c].type = fields[c].type;
        if (fields[c].type == TABLE_ITEM_UINT) {
            row[c].value.uint_value = (guint)cell.uint;
        } else {
            g_string_truncate(text, 0);
            tlsa_column_append_text(text, columns[c], &cell, TLSA_OUT_GUI);
            row[c].value.string_value = g_strdup(text->str);
        }
    }
    g_string_free(text, TRUE);
}

static void free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                      stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING) {
        g_free((char *)item->value.string_value);
        item->value.string_value = NULL;
    }
}

static void reset_table(stat_tap_table *table)
{
    for (guint r = 0; r < table->num_elements; r++)
        for (guint c = 0; c < table->num_fields; c++)
            free_item(table, r, c, stat_tap_get_field_data(table, r, c));
    table->num_elements = 0;
    if (rows_by_table)
        g_hash_table_remove(rows_by_table, table);
}

static tap_packet_status table_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                      const void *data, tap_flags_t flags _U_)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    const tlsa_tap_frame_t *frame = (const tlsa_tap_frame_t *)data;
    /* A frame belongs to one conversation at most, and all its records carry
     * the same history length: its first counted record with a conversation
     * refreshes the row. */
    const tlsa_record_t *rec = NULL;
    for (guint32 i = 0; i < frame->count && !rec; i++)
        if (tlsa_record_counts(&frame->records[i]) && tlsa_record_conv(&frame->records[i]))
            rec = &frame->records[i];
    if (!rec)
        return TAP_PACKET_DONT_REDRAW;
    stat_tap_table *table = g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);
    GHashTable *rows = rows_of(table);
    stat_tap_table_item_type *row = g_new(stat_tap_table_item_type, n_columns);
    fill_row(row, rec);

    gpointer known = g_hash_table_lookup(rows, rec->conv);
    if (!known) {
        guint index = table->num_elements;
        stat_tap_init_table_row(table, index, n_columns, row);
        g_hash_table_insert(rows, (gpointer)rec->conv, GUINT_TO_POINTER(index + 1));
    } else {
        guint index = GPOINTER_TO_UINT(known) - 1;
        for (guint c = 0; c < n_columns; c++) {
            free_item(table, index, c, stat_tap_get_field_data(table, index, c));
            stat_tap_set_field_data(table, index, c, &row[c]);
        }
    }
    g_free(row);
    return TAP_PACKET_REDRAW;
}

/* ClientHellos not decoded as TLS are no conversation, so no row: a listener
 * of its own counts them and, at the end of a tshark run, says so on stderr
 * like the CSV report (in the GUI the expert info says so on each frame).
 * One for the whole run, whatever the number of tables. */
static tlsa_undecoded_t table_undecoded;

static void undecoded_reset(void *data)
{
    tlsa_undecoded_reset((tlsa_undecoded_t *)data);
}

static tap_packet_status undecoded_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                          const void *record, tap_flags_t flags _U_)
{
    const tlsa_tap_frame_t *frame = (const tlsa_tap_frame_t *)record;
    for (guint32 i = 0; i < frame->count; i++)
        tlsa_undecoded_add_record((tlsa_undecoded_t *)data, &frame->records[i]);
    return TAP_PACKET_DONT_REDRAW;
}

static void undecoded_draw(void *data)
{
    tlsa_report_note_undecoded_on_stderr((const tlsa_undecoded_t *)data);
}

static void listen_for_undecoded(void)
{
    static gboolean listening;
    if (listening)
        return;
    GString *error = register_tap_listener(TLSA_TAP_NAME, &table_undecoded, NULL, TL_REQUIRES_NOTHING,
                                           undecoded_reset, undecoded_packet, undecoded_draw, NULL);
    if (error)
        g_string_free(error, TRUE);
    else
        listening = TRUE;
}

static void table_init(stat_tap_table_ui *new_stat)
{
    listen_for_undecoded();
    stat_tap_table *table = stat_tap_find_table(new_stat, TABLE_NAME);
    if (table) {
        if (new_stat->stat_tap_reset_table_cb)
            new_stat->stat_tap_reset_table_cb(table);
        return;
    }
    table = stat_tap_init_table(TABLE_NAME, n_columns, 0, NULL);
    /* A closed dialog's tables are freed without a reset (free_stat_tables),
     * so the row map of a table once at this address may still be here. */
    if (rows_by_table)
        g_hash_table_remove(rows_by_table, table);
    stat_tap_add_table(new_stat, table);
}

static tap_param table_params[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
};

static stat_tap_table_ui table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "TLS Alert Conversations",
    TLSA_TAP_NAME,
    "tlsalerts,conversations",
    table_init,
    table_packet,
    reset_table,
    free_item,
    NULL,
    0, NULL, /* the columns: set in tlsa_register_table_conversations() */
    G_N_ELEMENTS(table_params), table_params,
    NULL,
    0,
};

/* A conversation is folded (conv_bound.h): no later record refreshes its
 * row (a new conversation may get its memory); a retap no longer lists it. */
static void table_fold(void *data _U_, const tlsa_conv_t *conv)
{
    GHashTableIter it;
    gpointer rows;
    if (!rows_by_table)
        return;
    g_hash_table_iter_init(&it, rows_by_table);
    while (g_hash_table_iter_next(&it, NULL, &rows))
        g_hash_table_remove((GHashTable *)rows, conv);
}

void tlsa_register_table_conversations(void)
{
    tlsa_fold_listen(table_fold, NULL);
    make_fields();
    table_ui.nfields = n_columns;
    table_ui.fields = fields;
    register_stat_tap_table_ui(&table_ui);
}
