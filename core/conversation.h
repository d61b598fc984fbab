/* conversation.h — one TLS/DTLS/QUIC conversation as the reports see it:
 * its endpoints (inner ones in tunnels), tunnel, hello details and the
 * handshake tracker. Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_H
#define TLSALERTS_CONVERSATION_H

#include <stdbool.h>
#include <stdint.h>

#include "handshake_tracker.h"

typedef struct {
    uint8_t family;   /* 4, 6, or 0 when absent */
    uint8_t addr[16];
} tlsa_ip_t;

/* Inner 5-tuple plus the tunnel: two mirror sessions never merge. Endpoints
 * are in canonical order (a <= b), so both directions share one key; so are
 * the tunnel's outer endpoints: on a tunnel's underlay (the two VTEPs swap
 * with the direction) both directions share one key too, while a VPC Traffic
 * Mirroring session (one outer source and destination both ways) keys as
 * before and two sessions (other VNI, other source) stay apart. */
typedef struct {
    tlsa_ip_t a, b;
    tlsa_ip_t outer_a, outer_b; /* outer endpoints of the tunnel, canonical order */
    uint16_t port_a, port_b;
    uint8_t  transport;   /* 6 TCP, 17 UDP */
    uint8_t  has_vni;
    uint32_t vni;
} tlsa_conv_key_t;

/* tlsa_conv_t.resumed: a conversation carried across a session reset. */
#define TLSA_RESUMED_UNDECIDED 1 /* with its handshake state; not counted yet */
#define TLSA_RESUMED_COUNTED 2   /* its handshake was counted in an earlier session */

typedef struct tlsa_conv {
    tlsa_conv_key_t key;
    tlsa_ip_t outer_src;           /* outer source of the first frame (the mirror source) */
    uint32_t id;                   /* 1, 2, ... in order of first frame */
    uint32_t first_frame, last_frame;
    int32_t  first_nsec, last_nsec;
    int64_t  first_sec, last_sec;
    const char *sni, *ja3, *ja3s, *ja4; /* interned; NULL when not seen */
    uint8_t  outcome;              /* last outcome reported on the tap */
    uint8_t  cause;                /* last likely-cause rule reported (index + 1, 0: none) */
    uint8_t  hello_lists;          /* the ClientHello's lists below were read */
    uint8_t  hello_legacy;         /* the ClientHello had no supported_versions */
    uint8_t  resumed;              /* continues a conversation of an earlier session
                                    * (conv_carry.h): TLSA_RESUMED_* */
    uint8_t  provisional;          /* only TCP's handshake and closes seen so far: may be
                                    * folded (conv_bound.h; 1 open, 2 closed) */
    uint8_t  record_frames;        /* frames that yielded a record of it (saturates at 255) */
    uint16_t n_hello_ciphers, n_hello_groups;
    uint32_t record_frame;         /* the latest frame that yielded a record of it */
    const uint16_t *hello_ciphers; /* cipher suites the ClientHello offered (file scope) */
    const uint16_t *hello_groups;  /* its supported_groups, NULL when it had none */
    tlsa_tracker_t tracker;
} tlsa_conv_t;

/* Canonical key from one direction; *side tells which endpoint sent. */
void tlsa_conv_key_make(tlsa_conv_key_t *key, const tlsa_ip_t *src, uint16_t sport,
                        const tlsa_ip_t *dst, uint16_t dport, uint8_t transport,
                        const tlsa_ip_t *outer_src, const tlsa_ip_t *outer_dst,
                        bool has_vni, uint32_t vni, tlsa_side_t *side);

unsigned tlsa_conv_key_hash(const tlsa_conv_key_t *key);
bool tlsa_conv_key_equal(const tlsa_conv_key_t *x, const tlsa_conv_key_t *y);

/* The side that is probably the client judging by ports alone (-1 if no clue):
 * the side off a port below 1024, else the side with the higher port. */
int tlsa_conv_port_hint(const tlsa_conv_key_t *key);

/* The client's and server's endpoint (the client as the tracker knows it; side A
 * when it is unknown). */
const tlsa_ip_t *tlsa_conv_client_ip(const tlsa_conv_t *conv, uint16_t *port);
const tlsa_ip_t *tlsa_conv_server_ip(const tlsa_conv_t *conv, uint16_t *port);

/* "192.0.2.1", "2001:db8::1", "" when absent. */
const char *tlsa_ip_text(const tlsa_ip_t *ip, char *buf, unsigned size);

tlsa_outcome_t tlsa_conv_outcome(const tlsa_conv_t *conv);

#endif
