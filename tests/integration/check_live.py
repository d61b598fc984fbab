#!/usr/bin/env python3
"""check_live.py CHECK — the live sensor (root: network namespaces).

  textfile  tshark captures live on a veth (deploy/tlsalerts-sensor, as nobody
            with ambient CAP_NET_RAW/CAP_NET_ADMIN) while real curl clients
            succeed and real OpenSSL clients fail against a real OpenSSL
            server; the textfile, read every 0.1 s, always parses (atomic
            rewrites), is rewritten every second, its counters never go down,
            and they equal the traffic sent; SIGTERM writes it once more and
            tshark exits 0; no temporary file is left.
  sigint    the same stop with SIGINT.
  reset     the same with tshark -M 25 (session resets every 25 packets,
            so some fall inside handshakes): resets counted, counters still
            monotonic, and the same counts as without resets — every
            handshake counted exactly once with its real outcome, however
            the resets fall (conversations carry on across them).
"""
import os
import signal
import sys

import harness
import live
import prom_parse

Failure = live.Failure
GOOD, BAD = 3, 2


def expect(cond, message):
    if not cond:
        raise Failure(message)


def counts(doc):
    return {
        "established": prom_parse.total(doc, "tlsalerts_handshakes_total", outcome="established"),
        "alert_by_server": prom_parse.total(doc, "tlsalerts_handshakes_total", outcome="alert_by_server"),
        "failed": prom_parse.total(doc, "tlsalerts_failed_handshakes_total"),
        "handshake_failure": prom_parse.total(doc, "tlsalerts_alerts_total", description="handshake_failure",
                                              sender="server", level="fatal", group="negotiation"),
        "failure_alerts": prom_parse.total(doc, "tlsalerts_failure_alerts_total"),
        "handshakes": prom_parse.total(doc, "tlsalerts_handshakes_total"),
        "pending": prom_parse.total(doc, "tlsalerts_handshakes_pending"),
        "resets": prom_parse.total(doc, "tlsalerts_session_resets_total"),
        "frames": prom_parse.total(doc, "tlsalerts_frames_total"),
    }


def live_run(session_reset="", sig=signal.SIGTERM):
    lab = live.Lab("prom")
    try:
        lab.start_server()
        lab.start_sensor(interval=1, session_reset=session_reset)
        first = live.read_doc(lab.textfile)
        expect(counts(first)["handshakes"] == 0, "handshakes before any traffic: %r" % counts(first))
        watcher = live.Watcher(lab.textfile)
        for i in range(max(GOOD, BAD)):
            if i < GOOD:
                lab.good_client()
            if i < BAD:
                lab.failing_client()

        def settled():
            c = counts(live.read_doc(lab.textfile))
            return c["established"] == GOOD and c["failed"] == BAD and c["pending"] == 0, c
        during = live.wait_for("the traffic's counts in the textfile", settled)
        rc = lab.stop_sensor(sig)
        expect(rc == 0, "tshark exited %d:\n%s" % (rc, "".join(lab.sensor_err)))
        watcher.finish()
        final = counts(live.read_doc(lab.textfile))
        expect(len(watcher.writes) >= 3, "only %d distinct writes seen" % len(watcher.writes))
        expect(os.listdir(lab.textdir) == ["tlsalerts.prom"], "left behind: %r" % os.listdir(lab.textdir))
        expect(final["frames"] > during["frames"] or final["frames"] == during["frames"], "frames went down")
        want = {"established": GOOD, "alert_by_server": BAD, "failed": BAD, "handshake_failure": BAD,
                "failure_alerts": BAD, "handshakes": GOOD + BAD, "pending": 0}
        if session_reset:
            expect(final["resets"] >= 1, "no session reset counted: %r" % final)
        else:
            want["resets"] = 0
        bad = {k: (final[k], v) for k, v in want.items() if final[k] != v}
        expect(not bad, "final counts (got, want): %r" % bad)
        print("counts %r, %d reads, %d writes" % (final, watcher.reads, len(watcher.writes)))
    finally:
        lab.close()


def main():
    if os.getuid() != 0:
        print("needs root: network namespaces")
        sys.exit(77)
    check = sys.argv[1]
    try:
        if check == "textfile":
            live_run()
        elif check == "sigint":
            live_run(sig=signal.SIGINT)
        elif check == "reset":
            live_run(session_reset=25)
        else:
            raise Failure("unknown check " + check)
    except harness.Failure as e:
        print("FAIL %s: %s" % (check, e))
        sys.exit(1)
    print("ok " + check)


if __name__ == "__main__":
    main()
