/* test_timeline.c — per-minute rows: UTC minute starts (also before 1970),
 * one row per minute, VNI and outer source, handshakes in their first
 * frame's minute, alerts in their own minute, sorted output. */
#include "check.h"

#include "handshake_tracker.h"
#include "timeline.h"

static tlsa_alert_note_t notes[8];

static void conv_init(tlsa_conv_t *c, int64_t first, uint32_t vni, uint8_t outer_last)
{
    memset(c, 0, sizeof *c);
    tlsa_tracker_init(&c->tracker, TLSA_PROTO_TLS, TLSA_SIDE_A);
    c->first_sec = first;
    tlsa_event_t syn = { .kind = TLSA_EV_SYN, .side = TLSA_SIDE_A, .cipher = -1, .time_sec = first };
    tlsa_tracker_feed(&c->tracker, &syn, NULL);   /* a handshake seen from its start */
    if (vni) {
        static tlsa_tunnel_t tunnels[16];
        static unsigned used;
        tlsa_tunnel_t *t = &tunnels[used++ % 16];
        tlsa_ip_t outer = { 4, { 10, 0, 0, outer_last } }, collector = { 4, { 10, 9, 9, 9 } };
        bool src_is_b;
        tlsa_tunnel_make(t, &outer, &collector, vni, &src_is_b);
        c->key.tunnel = t;
        c->outer_src_b = src_is_b;
    }
}

/* The alert fed to the tracker (for the outcome) and as the tap record the
 * listener sees (for the timeline). */
static void alert(tlsa_timeline_t *tl, tlsa_conv_t *c, tlsa_alert_note_t *n, int64_t sec, unsigned description,
                  int encrypted)
{
    tlsa_record_t rec = { .kind = TLSA_REC_ALERT, .level = 2, .description = (uint8_t)description,
                          .flags = encrypted ? TLSA_ALERT_ENCRYPTED : 0, .conv = c };
    tlsa_timeline_add_alert(tl, &rec, sec);
    rec.flags |= TLSA_ALERT_DUPLICATE; /* a duplicate counts nowhere */
    tlsa_timeline_add_alert(tl, &rec, sec);
    tlsa_event_t e = {0};
    e.kind = TLSA_EV_ALERT;
    e.side = TLSA_SIDE_B;
    e.level = 2;
    e.description = (uint8_t)description;
    e.encrypted = (uint8_t)encrypted;
    e.time_sec = sec;
    e.cipher = -1;
    tlsa_tracker_feed(&c->tracker, &e, n);
}

int main(void)
{
    CHECK(tlsa_timeline_minute(0) == 0, "0");
    CHECK(tlsa_timeline_minute(119) == 60, "119");
    CHECK(tlsa_timeline_minute(-1) == -60, "-1 -> %lld", (long long)tlsa_timeline_minute(-1));
    char buf[32];
    tlsa_timeline_minute_text(1795477740, buf, sizeof buf);
    CHECK_STR(buf, "2026-11-23T23:49:00Z");

    tlsa_timeline_t alerts, tl;
    tlsa_timeline_init(&alerts);
    tlsa_timeline_init(&tl);
    tlsa_conv_t a, b, c, d;
    conv_init(&a, 1795477745, 4242, 5);   /* 2026-11-23 23:49:05, failed by a server alert at 23:50:01 */
    alert(&alerts, &a, &notes[0], 1795477801, 40, 0);
    conv_init(&b, 1795477750, 4242, 5);   /* same minute, VNI and source: same row */
    conv_init(&c, 1795477750, 4242, 6);   /* another ALB node */
    conv_init(&d, 1795477700, 0, 0);      /* 23:48, no tunnel, an encrypted alert */
    alert(&alerts, &d, &notes[1], 1795477701, 0, 1);
    tlsa_timeline_merge(&tl, &alerts);
    tlsa_timeline_add_handshake(&tl, &a);
    tlsa_timeline_add_handshake(&tl, &b);
    tlsa_timeline_add_handshake(&tl, &c);
    tlsa_timeline_add_handshake(&tl, &d);

    GPtrArray *rows = tlsa_timeline_sorted(&tl);
    CHECK(rows->len == 4, "%u rows", rows->len);
    const tlsa_timeline_row_t *r0 = g_ptr_array_index(rows, 0), *r1 = g_ptr_array_index(rows, 1),
                              *r2 = g_ptr_array_index(rows, 2), *r3 = g_ptr_array_index(rows, 3);
    CHECK(r0->minute == 1795477680 && !r0->has_vni && r0->handshakes == 1 && r0->encrypted_alerts == 1,
          "23:48 row");
    CHECK(r0->failed_handshakes == 1, "an encrypted alert before completion is a failure: %llu",
          (unsigned long long)r0->failed_handshakes);
    CHECK(r1->minute == 1795477740 && r1->vni == 4242 && strcmp(r1->outer, "10.0.0.5") == 0 &&
          r1->handshakes == 2 && r1->failed_handshakes == 1, "23:49 node 5: %s %llu %llu", r1->outer,
          (unsigned long long)r1->handshakes, (unsigned long long)r1->failed_handshakes);
    CHECK(r1->failure_alerts[TLSA_GROUP_NEGOTIATION] == 0, "the alert is in its own minute");
    CHECK(r2->minute == 1795477740 && strcmp(r2->outer, "10.0.0.6") == 0 && r2->handshakes == 1, "node 6");
    CHECK(r3->minute == 1795477800 && r3->handshakes == 0 && r3->failure_alerts[TLSA_GROUP_NEGOTIATION] == 1,
          "23:50: the alert");
    g_ptr_array_free(rows, TRUE);

    /* A record standing for a run of identical alerts counts as that many. */
    tlsa_timeline_t run;
    tlsa_timeline_init(&run);
    tlsa_record_t rec = { .kind = TLSA_REC_ALERT, .level = 2, .description = 40, .conv = &d };
    rec.repeats = 4;
    tlsa_timeline_add_alert(&run, &rec, 1795477701);
    rec.flags = TLSA_ALERT_ENCRYPTED;
    rec.repeats = 9;
    tlsa_timeline_add_alert(&run, &rec, 1795477701);
    rows = tlsa_timeline_sorted(&run);
    CHECK(rows->len == 1, "%u rows", rows->len);
    const tlsa_timeline_row_t *rr = g_ptr_array_index(rows, 0);
    CHECK(rr->failure_alerts[TLSA_GROUP_NEGOTIATION] == 5 && rr->encrypted_alerts == 10, "runs: %llu %llu",
          (unsigned long long)rr->failure_alerts[TLSA_GROUP_NEGOTIATION], (unsigned long long)rr->encrypted_alerts);
    g_ptr_array_free(rows, TRUE);
    tlsa_timeline_free(&run);

    tlsa_timeline_free(&tl);
    tlsa_timeline_free(&alerts);
    return check_report("test_timeline");
}
