/* conversation_text.h — one conversation's facts as text, the same for every
 * report (table, CSV, JSON, GUI), for the column model (conv_columns.c).
 * Pure C + GLib.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_TEXT_H
#define TLSALERTS_CONVERSATION_TEXT_H

#include <glib.h>

#include "conversation.h"

typedef struct {
    char client_ip[48], server_ip[48], outer_src[48]; /* outer_src: "" when not tunnelled */
    char client_port[8], server_port[8];
    char offered[96];          /* "TLS 1.2|TLS 1.3" */
    char version[16];          /* negotiated */
    char cipher[8];            /* "0x1302" */
    const char *sni, *ja3, *ja3s, *ja4;  /* "" when absent */
    const char *protocol;      /* tls, dtls, quic */
    const char *outcome;
    gboolean failed;           /* failed handshake */
    const char *stage;         /* stage reached */
    const char *failure_sender;/* "" if none */
    const char *group;         /* group of the first failure alert, "" if none */
    char first_time[40];       /* ISO 8601 UTC */
    const char *history;
    const char *policy_verdict;/* verdict against the active policy, "" when none */
    char likely_cause[256];    /* likely-cause sentence of a failed handshake, "" otherwise */
} tlsa_conv_text_t;

void tlsa_conv_text(const tlsa_conv_t *conv, tlsa_conv_text_t *text);

/* The "Version (or offered)" cell of the conversation tables: the negotiated
 * version, else "offered TLS 1.2|TLS 1.3", else "". */
#define TLSA_VERSION_CELL_SIZE (sizeof(((tlsa_conv_text_t *)0)->offered) + 16)
void tlsa_conv_version_cell(const tlsa_conv_text_t *text, char *buf, size_t size);

/* "2026-11-22T22:26:21.288302Z" */
void tlsa_iso8601(int64_t sec, int32_t nsec, char *buf, size_t size);

#endif
