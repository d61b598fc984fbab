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

#include "ws_compat.h"
#include "conversation_text.h"
#include "tap_record.h"
#include "stats_register.h"

#define TABLE_NAME "TLS conversations"

enum { F_ID, F_CLIENT, F_CLIENT_PORT, F_SERVER, F_SERVER_PORT, F_VNI, F_SNI, F_VERSION, F_OUTCOME,
       F_ALERT, F_SENDER, F_GROUP, F_FRAME, F_TIME, F_HISTORY, F_COUNT };

static stat_tap_table_item fields[F_COUNT] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "#", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Client", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Client port", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Server", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Server port", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "VNI", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "SNI", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Version (or offered)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Outcome", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Failure alert", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Sender", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Group", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Frame", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "First time (UTC)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "History", "%s" },
};

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

static void set_string(stat_tap_table_item_type *item, const char *value)
{
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = g_strdup(value && *value ? value : "-");
}

static void set_uint(stat_tap_table_item_type *item, guint value)
{
    item->type = TABLE_ITEM_UINT;
    item->value.uint_value = value;
}

/* A row shows its conversation as of the record that refreshed it last. The
 * tracker itself moves on (a GUI retap sees it complete), so the history is
 * cut at the record's length: one pass, two passes and retaps agree. */
static void fill_row(stat_tap_table_item_type row[F_COUNT], const tlsa_record_t *rec)
{
    const tlsa_conv_t *conv = rec->conv;
    char history[TLSA_HISTORY_MAX + 1];
    tlsa_conv_text_t t;
    uint16_t client_port, server_port;
    tlsa_conv_text(conv, &t);
    tlsa_conv_client_ip(conv, &client_port);
    tlsa_conv_server_ip(conv, &server_port);
    memset(row, 0, sizeof(stat_tap_table_item_type) * F_COUNT);
    set_uint(&row[F_ID], conv->id);
    set_string(&row[F_CLIENT], t.client_ip);
    set_uint(&row[F_CLIENT_PORT], client_port);
    set_string(&row[F_SERVER], t.server_ip);
    set_uint(&row[F_SERVER_PORT], server_port);
    set_string(&row[F_VNI], t.vni);
    set_string(&row[F_SNI], t.sni);
    char version[TLSA_VERSION_CELL_SIZE];
    tlsa_conv_version_cell(&t, version, sizeof version);
    set_string(&row[F_VERSION], version);
    set_string(&row[F_OUTCOME], t.outcome);
    set_string(&row[F_ALERT], t.failure_alert);
    set_string(&row[F_SENDER], t.failure_sender);
    set_string(&row[F_GROUP], t.group);
    set_uint(&row[F_FRAME], conv->tracker.first_failure ? conv->tracker.first_failure->frame : conv->first_frame);
    set_string(&row[F_TIME], t.first_time);
    g_strlcpy(history, t.history, MIN(sizeof history, (gsize)rec->history_len + 1));
    set_string(&row[F_HISTORY], history);
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
    const tlsa_record_t *rec = (const tlsa_record_t *)data;
    if (!rec->conv)
        return TAP_PACKET_DONT_REDRAW;
    stat_tap_table *table = g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);
    GHashTable *rows = rows_of(table);
    stat_tap_table_item_type row[F_COUNT];
    fill_row(row, rec);

    gpointer known = g_hash_table_lookup(rows, rec->conv);
    if (!known) {
        guint index = table->num_elements;
        stat_tap_init_table_row(table, index, F_COUNT, row);
        g_hash_table_insert(rows, (gpointer)rec->conv, GUINT_TO_POINTER(index + 1));
    } else {
        guint index = GPOINTER_TO_UINT(known) - 1;
        for (guint c = 0; c < F_COUNT; c++) {
            free_item(table, index, c, stat_tap_get_field_data(table, index, c));
            stat_tap_set_field_data(table, index, c, &row[c]);
        }
    }
    return TAP_PACKET_REDRAW;
}

static void table_init(stat_tap_table_ui *new_stat)
{
    stat_tap_table *table = stat_tap_find_table(new_stat, TABLE_NAME);
    if (table) {
        if (new_stat->stat_tap_reset_table_cb)
            new_stat->stat_tap_reset_table_cb(table);
        return;
    }
    table = stat_tap_init_table(TABLE_NAME, F_COUNT, 0, NULL);
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
    G_N_ELEMENTS(fields), fields,
    G_N_ELEMENTS(table_params), table_params,
    NULL,
    0,
};

void tlsa_register_table_conversations(void)
{
    register_stat_tap_table_ui(&table_ui);
}
