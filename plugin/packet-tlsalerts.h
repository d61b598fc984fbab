/* packet-tlsalerts.h — registration of the TLS alert companion dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_PACKET_TLSALERTS_H
#define TLSALERTS_PACKET_TLSALERTS_H

void proto_register_tlsalerts(void);
void proto_reg_handoff_tlsalerts(void);

#endif
