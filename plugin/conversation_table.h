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
#include "frame_decision.h"

/* Called at the start of every capture file / re-dissection / session. */
void tlsa_conv_table_init(void);

/* Called at the end of every session, while its file-scope memory is still
 * there: carries the undecided conversations into the next session. */
void tlsa_conv_table_cleanup(void);

/* Frees what was carried (program exit). */
void tlsa_conv_table_shutdown(void);

/* Every frame, on its first pass, before its conversation is looked up: the
 * capture time that tells whether a session continues the previous one and
 * whether a carried conversation is idle. */
void tlsa_conv_table_frame(const packet_info *pinfo);

/* The conversation of this frame's innermost transport, or NULL. With create,
 * a missing one is made. *side tells which endpoint sent the frame. */
tlsa_conv_t *tlsa_conv_table_find(packet_info *pinfo, proto_tree *tree, gboolean create,
                                   tlsa_protocol_t protocol, tlsa_side_t *side);

/* After the frame's decision: a conversation made by this bare SYN (bare:
 * tlsa_frame_is_bare_tcp) becomes provisional, one that carried more is
 * provisional no longer (conv_bound.h). */
void tlsa_conv_table_decided(tlsa_conv_t *conv, guint32 frame, gboolean bare);

/* While more than limit conversations are provisional (0: no limit): the
 * oldest, to fold; else NULL. */
tlsa_conv_t *tlsa_conv_table_over_limit(guint limit);

/* The stand-in of a conversation about to be folded (file scope, shared). */
const tlsa_conv_t *tlsa_conv_table_stand_in(const tlsa_conv_t *conv);

/* Removes a folded conversation from the map and frees it. */
void tlsa_conv_table_forget(tlsa_conv_t *conv);

/* What the per-frame decision needs from the file: alert notes, interned
 * strings and the alert records already seen, all in file scope. */
const tlsa_frame_env_t *tlsa_conv_table_env(void);

/* The file-scoped copy of a list of codes, one per distinct list; NULL when empty. */
const guint16 *tlsa_conv_table_intern_codes(const guint16 *codes, guint16 count);

/* The file-scoped copy of a ClientHello value (its strings and lists interned
 * already), one per distinct value. */
const tlsa_hello_t *tlsa_conv_table_intern_hello(const tlsa_hello_t *value);

#endif
