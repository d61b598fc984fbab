/* plugin.c — what Wireshark's plugin loader looks for in tlsalerts.so.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "packet-tlsalerts.h"
#include "stats_register.h"
#include "ws_compat.h"

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TLSALERTS_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
TLSA_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin dissector = {
        .register_protoinfo = proto_register_tlsalerts,
        .register_handoff = proto_reg_handoff_tlsalerts,
    };
    static tap_plugin listeners = {
        .register_tap_listener = tlsa_register_stats,
    };
    proto_register_plugin(&dissector);
    tap_register_plugin(&listeners);
}
