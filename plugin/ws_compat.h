/* ws_compat.h — every difference between the Wireshark versions this plugin
 * supports (4.0 to 4.6), in one place, so the rest reads as plain Wireshark code.
 *
 * Built and tested on 4.0, 4.4 and 4.6 (tests/matrix); 4.2 follows the
 * boundaries noted below but is not tested.
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

/* FT_IPv4, host byte order. 4.0 has no fvalue_get_ipv4(); its fvalue_t is
 * public there. */
static inline uint32_t tlsa_finfo_ipv4(const field_info *fi)
{
#if TLSA_WS_AT_LEAST(4, 2)
    return fvalue_get_ipv4(tlsa_finfo_fvalue(fi))->addr;
#else
    return tlsa_finfo_fvalue(fi)->value.ipv4.addr;
#endif
}

/* FT_IPv6, the 16 address bytes. */
static inline const ws_in6_addr *tlsa_finfo_ipv6(const field_info *fi)
{
#if TLSA_WS_AT_LEAST(4, 2)
    return &fvalue_get_ipv6(tlsa_finfo_fvalue(fi))->addr;
#else
    return &tlsa_finfo_fvalue(fi)->value.ipv6.addr;
#endif
}

/* 4.4 dropped g_ptr_array_len() from proto.h. */
#ifndef g_ptr_array_len
#define g_ptr_array_len(a) ((a) ? (a)->len : 0)
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

/* --- Preferences ------------------------------------------------------------
 * prefs_register_bool_preference() takes gboolean * up to 4.0, bool * from 4.2
 * (a mismatch is an error with GCC >= 14). Declare bool preferences as
 * `static tlsa_pref_bool pref_x = false;`. */
#if TLSA_WS_AT_LEAST(4, 2)
typedef bool tlsa_pref_bool;
#else
typedef gboolean tlsa_pref_bool;
#endif

/* --- tvbuff accessors -------------------------------------------------------
 * 4.4 renamed tvb_get_guint8() & co. to tvb_get_uint8() & co.; 4.4 and 4.6
 * mark the old names deprecated. Use the new names; 4.0 maps them back. */
#if !TLSA_WS_AT_LEAST(4, 4)
#define tvb_get_uint8  tvb_get_guint8
#define tvb_get_uint16 tvb_get_guint16
#define tvb_get_uint24 tvb_get_guint24
#define tvb_get_uint32 tvb_get_guint32
#define tvb_get_uint64 tvb_get_guint64
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

#endif
