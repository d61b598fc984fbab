/* handshake_tracker.h — one conversation's handshake, message by message, and
 * how it ended: the outcome state machine.
 *
 * The Wireshark glue turns each frame into events (a ClientHello from side A,
 * an alert from side B, a FIN, ...) and feeds them here; everything else —
 * who the client is, the stage each alert came at, the compact history, the
 * outcome — is decided here, in pure C, and unit tested without Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_HANDSHAKE_TRACKER_H
#define TLSALERTS_HANDSHAKE_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include "names.h"

/* Which endpoint of the conversation sent an event: the glue calls them A and B. */
typedef enum { TLSA_SIDE_A = 0, TLSA_SIDE_B = 1 } tlsa_side_t;

typedef enum {
    TLSA_EV_SYN,            /* TCP SYN without ACK: the sender is the client */
    TLSA_EV_HANDSHAKE,      /* a readable handshake message; arg = type (a ServerHello with
                             * the HelloRetryRequest random is fed as 6, hello_retry_request) */
    TLSA_EV_CCS,            /* ChangeCipherSpec record */
    TLSA_EV_OPAQUE,         /* application-data record (TLS 1.3: any encrypted record); arg = length */
    TLSA_EV_ALERT,          /* an alert (see alert fields) */
    TLSA_EV_FIN,
    TLSA_EV_RST,
    TLSA_EV_QUIC_1RTT,      /* a QUIC short-header packet that could not be decrypted */
    TLSA_EV_QUIC_HANDSHAKE_DONE, /* a QUIC HANDSHAKE_DONE frame (the server confirms) */
    TLSA_EV_HELLO_BEGUN,    /* a side's first payload starts a ClientHello record that Wireshark
                             * has not dissected (yet): the handshake was begun */
} tlsa_event_kind_t;

typedef struct tlsa_alert_note {
    struct tlsa_alert_note *next;
    uint32_t frame;
    uint8_t  level;
    uint8_t  description;
    uint8_t  encrypted;
    uint8_t  sender;        /* tlsa_sender_t */
    uint8_t  stage;         /* tlsa_stage_t */
    uint8_t  seen_side;     /* tlsa_side_t of seen_position */
    int32_t  time_nsec;
    int64_t  time_sec;
    /* De-duplication (frame_decision.c): a listed note of the first alert at
     * its place in the stream holds that place and how many of its alerts were
     * seen (seen_count, 0: the note holds none). The tracker leaves these. */
    uint64_t seen_position;
    uint32_t seen_extra;
    uint32_t seen_count;
} tlsa_alert_note_t;

#define TLSA_HISTORY_MAX 23

/* tlsa_tracker_t.quiet_client_alert */
enum {
    TLSA_QUIET_NONE = 0,
    TLSA_QUIET_ENCRYPTED,       /* encrypted, before the server's ChangeCipherSpec */
    TLSA_QUIET_ENCRYPTED_LATE,  /* encrypted, after it: a rejection or a close_notify */
    TLSA_QUIET_FAILURE,         /* readable failure alert */
    TLSA_QUIET_GRACEFUL         /* readable close_notify / user_canceled */
};

/* A bit per side in the tracker's per-side flags (tlsa_tracker_t.ccs, .fin, .rst, .quic_1rtt). */
#define TLSA_SIDE_BIT(side) (1u << (unsigned)(side))
#define TLSA_BOTH_SIDES 3u

/* Flags are bits: a tracker is part of every conversation (conversation.h). */
typedef struct {
    uint8_t  protocol;          /* tlsa_protocol_t */
    int8_t   client;            /* tlsa_side_t of the client, -1 while unknown */
    int8_t   client_hint;       /* side that is not on a well-known port, -1 if none */
    uint8_t  history_len;
    uint16_t offered;           /* TLSA_V_* the ClientHello offered */
    uint16_t version;           /* negotiated version, wire value (0x0304), 0 unknown */
    uint16_t cipher;            /* cipher suite the server chose */
    uint8_t  has_cipher : 1;
    uint8_t  seen_client_hello : 1, seen_server_hello : 1, hello_retry : 1;
    uint8_t  hello_begun : 1;   /* the start of a ClientHello record was seen (TLSA_EV_HELLO_BEGUN) */
    uint8_t  start_seen : 1;    /* a SYN, a handshake message or the start of a ClientHello */
    uint8_t  closed : 1;        /* a FIN or RST was seen */
    uint8_t  quic_done : 1;
    uint8_t  established : 1;   /* handshake complete (see tlsa_tracker_outcome) */
    uint8_t  encrypted_early : 1; /* an encrypted alert came before completion */
    uint8_t  client_alerted : 1; /* the client sent an alert (any) */
    uint8_t  server_alerted : 1; /* the server sent an alert (any) */
    uint8_t  server_opaque_after_client : 1; /* server sent encrypted records after the client's */
    uint8_t  server_big_after_client : 1; /* one of them was not alert-sized (a ticket, data) */
    uint8_t  dtls13_client_big : 1; /* DTLS 1.3: the client sent a record after the server's hello
                                     * that is not alert-sized (its Finished, data) */
    uint8_t  dtls13_server_big_after : 1; /* DTLS 1.3: after that, the server sent one (a ticket, data) */
    uint8_t  ccs : 2;           /* ChangeCipherSpec seen: TLSA_SIDE_BIT per side */
    uint8_t  fin : 2, rst : 2;  /* TLSA_SIDE_BIT per side */
    uint8_t  quic_1rtt : 2;     /* TLSA_SIDE_BIT per side */
    int8_t   close_side;        /* tlsa_side_t that sent the first FIN/RST, -1 none */
    uint8_t  close_stage;       /* tlsa_stage_t when the first FIN/RST came: what the closing
                                 * side had received (packet order) */
    uint8_t  opaque_after_flight[2]; /* encrypted records per side after the server hello (capped) */
    uint16_t first_client_opaque_len; /* length of the client's first such record */
    uint8_t  quiet_client_alert; /* TLS <= 1.2: the client's first alert came after its
                                  * ChangeCipherSpec with no application data yet either way
                                  * and no alert from the server before it (TLSA_QUIET_*) */
    uint16_t alerts_listed;     /* notes in the alerts list, at most TLSA_ALERTS_LISTED */
    uint32_t alerts_count;      /* every alert fed, listed or not */
    char     history[TLSA_HISTORY_MAX + 1];
    tlsa_alert_note_t *alerts;  /* the first TLSA_ALERTS_LISTED, in order; owned by the caller's allocator */
    tlsa_alert_note_t *first_failure; /* in the list, or a note of its own past it */
} tlsa_tracker_t;

/* How many alerts a conversation lists (the reports' per-conversation alert
 * list); every alert is still counted, and a first failure alert past the
 * list is still kept. Bounds what an alert flood can make a conversation hold. */
#define TLSA_ALERTS_LISTED 64

typedef struct {
    tlsa_event_kind_t kind;
    tlsa_side_t side;
    uint32_t frame;
    int32_t  time_nsec;
    int64_t  time_sec;
    uint32_t arg;               /* handshake type, record length */
    /* alerts */
    uint8_t level, description, encrypted;
    /* ClientHello / ServerHello details */
    uint16_t versions;          /* TLSA_V_* (ClientHello: offered; ServerHello: selected) */
    uint16_t selected_version;  /* ServerHello: wire value of the selected version */
    int32_t  cipher;            /* ServerHello: chosen suite, -1 if none */
} tlsa_event_t;

void tlsa_tracker_init(tlsa_tracker_t *t, tlsa_protocol_t protocol, int client_hint);

/* Whether the tracker keeps a note of this alert event: while its list has
 * room, and for the first readable failure alert. */
bool tlsa_tracker_wants_note(const tlsa_tracker_t *t, const tlsa_event_t *ev);

/* Feeds one event. For an alert that tlsa_tracker_wants_note(), note must
 * point to caller-allocated storage that lives as long as the tracker; it is
 * filled and kept. Otherwise note may be NULL. Constant time per event.
 * Returns the sender of the event (client/server/unknown) as the tracker sees
 * it now. */
tlsa_sender_t tlsa_tracker_feed(tlsa_tracker_t *t, const tlsa_event_t *ev, tlsa_alert_note_t *note);

/* The outcome as if the capture ended now. */
tlsa_outcome_t tlsa_tracker_outcome(const tlsa_tracker_t *t);

/* An established outcome that may still change: TLS <= 1.2 with no
 * application data yet either way (the client's first alert or a close may
 * still make it a rejection or closed_after_handshake). */
bool tlsa_tracker_established_may_change(const tlsa_tracker_t *t);

/* The stage the handshake has reached. */
tlsa_stage_t tlsa_tracker_stage(const tlsa_tracker_t *t);

tlsa_sender_t tlsa_tracker_sender(const tlsa_tracker_t *t, tlsa_side_t side);

#endif
