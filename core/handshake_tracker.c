/* handshake_tracker.c — the outcome state machine of one conversation.
 *
 * Outcome, decided from everything seen so far (so the same function gives
 * the final outcome at the end of a capture):
 *
 *  1. a readable failure alert before the handshake completed
 *        -> alert_by_client / alert_by_server (sender of the first one)
 *  2. the handshake completed                          -> established
 *       TLS <= 1.2, DTLS: ChangeCipherSpec from both sides, or encrypted
 *         application data from both sides after the ServerHello;
 *       TLS 1.3: the server sent an encrypted record larger than an alert
 *         after the client's first encrypted record (session ticket or data);
 *       QUIC: the server's HANDSHAKE_DONE frame (visible with keys); without
 *         keys, undecryptable short-header (1-RTT) packets from both sides.
 *  3. an encrypted alert before completion, or (TLS 1.3) the server answered
 *     the client's flight with one alert-sized encrypted record -> encrypted_alert
 *  4. TLS 1.3: the client answered the server's flight with exactly one
 *     alert-sized encrypted record (19 bytes: 2-byte alert + content type +
 *     16-byte AEAD tag; 11 with an 8-byte tag) -> client_rejected_likely
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

static bool alert_sized(unsigned length)
{
    return length == 19 || length == 11;
}

static bool is_tls13(const tlsa_tracker_t *t)
{
    return t->version == TLS13 || t->version == DTLS13;
}

/* A TLS 1.3 Finished in one record: 4-byte handshake header, the suite's
 * hash (48 bytes for SHA-384 suites, else 32), 1-byte content type and the
 * AEAD tag (8 bytes with CCM_8, else 16); any of them when the suite is not
 * known. */
static bool finished_sized(const tlsa_tracker_t *t, unsigned length)
{
    if (!t->has_cipher)
        return length == 53 || length == 69 || length == 45 || length == 61;
    unsigned hash = t->cipher == 0x1302 ? 48 : 32;
    unsigned tag = t->cipher == 0x1305 ? 8 : 16;
    return length == 4 + hash + 1 + tag;
}

/* TLS 1.3 (not DTLS): the client's records prove it completed the handshake
 * — its first encrypted record after the server's flight is Finished-sized
 * and more records follow it — and the server did not answer them with one
 * alert-sized record (a rejection of the client, e.g. certificate_required).
 * Not latched: that answer may still come. */
static bool tls13_client_completed(const tlsa_tracker_t *t)
{
    if (t->protocol != TLSA_PROTO_TLS || t->version != TLS13 || !t->seen_server_hello || t->client < 0)
        return false;
    if (t->opaque_after_flight[(int)t->client] < 2 || !finished_sized(t, t->first_client_opaque_len))
        return false;
    return !(t->server_opaque_after_client && alert_sized(t->server_opaque_len_after_client));
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
        t->established = t->quic_done || (t->quic_1rtt[0] && t->quic_1rtt[1]);
        return;
    }
    if (!t->seen_server_hello)
        return;
    if (is_tls13(t)) {
        t->established = t->server_opaque_after_client && !alert_sized(t->server_opaque_len_after_client);
    } else {
        t->established = (t->ccs[0] && t->ccs[1]) ||
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
    if (t->alerts_tail)
        t->alerts_tail->next = note;
    else
        t->alerts = note;
    t->alerts_tail = note;
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
        t->ccs[side] = 1;
        history_add(t, ev->side, 'I', false);
        break;
    case TLSA_EV_OPAQUE:
        if (t->seen_server_hello) {
            tlsa_sender_t sender = tlsa_tracker_sender(t, ev->side);
            if (sender == TLSA_SENDER_CLIENT && t->opaque_after_flight[side] == 0)
                t->first_client_opaque_len = (uint16_t)(ev->arg > 0xffff ? 0xffff : ev->arg);
            if (sender == TLSA_SENDER_SERVER && !t->server_opaque_after_client &&
                t->opaque_after_flight[other] > 0) {
                t->server_opaque_after_client = 1;
                t->server_opaque_len_after_client = (uint8_t)(ev->arg > 255 ? 255 : ev->arg);
            }
            if (t->opaque_after_flight[side] < 255)
                t->opaque_after_flight[side]++;
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
            t->fin[side] = 1;
        else
            t->rst[side] = 1;
        break;
    case TLSA_EV_QUIC_1RTT:
        t->quic_1rtt[side] = 1;
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
    if (t->established || tls13_client_completed(t))
        return TLSA_OUTCOME_ESTABLISHED;
    if (t->encrypted_early)
        return TLSA_OUTCOME_ENCRYPTED_ALERT;
    if (t->seen_server_hello && is_tls13(t)) {
        if (t->server_opaque_after_client && alert_sized(t->server_opaque_len_after_client))
            return TLSA_OUTCOME_ENCRYPTED_ALERT;
        int client = t->client;
        if (client >= 0 && t->opaque_after_flight[client] == 1 && alert_sized(t->first_client_opaque_len))
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
