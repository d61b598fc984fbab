/* ws_compat.h — every difference between the Wireshark versions this plugin
 * supports (4.0 to 4.6), in one place, so the rest reads as plain Wireshark code.
 *
 * Built and tested on 4.0, 4.4 and 4.6 (tests/matrix); 4.2 follows the
 * boundaries noted below but is not tested. Include it only where a shim
 * below is used; the riskiest one is the tree's primed fields.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_WS_COMPAT_H
#define TLSALERTS_WS_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#include <ws_version.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>

#define TLSA_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* --- Reading field values ------------------------------------------------
 * field_info.value is an embedded fvalue_t up to 4.0 and an opaque pointer
 * from 4.2. Every read of a field value goes through tlsa_finfo_fvalue(). */
static inline fvalue_t *tlsa_finfo_fvalue(const field_info *fi)
{
#if TLSA_WS_AT_LEAST(4, 2)
    return fi->value;
#else
    return (fvalue_t *)&fi->value;
#endif
}

/* FT_UINT8 .. FT_UINT32 (and FT_CHAR, FT_FRAMENUM). */
static inline uint32_t tlsa_finfo_uint(const field_info *fi)
{
    return fvalue_get_uinteger(tlsa_finfo_fvalue(fi));
}

/* FT_UINT40 .. FT_UINT64 (quic.cc.error_code is FT_UINT64). */
static inline uint64_t tlsa_finfo_uint64(const field_info *fi)
{
    return fvalue_get_uinteger64(tlsa_finfo_fvalue(fi));
}

/* FT_STRING and friends (tls.handshake.extensions_server_name, ja3, ja4). */
static inline const char *tlsa_finfo_string(const field_info *fi)
{
    return fvalue_get_string(tlsa_finfo_fvalue(fi));
}

/* --- The tree's primed fields -----------------------------------------------
 * THE RISKIEST SHIM. The per-frame index (frame_fields.c) walks the table of
 * "interesting" fields that Wireshark fills while it builds the tree: the
 * fields a post-dissector asked for with set_postdissector_wanted_hfids().
 * That table (tree_data_t.interesting_hfids: hf id -> GPtrArray of
 * field_info) is reachable through PTREE_DATA() in proto.h but is no
 * documented API; 4.0 to 4.6 all keep it with this shape. If a release
 * renamed or restructured it this stops compiling; if it stopped filling it,
 * the plugin would see no fields at all, which every capture test catches
 * (the expected alert counts and tshark's own fields would disagree). */
static inline GHashTable *tlsa_tree_primed_fields(proto_tree *tree)
{
    return tree ? PTREE_DATA(tree)->interesting_hfids : NULL;
}

/* --- TCP's protocol item ----------------------------------------------------
 * Up to 4.4 Wireshark never fakes an item at the top of the tree, so TCP's
 * protocol item is there, with its bytes, for frame_fields.c to find without
 * wanting any field. 4.6 fakes top-level items as well (a node with no
 * field_info): there the plugin wants "tcp" itself, which makes 4.6 keep a
 * primed-field table for every TCP frame, and reads the last such item. */
#if TLSA_WS_AT_LEAST(4, 6)
#define TLSA_WANT_TCP_ITEM 1
#else
#define TLSA_WANT_TCP_ITEM 0
#endif

/* --- Stats tree -----------------------------------------------------------
 * Menu paths: "/" separates submenus up to 4.2, "//" from 4.4 (where a single
 * "/" is a plain character). Never put "/" in node names. */
#if TLSA_WS_AT_LEAST(4, 4)
#define TLSA_MENU_SEP "//"
#else
#define TLSA_MENU_SEP "/"
#endif

/* --- register_stat_tap_ui() ----------------------------------------------
 * The "-z" init callback (stat_tap_ui.tap_init_cb) returns bool from 4.6
 * (false: the arguments were rejected), void before. Write it as
 *
 *     static tlsa_stat_tap_init_ret name(const char *opt_arg, void *userdata)
 *     {
 *         ...
 *         return TLSA_STAT_TAP_INIT_OK;
 *     }
 */
#if TLSA_WS_AT_LEAST(4, 6)
typedef bool tlsa_stat_tap_init_ret;
#define TLSA_STAT_TAP_INIT_OK true
#else
typedef void tlsa_stat_tap_init_ret;
#define TLSA_STAT_TAP_INIT_OK /* void */
#endif

/* --- tvbuff accessors -------------------------------------------------------
 * 4.4 renamed tvb_get_guint8() & co. to tvb_get_uint8() & co.; 4.4 and 4.6
 * mark the old names deprecated. Use the new name; 4.0 maps it back. (Only
 * the one in use is mapped: add others here when code needs them.) */
#if !TLSA_WS_AT_LEAST(4, 4)
#define tvb_get_uint8  tvb_get_guint8
#endif

/* --- Plugin description -----------------------------------------------------
 * From 4.4 the loader asks an optional plugin_describe() what the plugin
 * provides (shown by `tshark -G plugins` and About > Plugins). Use once, in
 * plugin.c:  TLSA_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)
 * (on 4.0 it expands to nothing, and the flags are never evaluated). */
#if TLSA_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define TLSA_PLUGIN_DESCRIBE(flags) \
    WS_DLL_PUBLIC uint32_t plugin_describe(void); \
    uint32_t plugin_describe(void) { return (flags); }
#else
#define TLSA_PLUGIN_DESCRIBE(flags)
#endif

/* --- DTLS 1.3 unified-header records ------------------------------------------
 * 4.0's DTLS dissector does not know the unified header (RFC 9147 §4, first
 * byte 001CSLEE): such a datagram is shown as plain UDP (data.data), also when
 * it starts with a plaintext ServerHello, so frame_events.c reads those bytes
 * itself (core/dtls13_records.c). 4.4 and 4.6 dissect the header, with this
 * field (absent from 4.0, so the field table skips it there) and the record's
 * dtls.record.length after it, but no content type. */
#define TLSA_DTLS_UNIFIED_HEADER_FIELD "dtls.unified_header.bitmask"

#endif
