/* frame_decision.c — the per-frame rules (see frame_decision.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "frame_decision.h"

#include <string.h>

#include "conv_policy.h"

bool tlsa_payload_starts_client_hello(const uint8_t *p, unsigned length)
{
    if (length < 6 || p[0] != 22 || p[1] != 3 || p[2] > 4 || p[5] != 1)
        return false;
    unsigned record_length = (unsigned)p[3] << 8 | p[4];
    if (record_length < 4)
        return false;
    return length < 10 || p[9] == 3;
}

bool tlsa_seen_ordinal(uint32_t *count, uint32_t ordinal)
{
    if (ordinal < *count)
        return true;
    *count = ordinal == UINT32_MAX ? UINT32_MAX : ordinal + 1;
    return false;
}

bool tlsa_frame_is_relevant(const tlsa_frame_t *frame)
{
    return frame->has_content || frame->hello_begun || frame->dtls13_records || frame->n_alerts > 0 ||
           frame->syn || frame->fin || frame->rst;
}

bool tlsa_dtls13_records_apply(const tlsa_conv_t *conv)
{
    return conv && conv->tracker.protocol == TLSA_PROTO_DTLS && conv->tracker.seen_client_hello;
}

bool tlsa_frame_is_bare_tcp(const tlsa_frame_t *frame)
{
    return !frame->has_content && !frame->hello_begun && frame->n_alerts == 0;
}

bool tlsa_frame_starts_conversation(const tlsa_frame_t *frame, bool to_tls_port)
{
    return frame->has_content || frame->hello_begun || frame->n_alerts > 0 || (frame->syn && to_tls_port);
}

static void stamp_event(tlsa_event_t *ev, tlsa_side_t side, const tlsa_frame_t *frame)
{
    ev->side = side;
    ev->frame = frame->frame;
    ev->time_sec = frame->time_sec;
    ev->time_nsec = frame->time_nsec;
}

static void remember_hello_details(tlsa_conv_t *conv, const tlsa_frame_t *frame, const tlsa_frame_env_t *env)
{
    if (frame->ja3s && !conv->ja3s)
        conv->ja3s = env->intern(env->ctx, frame->ja3s);
    tlsa_hello_t value;
    tlsa_conv_hello_value(conv, &value);
    if ((!frame->sni || value.sni) && (!frame->ja3 || value.ja3) && (!frame->ja4 || value.ja4))
        return;
    if (frame->sni && !value.sni)
        value.sni = env->intern(env->ctx, frame->sni);
    if (frame->ja3 && !value.ja3)
        value.ja3 = env->intern(env->ctx, frame->ja3);
    if (frame->ja4 && !value.ja4)
        value.ja4 = env->intern(env->ctx, frame->ja4);
    conv->hello = env->intern_hello(env->ctx, &value);
}

/* The count of alerts seen at (side, position, extra) that a listed note of
 * the tracker holds, or NULL. */
static uint32_t *noted_count(tlsa_tracker_t *t, tlsa_side_t side, uint64_t position, uint32_t extra)
{
    for (tlsa_alert_note_t *n = t->alerts; n; n = n->next)
        if (n->seen_count && n->seen_position == position && n->seen_extra == extra && n->seen_side == (uint8_t)side)
            return &n->seen_count;
    return NULL;
}

static void decide_alert(tlsa_conv_t *conv, tlsa_side_t side, const tlsa_frame_t *frame,
                         tlsa_frame_alert_t *alert, const tlsa_frame_env_t *env)
{
    tlsa_record_t *rec = &alert->record;
    rec->conv = conv;
    uint32_t *count = noted_count(&conv->tracker, side, alert->position, alert->extra);
    if (!count)
        count = env->seen_count(env->ctx, conv, side, alert->position, alert->extra, false);
    if (count && tlsa_seen_ordinal(count, alert->ordinal)) {
        rec->flags |= TLSA_ALERT_DUPLICATE;
        rec->sender = (uint8_t)tlsa_tracker_sender(&conv->tracker, side);
        rec->stage = (uint8_t)tlsa_tracker_stage(&conv->tracker);
        return;
    }
    tlsa_event_t ev = { .kind = TLSA_EV_ALERT, .cipher = -1, .level = rec->level,
                        .description = rec->description,
                        .encrypted = tlsa_alert_is_encrypted(rec) ? 1 : 0 };
    stamp_event(&ev, side, frame);
    /* Sender and stage as the tracker sees them when the alert arrives (an
     * alert changes neither). */
    rec->sender = (uint8_t)tlsa_tracker_sender(&conv->tracker, side);
    rec->stage = (uint8_t)tlsa_tracker_stage(&conv->tracker);
    tlsa_alert_note_t *note = tlsa_tracker_wants_note(&conv->tracker, &ev) ? env->new_note(env->ctx) : NULL;
    uint16_t listed = conv->tracker.alerts_listed;
    tlsa_tracker_feed(&conv->tracker, &ev, note);
    if (count)
        return;
    /* The first alert at this place: its note holds the count when it is in
     * the list (which noted_count walks), else the environment does. */
    if (note && conv->tracker.alerts_listed > listed) {
        note->seen_side = (uint8_t)side;
        note->seen_position = alert->position;
        note->seen_extra = alert->extra;
        count = &note->seen_count;
    } else {
        count = env->seen_count(env->ctx, conv, side, alert->position, alert->extra, true);
    }
    tlsa_seen_ordinal(count, alert->ordinal);
}

/* Appends an alert record to out[], or makes it one more repeat of the last
 * record when that is the same alert: a segment of thousands of identical
 * alerts yields one record (listeners count .repeats + 1). */
static unsigned append_alert(tlsa_record_t *out, unsigned n, const tlsa_record_t *rec)
{
    if (n > 0) {
        tlsa_record_t *last = &out[n - 1];
        if (last->kind == TLSA_REC_ALERT && rec->kind == TLSA_REC_ALERT && rec->repeats == 0 &&
            last->repeats < UINT32_MAX &&
            last->frame == rec->frame && last->conv == rec->conv && last->protocol == rec->protocol &&
            last->level == rec->level && last->description == rec->description && last->flags == rec->flags &&
            last->sender == rec->sender && last->stage == rec->stage) {
            last->repeats++;
            return n;
        }
    }
    out[n] = *rec;
    return n + 1;
}

/* The conversation's likely-cause rule as it stands (index + 1, 0: none):
 * it follows the outcome, so it is worked out with each outcome record. */
static unsigned likely_cause_index(const tlsa_conv_t *conv)
{
    unsigned n;
    const tlsa_cause_rule_t *rules = tlsa_cause_rules(&n);
    const tlsa_cause_rule_t *rule = tlsa_conv_cause_rule(conv, tlsa_policy_active());
    return rule ? (unsigned)(rule - rules) + 1 : 0;
}

unsigned tlsa_decide_frame(tlsa_conv_t *conv, tlsa_side_t side, tlsa_frame_t *frame,
                           const tlsa_frame_env_t *env, tlsa_record_t *out)
{
    unsigned n = 0;

    if (!conv) {
        for (unsigned i = 0; i < frame->n_alerts; i++)
            n = append_alert(out, n, &frame->alerts[i].record);
        return n;
    }

    if (frame->dtls13_records && !frame->has_content && !tlsa_dtls13_records_apply(conv))
        return 0;
    bool is_new = conv->last_frame == 0;
    /* What a conversation row shows besides the outcome: a frame that changes
     * it (a ServerHello after the client's FIN) yields a record too, so the
     * GUI table's row, which shows the conversation up to its last record,
     * reads the same in one pass and two. */
    uint16_t version = conv->tracker.version, cipher = conv->tracker.cipher;
    uint8_t has_cipher = conv->tracker.has_cipher;
    const char *sni = tlsa_conv_sni(conv), *ja3s = conv->ja3s;
    for (unsigned i = 0; i < frame->n_before; i++) {
        stamp_event(&frame->before[i], side, frame);
        tlsa_tracker_feed(&conv->tracker, &frame->before[i], NULL);
    }
    for (unsigned i = 0; i < frame->n_alerts; i++) {
        decide_alert(conv, side, frame, &frame->alerts[i], env);
        n = append_alert(out, n, &frame->alerts[i].record);
    }
    for (unsigned i = 0; i < frame->n_after; i++) {
        stamp_event(&frame->after[i], side, frame);
        tlsa_tracker_feed(&conv->tracker, &frame->after[i], NULL);
    }

    remember_hello_details(conv, frame, env);
    conv->last_frame = frame->frame;
    conv->last_sec = frame->time_sec;
    conv->last_nsec = frame->time_nsec;

    tlsa_outcome_t outcome = tlsa_tracker_outcome(&conv->tracker);
    bool row_changed = version != conv->tracker.version || cipher != conv->tracker.cipher ||
                       has_cipher != conv->tracker.has_cipher || sni != tlsa_conv_sni(conv) || ja3s != conv->ja3s;
    if (is_new || outcome != (tlsa_outcome_t)conv->outcome || row_changed) {
        tlsa_record_t *rec = &out[n++];
        memset(rec, 0, sizeof *rec);
        rec->kind = is_new ? TLSA_REC_CONVERSATION : TLSA_REC_OUTCOME;
        rec->frame = frame->frame;
        rec->protocol = conv->tracker.protocol;
        rec->outcome_from = is_new ? (uint8_t)TLSA_OUTCOME_COUNT : conv->outcome;
        rec->outcome_to = (uint8_t)outcome;
        rec->stage = (uint8_t)tlsa_tracker_stage(&conv->tracker);
        rec->conv = conv;
        conv->outcome = (uint8_t)outcome;
        rec->cause_from = is_new ? 0 : conv->cause;
        rec->cause_to = conv->cause = (uint8_t)likely_cause_index(conv);
    }
    for (unsigned i = 0; i < n; i++)
        out[i].history_len = conv->tracker.history_len;
    if (n > 0 && conv->record_frames < UINT8_MAX)
        conv->record_frames++;
    return n;
}
