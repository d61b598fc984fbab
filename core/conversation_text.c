/* conversation_text.c — one conversation's facts as text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation_text.h"

#include "conv_policy.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert_group.h"
#include "number_text.h"

void tlsa_iso8601(int64_t sec, int32_t nsec, char *buf, size_t size)
{
    char fast[32];
    if (tlsa_iso8601_fast(fast, sec, nsec)) {
        g_strlcpy(buf, fast, size);
        return;
    }
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06dZ", date, (int)(nsec / 1000));
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The verdict against the active policy and the likely cause. */
static void tlsa_conv_policy_text(const tlsa_conv_t *conv, tlsa_conv_text_t *text)
{
    const tlsa_policy_t *policy = tlsa_policy_active();
    text->policy_verdict = tlsa_verdict_name(tlsa_conv_verdict(conv, policy));
    char *cause = tlsa_conv_likely_cause(conv, policy);
    if (cause)
        g_strlcpy(text->likely_cause, cause, sizeof text->likely_cause);
    g_free(cause);
}

void tlsa_conv_text(const tlsa_conv_t *conv, tlsa_conv_text_t *text)
{
    const tlsa_tracker_t *t = &conv->tracker;
    uint16_t port;

    memset(text, 0, sizeof *text);
    tlsa_ip_text(tlsa_conv_client_ip(conv, &port), text->client_ip, sizeof text->client_ip);
    tlsa_uint_text(text->client_port, port);
    tlsa_ip_text(tlsa_conv_server_ip(conv, &port), text->server_ip, sizeof text->server_ip);
    tlsa_uint_text(text->server_port, port);
    if (conv->key.tunnel)
        tlsa_ip_text(tlsa_conv_outer_src(conv), text->outer_src, sizeof text->outer_src);
    tlsa_versions_text(t->offered, text->offered, sizeof text->offered);
    if (t->version) {
        const char *name = tlsa_version_name(t->version, text->version, sizeof text->version);
        if (name != text->version)
            snprintf(text->version, sizeof text->version, "%s", name);
    }
    if (t->has_cipher)
        tlsa_hex16_text(text->cipher, t->cipher);
    text->sni = or_empty(tlsa_conv_sni(conv));
    text->ja3 = or_empty(tlsa_conv_ja3(conv));
    text->ja3s = or_empty(conv->ja3s);
    text->ja4 = or_empty(tlsa_conv_ja4(conv));
    text->protocol = tlsa_protocol_name(t->protocol);
    tlsa_outcome_t outcome = tlsa_conv_outcome(conv);
    text->outcome = tlsa_outcome_name(outcome);
    text->failed = tlsa_outcome_is_failure(outcome);
    text->stage = tlsa_stage_name(tlsa_tracker_stage(t));
    text->failure_sender = "";
    text->group = "";
    tlsa_conv_policy_text(conv, text);
    const tlsa_alert_note_t *ff = t->first_failure;
    if (ff) {
        text->failure_sender = tlsa_sender_name((tlsa_sender_t)ff->sender);
        text->group = tlsa_group_name(tlsa_group_of(ff->description));
    }
    tlsa_iso8601(conv->first_sec, conv->first_nsec, text->first_time, sizeof text->first_time);
    text->history = t->history;
}

void tlsa_conv_version_cell(const tlsa_conv_text_t *text, char *buf, size_t size)
{
    if (*text->version)
        snprintf(buf, size, "%s", text->version);
    else if (*text->offered)
        snprintf(buf, size, "offered %s", text->offered);
    else
        snprintf(buf, size, "%s", "");
}
