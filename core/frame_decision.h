/* frame_decision.h — the per-frame rules: from one frame's extracted events
 * (handshake messages, alerts, TCP flags, hello details) to the records it
 * yields on the tlsalerts tap.
 *
 * The Wireshark glue extracts a tlsa_frame_t from the protocol tree, finds
 * the frame's conversation, and hands both here. What happens next is decided
 * here, in pure C, and unit tested without Wireshark:
 *
 *  - the order of events inside a frame: SYN, handshake messages,
 *    ChangeCipherSpec and encrypted records (tlsa_frame_t.before), then the
 *    alerts, then FIN and RST (.after) — so an alert carried with a FIN is
 *    seen before the close, and a handshake message before the alert that
 *    follows it in the same segment;
 *  - duplicates: an alert record whose (conversation, direction, position)
 *    was seen before is marked TLSA_ALERT_DUPLICATE, not fed to the tracker
 *    and given the sender and stage known now;
 *  - records: every alert (duplicates included, so the tree can show them),
 *    a run of identical consecutive alerts (same sender, level, description,
 *    flags, stage) as one record with .repeats, then at most one TLSA_REC_CONVERSATION (the conversation's first frame)
 *    or TLSA_REC_OUTCOME (its outcome changed in this frame; or, with
 *    outcome_from == outcome_to, the version, cipher, SNI or JA3S it shows did),
 *    which also carries the likely cause before and after.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_FRAME_DECISION_H
#define TLSALERTS_FRAME_DECISION_H

#include <stdbool.h>
#include <stdint.h>

#include "conversation.h"
#include "tap_record.h"

#define TLSA_MAX_FRAME_EVENTS 256

/* One alert found in a frame, and where it sits in its stream (for
 * de-duplication: TCP sequence number and ordinal, DTLS epoch and sequence,
 * QUIC code). The alerts of one frame that share (position, extra) are
 * numbered 0, 1, 2, ... in order (ordinal): the memory of what was seen
 * keeps one count per (conversation, side, position, extra) of how many were
 * seen, not one per alert (in the place's first alert note when it is
 * listed, else in tlsa_frame_env_t.seen_count). */
typedef struct {
    tlsa_record_t record;  /* kind, protocol, level, description, flags, frame, time */
    uint64_t position;
    uint32_t extra;
    uint32_t ordinal;
} tlsa_frame_alert_t;

/* Everything the decision needs to know about one frame. */
typedef struct {
    uint32_t frame;
    int32_t  time_nsec;
    int64_t  time_sec;
    tlsa_protocol_t protocol;   /* what the frame carries */
    bool has_content;           /* any TLS/DTLS/QUIC record or alert */
    bool hello_begun;           /* no TLS dissected, but the side's first TCP payload starts a
                                 * ClientHello record (tlsa_payload_starts_client_hello); the
                                 * TLSA_EV_HELLO_BEGUN event is in before[] */
    bool dtls13_records;        /* encrypted DTLS 1.3 records (unified header) and nothing else
                                 * Wireshark dissected as DTLS; their events are in before[] and
                                 * count only for a conversation already known as DTLS
                                 * (tlsa_dtls13_records_apply) */
    bool syn, fin, rst;         /* TCP flags of the innermost TCP header */
    const char *sni, *ja3, *ja3s, *ja4; /* NULL when absent; valid during the call */
    unsigned n_before;          /* events before the frame's alerts */
    unsigned n_after;           /* events after them (FIN, RST) */
    unsigned n_alerts;
    tlsa_event_t before[TLSA_MAX_FRAME_EVENTS]; /* kind and arguments; side, frame, time set here */
    tlsa_event_t after[2];
    tlsa_frame_alert_t *alerts; /* n_alerts of them, owned by the caller */
} tlsa_frame_t;

/* What the decision needs from its surroundings: storage that lives as long
 * as the capture file, and the memory of alert records already counted. */
typedef struct {
    void *ctx;
    tlsa_alert_note_t *(*new_note)(void *ctx);  /* zeroed */
    const char *(*intern)(void *ctx, const char *s); /* NULL for NULL or "" */
    /* The one kept copy of a ClientHello value (its strings interned already). */
    const tlsa_hello_t *(*intern_hello)(void *ctx, const tlsa_hello_t *value);
    /* How many alerts of (conv, side, position, extra) were seen: a count the
     * decision updates with tlsa_seen_ordinal(), kept for the file. NULL when
     * there is none yet and !create; with create a new count of 0. Asked only
     * for the places no listed alert note of conv holds: the note of a
     * conversation's first alert at a place holds its count itself, so most
     * segments with alerts cost the environment nothing. */
    uint32_t *(*seen_count)(void *ctx, const tlsa_conv_t *conv, tlsa_side_t side, uint64_t position,
                            uint32_t extra, bool create);
} tlsa_frame_env_t;

/* The de-duplication rule, given how many alerts of one (conversation, side,
 * position, extra) were seen (*count, 0 at first): alert number `ordinal`
 * was seen before iff ordinal < *count; *count then covers it. Exact because
 * every frame numbers its alerts from 0 without gaps: what was seen of a
 * position is always alerts 0 .. *count - 1. */
bool tlsa_seen_ordinal(uint32_t *count, uint32_t ordinal);

/* The first bytes of a TCP payload start a TLS handshake record holding a
 * ClientHello: content type 22, record version 3.x (x <= 4), handshake type
 * 1, and, when present, a legacy version 3.x in the hello. Needs 6 bytes. */
bool tlsa_payload_starts_client_hello(const uint8_t *payload, unsigned length);

/* The frame carries anything the tracker or the reports care about. */
bool tlsa_frame_is_relevant(const tlsa_frame_t *frame);

/* Whether a frame of DTLS 1.3 records only (dtls13_records) is fed to this
 * conversation: a UDP conversation already known as DTLS, whose ClientHello
 * was seen. Such a frame never starts a conversation. */
bool tlsa_dtls13_records_apply(const tlsa_conv_t *conv);

/* The frame carries nothing but TCP's flags (a SYN, FIN, RST): no TLS, DTLS
 * or QUIC, no alert, no start of a ClientHello. A conversation that has seen
 * only such frames is provisional (conv_bound.h). */
bool tlsa_frame_is_bare_tcp(const tlsa_frame_t *frame);

/* A frame without a conversation starts one: it carries TLS/DTLS/QUIC, an
 * alert, the start of a ClientHello, or a SYN to a port dissected as TLS. */
bool tlsa_frame_starts_conversation(const tlsa_frame_t *frame, bool to_tls_port);

/* Feeds the frame, sent by `side`, to conv (NULL: the frame belongs to no
 * tracked conversation) and fills out[] with its records: alerts first (runs
 * of identical ones as one record), then at most one conversation/outcome
 * record. out must hold n_alerts + 1 records. Returns how many were written. */
unsigned tlsa_decide_frame(tlsa_conv_t *conv, tlsa_side_t side, tlsa_frame_t *frame,
                           const tlsa_frame_env_t *env, tlsa_record_t *out);

#endif
