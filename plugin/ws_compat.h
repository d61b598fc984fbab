/* ws_compat.h — every difference between the Wireshark versions this plugin
 * supports (4.0 to 4.6), in one place, so the rest reads as plain Wireshark code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_WS_COMPAT_H
#define TLSALERTS_WS_COMPAT_H

#include <ws_version.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>

#define TLSA_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* field_info.value is embedded up to 4.0 and a pointer from 4.2. */
static inline guint32 tlsa_finfo_uint(const field_info *fi)
{
#if TLSA_WS_AT_LEAST(4, 2)
    return fvalue_get_uinteger(fi->value);
#else
    return fvalue_get_uinteger((fvalue_t *)&fi->value);
#endif
}

/* Stats tree menu paths: "/" separates submenus up to 4.2, "//" from 4.4. */
#if TLSA_WS_AT_LEAST(4, 4)
#define TLSA_MENU_SEP "//"
#else
#define TLSA_MENU_SEP "/"
#endif

#endif
