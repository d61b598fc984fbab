/* conversation.h — one TLS/DTLS/QUIC conversation as the reports see it:
 * its endpoints (inner ones in tunnels), tunnel, hello details and the
 * handshake tracker. Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_CONVERSATION_H
#define TLSALERTS_CONVERSATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handshake_tracker.h"

typedef struct {
    uint8_t family;   /* 4, 6, or 0 when absent */
    uint8_t addr[16];
} tlsa_ip_t;

/* The VXLAN tunnel a conversation's frames came through: its VNI and the
 * outer endpoints in canonical order (a <= b). On a tunnel's underlay (the two
 * VTEPs swap with the direction) both directions share one tunnel; a VPC
 * Traffic Mirroring session (one outer source and destination both ways) is
 * one tunnel, and two sessions (other VNI, other source) are two. The glue
 * keeps one copy per distinct tunnel (a capture has a handful), shared by its
 * conversations. */
typedef struct {
    tlsa_ip_t outer_a, outer_b;
    uint32_t vni;
} tlsa_tunnel_t;

/* Inner 5-tuple plus the tunnel: two mirror sessions never merge. Endpoints
 * are in canonical order (a <= b), so both directions share one key. Keys
 * compare the tunnel by value, so a key made in one session finds its
 * conversation carried from another (conv_carry.h). */
typedef struct {
    tlsa_ip_t a, b;
    uint16_t port_a, port_b;
    uint8_t  transport;   /* 6 TCP, 17 UDP */
    const tlsa_tunnel_t *tunnel; /* NULL when not tunnelled */
} tlsa_conv_key_t;

/* What the conversation's ClientHello said: who the client is (SNI and
 * fingerprints) and, while a security policy is set, what it offered. The
 * glue keeps one copy per distinct value (a fleet sends a handful), so the
 * fields are set by making a new value (tlsa_frame_env_t.intern_hello). */
typedef struct {
    const char *sni, *ja3, *ja4;   /* interned; NULL when not seen */
    const uint16_t *ciphers;       /* cipher suites offered (file scope), NULL when none */
    const uint16_t *groups;        /* its supported_groups, NULL when it had none */
    uint16_t n_ciphers, n_groups;
    uint8_t  lists;                /* the lists above were read */
    uint8_t  legacy;               /* the ClientHello had no supported_versions */
} tlsa_hello_t;

/* tlsa_conv_t.resumed: a conversation carried across a session reset. */
#define TLSA_RESUMED_UNDECIDED 1 /* with its handshake state; not counted yet */
#define TLSA_RESUMED_COUNTED 2   /* its handshake was counted in an earlier session */

typedef struct tlsa_conv {
    tlsa_conv_key_t key;           /* first: a pointer to a conversation is one to its key */
    uint32_t id;                   /* 1, 2, ... in order of first frame */
    uint32_t first_frame, last_frame;
    uint8_t  outcome;              /* last outcome reported on the tap */
    uint8_t  cause;                /* last likely-cause rule reported (index + 1, 0: none) */
    uint8_t  record_frames;        /* frames that yielded a record of it (saturates at 255) */
    uint8_t  resumed : 2;          /* continues a conversation of an earlier session
                                    * (conv_carry.h): TLSA_RESUMED_* */
    uint8_t  provisional : 2;      /* only TCP's handshake and closes seen so far: may be
                                    * folded (conv_bound.h; 1 open, 2 closed) */
    uint8_t  outer_src_b : 1;      /* the outer source of its first frame (the mirror source)
                                    * is the tunnel's outer_b, else outer_a */
    int32_t  first_nsec, last_nsec;
    int64_t  first_sec, last_sec;
    const tlsa_hello_t *hello;     /* NULL when no ClientHello detail was seen */
    const char *ja3s;              /* interned; NULL when not seen */
    tlsa_tracker_t tracker;
} tlsa_conv_t;

/* Canonical key from one direction; *side tells which endpoint sent. */
void tlsa_conv_key_make(tlsa_conv_key_t *key, const tlsa_ip_t *src, uint16_t sport,
                        const tlsa_ip_t *dst, uint16_t dport, uint8_t transport,
                        const tlsa_tunnel_t *tunnel, tlsa_side_t *side);

/* The tunnel of a frame from outer_src to outer_dst (either NULL: absent);
 * *src_is_b tells whether outer_src is the tunnel's outer_b. */
void tlsa_tunnel_make(tlsa_tunnel_t *tunnel, const tlsa_ip_t *outer_src, const tlsa_ip_t *outer_dst,
                      uint32_t vni, bool *src_is_b);
unsigned tlsa_tunnel_hash(const tlsa_tunnel_t *tunnel);
bool tlsa_tunnel_equal(const tlsa_tunnel_t *x, const tlsa_tunnel_t *y);

unsigned tlsa_conv_key_hash(const tlsa_conv_key_t *key);
bool tlsa_conv_key_equal(const tlsa_conv_key_t *x, const tlsa_conv_key_t *y);

/* *copy = *key, its tunnel copied into *tunnel: a key that outlives the file
 * scope the tunnel was kept in (a session reset's carried conversations). */
void tlsa_conv_key_copy(tlsa_conv_key_t *copy, tlsa_tunnel_t *tunnel, const tlsa_conv_key_t *key);

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

/* The outer source of the conversation's first frame, NULL when not tunnelled. */
const tlsa_ip_t *tlsa_conv_outer_src(const tlsa_conv_t *conv);

/* The ClientHello's SNI, JA3 and JA4: NULL when not seen. */
static inline const char *tlsa_conv_sni(const tlsa_conv_t *conv) { return conv->hello ? conv->hello->sni : NULL; }
static inline const char *tlsa_conv_ja3(const tlsa_conv_t *conv) { return conv->hello ? conv->hello->ja3 : NULL; }
static inline const char *tlsa_conv_ja4(const tlsa_conv_t *conv) { return conv->hello ? conv->hello->ja4 : NULL; }

/* The conversation's ClientHello value, or all zero when none was seen: the
 * start of a changed value (tlsa_hello_t is kept once per distinct value). */
void tlsa_conv_hello_value(const tlsa_conv_t *conv, tlsa_hello_t *value);

unsigned tlsa_hello_hash(const tlsa_hello_t *hello);
bool tlsa_hello_equal(const tlsa_hello_t *x, const tlsa_hello_t *y);

#endif
