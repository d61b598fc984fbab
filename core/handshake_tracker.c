/* handshake_tracker.c — the outcome state machine of one conversation.
 *
 * Outcome, decided from everything seen so far (so the same function gives
 * the final outcome at the end of a capture):
 *
 *  1. a readable failure alert before the handshake completed
 *        -> alert_by_client / alert_by_server (sender of the first one)
 *  2. TLS <= 1.2 (not DTLS), the handshake completed (ChangeCipherSpec both
 *     ways) and no application data went either way:
 *       the client's first alert came after its ChangeCipherSpec, before any
 *         data and any server alert: encrypted and before the server's
 *         ChangeCipherSpec -> client_rejected_likely (no client closes
 *         politely before the handshake completed); encrypted after it ->
 *         closed_after_handshake (a rejection and a close_notify look the
 *         same; nginx counts neither as a failed handshake); a readable
 *         failure -> alert_by_client; close_notify/user_canceled ->
 *         closed_after_handshake
 *       no alert from the client and the connection closed
 *         -> closed_after_handshake (not a failure; a server alert answering
 *         the close stays the failure alert)
 *     the handshake completed                          -> established
 *       TLS <= 1.2, DTLS: ChangeCipherSpec from both sides, or encrypted
 *         application data from both sides after the ServerHello;
 *       TLS 1.3: after the client's first encrypted record the server sent
 *         one that is not alert-sized (a session ticket or data);
 *       DTLS 1.3: the client sent an encrypted record that is not
 *         alert-sized (its Finished, data) and the server one after it (a
 *         ticket, data): the server's flight may still be arriving after the
 *         client's first record (datagrams race, and are retransmitted), and
 *         ACKs are alert-sized;
 *       QUIC: the server's HANDSHAKE_DONE frame (visible with keys); without
 *         keys, undecryptable short-header (1-RTT) packets from both sides.
 *  3. an encrypted alert before completion, or (TLS 1.3, not DTLS 1.3, whose
 *     ACKs are alert-sized) the server answered the client's flight with
 *     alert-sized encrypted records only -> encrypted_alert
 *  4. TLS 1.3: the client answered the server's flight with exactly one
 *     alert-sized encrypted record -> client_rejected_likely. Alert-sized
 *     (see alert_sized()): from 2-byte alert + content type + AEAD tag (19
 *     bytes, 11 with CCM_8) up to, not including, the suite's smallest
 *     Finished record: padding may lengthen an alert (Java: 35 bytes), never
 *     shorten a Finished.
 *  5. a FIN or RST from either side -> aborted_before_client_hello,
 *     aborted_after_client_hello or aborted_after_server_flight
 *  6. otherwise -> incomplete (the capture ended first)
 *  0. before all of them: no SYN, no handshake message, no start of a
 *     ClientHello captured (and no proof of completion) -> no_handshake_seen
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "handshake_tracker.h"

#include <string.h>

#include "alert_group.h"

#define TLS13 0x0304
#define DTLS13 0xfefc

void tlsa_tracker_init(tlsa_tracker_t *t, tlsa_protocol_t protocol, int client_hint)
{
    memset(t, 0, sizeof *t);
    t->protocol = (uint8_t)protocol;
    t->client = -1;
    t->close_side = -1;
    t->client_hint = (int8_t)(client_hint == 0 || client_hint == 1 ? client_hint : -1);
}

tlsa_sender_t tlsa_tracker_sender(const tlsa_tracker_t *t, tlsa_side_t side)
{
    int client = t->client >= 0 ? t->client : t->client_hint;
    if (client < 0)
        return TLSA_SENDER_UNKNOWN;
    return (int)side == client ? TLSA_SENDER_CLIENT : TLSA_SENDER_SERVER;
}

static bool is_tls13(const tlsa_tracker_t *t)
{
    return t->version == TLS13 || t->version == DTLS13;
}

/* The suite's AEAD tag and handshake hash lengths (TLS 1.3 suites): CCM_8 has
 * an 8-byte tag, TLS_AES_256_GCM_SHA384 a 48-byte hash. */
static unsigned suite_tag(const tlsa_tracker_t *t)
{
    return t->cipher == 0x1305 ? 8 : 16;
}

static unsigned suite_hash(const tlsa_tracker_t *t)
{
    return t->cipher == 0x1302 ? 48 : 32;
}

/* A TLS 1.3 record that can hold an alert and cannot hold a Finished: at
 * least the 2-byte alert, the content type and the tag; shorter than the
 * smallest Finished record (4-byte header, hash, content type, tag). Padding
 * (RFC 8446 5.4) lengthens records, so an alert may be longer than 19 bytes
 * (Java pads it to 35) but a Finished is never shorter. Without the suite: any
 * suite's bounds (11 up to CCM_8's 45-byte Finished). */
static bool alert_sized(const tlsa_tracker_t *t, unsigned length)
{
    if (!t->has_cipher)
        return length >= 2 + 1 + 8 && length < 4 + 32 + 1 + 8;
    unsigned tag = suite_tag(t);
    return length >= 2 + 1 + tag && length < 4 + suite_hash(t) + 1 + tag;
}

/* The server answered the client's first encrypted record with alert-sized
 * records only (TLS 1.3; GnuTLS sends two alerts in a row). */
static bool server_answer_alert_sized(const tlsa_tracker_t *t)
{
    return t->server_opaque_after_client && !t->server_big_after_client;
}

/* A TLS 1.3 Finished in one record: 4-byte handshake header, the suite's
 * hash (48 bytes for SHA-384 suites, else 32), 1-byte content type and the
 * AEAD tag (8 bytes with CCM_8, else 16); any of them when the suite is not
 * known. */
static bool finished_sized(const tlsa_tracker_t *t, unsigned length)
{
    if (!t->has_cipher)
        return length == 53 || length == 69 || length == 45 || length == 61;
    return length == 4 + suite_hash(t) + 1 + suite_tag(t);
}

/* TLS 1.3 (not DTLS): the client's records prove it completed the handshake
 * — its first encrypted record after the server's flight is Finished-sized
 * and more records follow it — and the server did not answer them with
 * alert-sized records only (a rejection of the client, e.g. certificate_required).
 * Not latched: that answer may still come. */
static bool tls13_client_completed(const tlsa_tracker_t *t)
{
    if (t->protocol != TLSA_PROTO_TLS || t->version != TLS13 || !t->seen_server_hello || t->client < 0)
        return false;
    if (t->opaque_after_flight[(int)t->client] < 2 || !finished_sized(t, t->first_client_opaque_len))
        return false;
    return !server_answer_alert_sized(t);
}

/* TLS <= 1.2 (not DTLS, not QUIC), past the ServerHello, and no application
 * data either way: nothing but handshake messages, alerts and closes. */
static bool tls12_no_data(const tlsa_tracker_t *t)
{
    return t->protocol == TLSA_PROTO_TLS && t->seen_server_hello && !is_tls13(t) &&
           t->opaque_after_flight[0] == 0 && t->opaque_after_flight[1] == 0;
}

tlsa_stage_t tlsa_tracker_stage(const tlsa_tracker_t *t)
{
    if (t->established || tls13_client_completed(t))
        return TLSA_STAGE_ESTABLISHED;
    /* Closed before completion: the stage is what the closing side had
     * received when it closed; a server flight that arrives after the
     * client's FIN does not move it. */
    if (t->closed)
        return (tlsa_stage_t)t->close_stage;
    if (t->seen_server_hello)
        return TLSA_STAGE_AFTER_SERVER_FLIGHT;
    if (t->seen_client_hello)
        return TLSA_STAGE_AFTER_CLIENT_HELLO;
    return TLSA_STAGE_BEFORE_CLIENT_HELLO;
}

/* One letter per message, like Zeek's ssl_history; client upper case, server
 * lower case, '?' when the sender is not known. */
static char handshake_letter(unsigned type)
{
    switch (type) {
    case 0: return 'Q';  /* hello_request */
    case 1: return 'C';  /* client_hello */
    case 2: return 'S';  /* server_hello */
    case 3: return 'V';  /* hello_verify_request */
    case 4: return 'T';  /* new_session_ticket */
    case 5: return 'E';  /* end_of_early_data */
    case 6: return 'J';  /* hello_retry_request */
    case 8: return 'O';  /* encrypted_extensions */
    case 11: return 'X'; /* certificate */
    case 12: return 'K'; /* server_key_exchange */
    case 13: return 'R'; /* certificate_request */
    case 14: return 'N'; /* server_hello_done */
    case 15: return 'Y'; /* certificate_verify */
    case 16: return 'G'; /* client_key_exchange */
    case 20: return 'F'; /* finished */
    case 22: return 'U'; /* certificate_status */
    case 24: return 'M'; /* key_update */
    default: return 'Z';
    }
}

static void history_add(tlsa_tracker_t *t, tlsa_side_t side, char letter, bool collapse)
{
    tlsa_sender_t sender = tlsa_tracker_sender(t, side);
    char c = sender == TLSA_SENDER_UNKNOWN ? '?' :
             sender == TLSA_SENDER_CLIENT ? letter : (char)(letter - 'A' + 'a');
    if (collapse && t->history_len > 0 && t->history[t->history_len - 1] == c)
        return;
    if (t->history_len >= TLSA_HISTORY_MAX)
        return;
    t->history[t->history_len++] = c;
    t->history[t->history_len] = '\0';
}

static void update_established(tlsa_tracker_t *t)
{
    if (t->established)
        return;
    if (t->protocol == TLSA_PROTO_QUIC) {
        t->established = t->quic_done || t->quic_1rtt == TLSA_BOTH_SIDES;
        return;
    }
    if (!t->seen_server_hello)
        return;
    if (t->protocol == TLSA_PROTO_DTLS && t->version == DTLS13) {
        t->established = t->dtls13_server_big_after;
    } else if (is_tls13(t)) {
        t->established = t->server_big_after_client;
    } else {
        t->established = t->ccs == TLSA_BOTH_SIDES ||
                         (t->opaque_after_flight[0] && t->opaque_after_flight[1]);
    }
}

static bool is_first_failure(const tlsa_tracker_t *t, const tlsa_event_t *ev)
{
    return !ev->encrypted && !t->first_failure && tlsa_is_failure(ev->description);
}

bool tlsa_tracker_wants_note(const tlsa_tracker_t *t, const tlsa_event_t *ev)
{
    return t->alerts_listed < TLSA_ALERTS_LISTED || is_first_failure(t, ev);
}

static void note_alert(tlsa_tracker_t *t, const tlsa_event_t *ev, tlsa_alert_note_t *note)
{
    if (t->alerts_count < UINT32_MAX)
        t->alerts_count++;
    if (ev->encrypted && tlsa_tracker_stage(t) != TLSA_STAGE_ESTABLISHED)
        t->encrypted_early = 1;
    tlsa_sender_t sender = tlsa_tracker_sender(t, ev->side);
    if (sender == TLSA_SENDER_SERVER)
        t->server_alerted = 1;
    if (sender == TLSA_SENDER_CLIENT && !t->client_alerted) {
        /* The client's first alert, right after its side of a TLS <= 1.2
         * handshake (its ChangeCipherSpec) with no application data yet
         * either way and not answering a server alert (a refused
         * renegotiation): a client that checks the certificate only then (NSS). */
        t->client_alerted = 1;
        if (t->protocol == TLSA_PROTO_TLS && t->seen_server_hello && !is_tls13(t) && t->client >= 0 &&
            !t->server_alerted &&
            (t->ccs & TLSA_SIDE_BIT(t->client)) && t->opaque_after_flight[0] == 0 && t->opaque_after_flight[1] == 0)
            t->quiet_client_alert = ev->encrypted ? ((t->ccs & TLSA_SIDE_BIT(1 - (int)t->client))
                                                         ? TLSA_QUIET_ENCRYPTED_LATE : TLSA_QUIET_ENCRYPTED) :
                                    tlsa_is_failure(ev->description) ? TLSA_QUIET_FAILURE : TLSA_QUIET_GRACEFUL;
    }
    if (!note || !tlsa_tracker_wants_note(t, ev))
        return;
    memset(note, 0, sizeof *note);
    note->frame = ev->frame;
    note->time_sec = ev->time_sec;
    note->time_nsec = ev->time_nsec;
    note->level = ev->level;
    note->description = ev->description;
    note->encrypted = ev->encrypted;
    note->sender = (uint8_t)tlsa_tracker_sender(t, ev->side);
    note->stage = (uint8_t)tlsa_tracker_stage(t);
    if (is_first_failure(t, ev))
        t->first_failure = note;
    if (t->alerts_listed >= TLSA_ALERTS_LISTED)
        return; /* kept as the first failure only */
    /* At the list's end, found by walking it: it holds at most
     * TLSA_ALERTS_LISTED notes, and a tail pointer would cost every
     * conversation 8 bytes. */
    tlsa_alert_note_t **end = &t->alerts;
    while (*end)
        end = &(*end)->next;
    *end = note;
    t->alerts_listed++;
}

tlsa_sender_t tlsa_tracker_feed(tlsa_tracker_t *t, const tlsa_event_t *ev, tlsa_alert_note_t *note)
{
    int side = ev->side == TLSA_SIDE_B ? 1 : 0;
    int other = 1 - side;

    if (ev->kind == TLSA_EV_SYN || ev->kind == TLSA_EV_HANDSHAKE || ev->kind == TLSA_EV_HELLO_BEGUN)
        t->start_seen = 1;
    switch (ev->kind) {
    case TLSA_EV_SYN:
        if (t->client < 0)
            t->client = (int8_t)side;
        break;
    case TLSA_EV_HANDSHAKE:
        if (ev->arg == 1) {                      /* ClientHello: its sender is the client */
            if (!t->seen_client_hello)
                t->client = (int8_t)side;
            t->seen_client_hello = 1;
            t->hello_begun = 0;                  /* dissected after all */
            t->offered |= ev->versions;
        } else if (ev->arg == 2 || ev->arg == 6) { /* ServerHello, HelloRetryRequest */
            if (t->client < 0)
                t->client = (int8_t)other;
            t->seen_server_hello = 1;
            if (ev->arg == 6)
                t->hello_retry = 1;
            if (ev->selected_version)
                t->version = ev->selected_version;
            if (ev->cipher >= 0) {
                t->cipher = (uint16_t)ev->cipher;
                t->has_cipher = 1;
            }
        }
        history_add(t, ev->side, handshake_letter(ev->arg), false);
        break;
    case TLSA_EV_CCS:
        t->ccs |= TLSA_SIDE_BIT(side);
        history_add(t, ev->side, 'I', false);
        break;
    case TLSA_EV_OPAQUE:
        if (t->seen_server_hello) {
            tlsa_sender_t sender = tlsa_tracker_sender(t, ev->side);
            if (sender == TLSA_SENDER_CLIENT && t->opaque_after_flight[side] == 0)
                t->first_client_opaque_len = (uint16_t)(ev->arg > 0xffff ? 0xffff : ev->arg);
            if (sender == TLSA_SENDER_SERVER && t->opaque_after_flight[other] > 0) {
                t->server_opaque_after_client = 1;
                if (!alert_sized(t, ev->arg))
                    t->server_big_after_client = 1;
            }
            if (t->opaque_after_flight[side] < 255)
                t->opaque_after_flight[side]++;
            if (t->protocol == TLSA_PROTO_DTLS && !alert_sized(t, ev->arg)) {
                if (sender == TLSA_SENDER_CLIENT)
                    t->dtls13_client_big = 1;
                else if (sender == TLSA_SENDER_SERVER && t->dtls13_client_big)
                    t->dtls13_server_big_after = 1;
            }
        }
        history_add(t, ev->side, 'D', true);
        break;
    case TLSA_EV_ALERT:
        note_alert(t, ev, note);
        history_add(t, ev->side, 'L', false);
        break;
    case TLSA_EV_FIN:
    case TLSA_EV_RST:
        if (!t->closed) {
            t->close_stage = (uint8_t)tlsa_tracker_stage(t);
            t->closed = 1;
            t->close_side = (int8_t)side;
            if (t->hello_begun)
                history_add(t, (tlsa_side_t)t->client, 'H', false); /* begun, never completed */
        }
        if (ev->kind == TLSA_EV_FIN)
            t->fin |= TLSA_SIDE_BIT(side);
        else
            t->rst |= TLSA_SIDE_BIT(side);
        break;
    case TLSA_EV_QUIC_1RTT:
        t->quic_1rtt |= TLSA_SIDE_BIT(side);
        break;
    case TLSA_EV_QUIC_HANDSHAKE_DONE:
        t->quic_done = 1;
        break;
    case TLSA_EV_HELLO_BEGUN:
        /* The record header announces a ClientHello: whether or not the rest
         * ever comes, the client began a handshake (a server counts it). Only
         * as the conversation's first TLS bytes: a later segment that happens
         * to start so is the middle of something else. (Deciding it here
         * rather than on TCP's relative sequence number spares wanting
         * tcp.seq, which every TCP frame carries.) */
        if (!t->seen_client_hello && t->history_len == 0) {
            t->client = (int8_t)side;
            t->seen_client_hello = 1;
            t->hello_begun = 1;
        }
        break;
    }
    update_established(t);
    return tlsa_tracker_sender(t, ev->side);
}

bool tlsa_tracker_established_may_change(const tlsa_tracker_t *t)
{
    return tls12_no_data(t);
}

tlsa_outcome_t tlsa_tracker_outcome(const tlsa_tracker_t *t)
{
    /* Nothing of the handshake was captured (an alert-only capture filter, a
     * capture that starts mid-connection): its outcome is unknown, even with
     * a readable alert — unless the records prove completion (QUIC 1-RTT). */
    if (!t->start_seen && !t->established)
        return TLSA_OUTCOME_NO_HANDSHAKE_SEEN;
    const tlsa_alert_note_t *ff = t->first_failure;
    if (ff && ff->stage != TLSA_STAGE_ESTABLISHED)
        return ff->sender == TLSA_SENDER_CLIENT ? TLSA_OUTCOME_ALERT_BY_CLIENT : TLSA_OUTCOME_ALERT_BY_SERVER;
    if (tls12_no_data(t)) {
        /* Nothing but alerts and closes after the handshake messages: the
         * client's alert right after its Finished is its verdict on the
         * handshake, whether or not the server's Finished came first. */
        if (t->quiet_client_alert == TLSA_QUIET_ENCRYPTED)
            return TLSA_OUTCOME_CLIENT_REJECTED_LIKELY;
        if (t->established) {
            if (t->quiet_client_alert == TLSA_QUIET_FAILURE)
                return TLSA_OUTCOME_ALERT_BY_CLIENT;
            if (t->quiet_client_alert == TLSA_QUIET_GRACEFUL || t->quiet_client_alert == TLSA_QUIET_ENCRYPTED_LATE ||
                (t->closed && !t->client_alerted))
                return TLSA_OUTCOME_CLOSED_AFTER_HANDSHAKE;
        }
    }
    if (t->established || tls13_client_completed(t))
        return TLSA_OUTCOME_ESTABLISHED;
    if (t->encrypted_early)
        return TLSA_OUTCOME_ENCRYPTED_ALERT;
    if (t->seen_server_hello && is_tls13(t)) {
        /* Not in DTLS 1.3: its ACKs are alert-sized. */
        if (server_answer_alert_sized(t) && t->protocol != TLSA_PROTO_DTLS)
            return TLSA_OUTCOME_ENCRYPTED_ALERT;
        int client = t->client;
        if (client >= 0 && t->opaque_after_flight[client] == 1 && alert_sized(t, t->first_client_opaque_len))
            return TLSA_OUTCOME_CLIENT_REJECTED_LIKELY;
    }
    if (t->closed) {
        switch ((tlsa_stage_t)t->close_stage) {
        case TLSA_STAGE_BEFORE_CLIENT_HELLO: return TLSA_OUTCOME_ABORTED_BEFORE_CLIENT_HELLO;
        case TLSA_STAGE_AFTER_CLIENT_HELLO: return TLSA_OUTCOME_ABORTED_AFTER_CLIENT_HELLO;
        default: return TLSA_OUTCOME_ABORTED_AFTER_SERVER_FLIGHT;
        }
    }
    return TLSA_OUTCOME_INCOMPLETE;
}
