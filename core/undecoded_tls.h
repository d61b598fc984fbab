/* undecoded_tls.h — TLS that Wireshark did not decode as TLS: TCP segments
 * whose payload starts with a TLS ClientHello record although no TLS
 * dissector ran on them (another dissector owns the port, e.g. TLS on port 80
 * goes to HTTP; or a STARTTLS that Wireshark does not follow, e.g. IRC). Such
 * conversations are invisible to every report unless the user adds
 * `-d tcp.port==P,tls` (Decode As), so the reports say which ports to add.
 *
 * Pure C (GLib), no Wireshark types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_UNDECODED_TLS_H
#define TLSALERTS_UNDECODED_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "tap_record.h"

/* Whether bytes at the start of a TCP payload begin a TLS record that
 * carries a ClientHello: content type 22, record version 3.x (x <= 4), a
 * record length a TLS record can have, handshake type 1, a handshake length
 * a ClientHello can have and a client_version 3.x (x <= 4). Needs the first
 * 11 bytes; fewer never match. */
bool tlsa_looks_like_client_hello(const uint8_t *bytes, size_t len);

/* Distinct ports kept; ClientHellos on further ports are counted apart. */
#define TLSA_UNDECODED_PORTS 16

typedef struct {
    uint16_t port;
    uint64_t client_hellos;
} tlsa_undecoded_port_t;

/* What a report has seen: ClientHellos per TCP destination port, in port
 * order. */
typedef struct {
    unsigned n_ports;
    tlsa_undecoded_port_t ports[TLSA_UNDECODED_PORTS];
    uint64_t other_ports; /* ClientHellos on ports beyond the first TLSA_UNDECODED_PORTS */
    uint64_t total;
} tlsa_undecoded_t;

void tlsa_undecoded_reset(tlsa_undecoded_t *u);
/* Port 0: a port beyond the ones kept (the plugin keeps
 * TLSA_UNDECODED_PORTS per file and says 0 for the rest, so that every
 * listener stays bounded). Returns whether the port is among those kept. */
bool tlsa_undecoded_add(tlsa_undecoded_t *u, uint16_t port);
/* Counts a TLSA_REC_UNDECODED_TLS record; any other record is ignored. */
void tlsa_undecoded_add_record(tlsa_undecoded_t *u, const tlsa_record_t *rec);

/* "-d tcp.port==80,tls -d tcp.port==6667,tls": the options that decode them. */
void tlsa_undecoded_options(const tlsa_undecoded_t *u, GString *out);

/* "tcp.port==80,tls": what one port's Decode As is, as tshark's -d takes it. */
void tlsa_undecoded_decode_as(uint16_t port, GString *out);

/* One sentence for the reports' notes (no final full stop), or NULL when
 * nothing was seen:
 * "3 TLS ClientHellos were not decoded as TLS (TCP port 80: 2, 6667: 1):
 * another dissector took the port or a STARTTLS was not followed; run again
 * with -d tcp.port==80,tls -d tcp.port==6667,tls". */
const char *tlsa_undecoded_note(const tlsa_undecoded_t *u, GString *out);

#endif
