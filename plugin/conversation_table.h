/* conversation_table.h — the conversations of the open capture file, and the
 * alert records already counted (for de-duplication). File scoped: reset when
 * a capture is opened or re-dissected.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_TABLE_H
#define TLSALERTS_CONVERSATION_TABLE_H

#include <epan/packet.h>

#include "conversation.h"

/* Called at the start of every capture file / re-dissection. */
void tlsa_conv_table_init(void);

/* The conversation of this frame's innermost transport, or NULL. With create,
 * a missing one is made. *side tells which endpoint sent the frame. */
tlsa_conv_t *tlsa_conv_table_find(packet_info *pinfo, proto_tree *tree, gboolean create,
                                   tlsa_protocol_t protocol, tlsa_side_t *side);

/* One string per distinct value, living as long as the capture file. */
const char *tlsa_conv_table_intern(const char *s);

/* TRUE if this (conversation, side, position) was seen before; remembers it. */
gboolean tlsa_conv_table_seen(const tlsa_conv_t *conv, tlsa_side_t side, guint64 position, guint32 extra);

#endif
