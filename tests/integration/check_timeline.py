#!/usr/bin/env python3
"""check_timeline.py CAPTURE — `-z tlsalerts,timeline`, `-z tlsalerts,timeline-csv`
and the JSON report's "timeline" array agree row by row, minutes are UTC
minute starts in order, and the rows add up to the JSON report's totals:
handshakes, failed handshakes, failure alerts per group, encrypted alerts.
"""
import csv
import io
import json
import os
import re
import sys

import harness

GROUPS = ["negotiation", "pki", "hardware", "protocol", "unknown"]


def fail(message):
    print("FAIL timeline %s: %s" % (sys.argv[1], message))
    sys.exit(1)


def main():
    name = sys.argv[1]
    capture = os.path.join(harness.CAPTURES, name + ".pcapng")
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,json", "-z", "tlsalerts,timeline-csv",
                              "-z", "tlsalerts,timeline")
    out = p.stdout
    # tshark draws the reports in an order of its own: find each by its shape.
    start = out.find("{")
    decoder = json.JSONDecoder()
    doc, end = decoder.raw_decode(out[start:])
    rest = out[:start] + out[start + end:]
    csv_text = "".join(l + "\n" for l in rest.splitlines() if re.match(r"^(minute,|\d{4}-\d\d-\d\dT)", l)
                       and "," in l)
    table = [l for l in rest.splitlines() if re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z ", l)]
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    tl = doc["timeline"]
    if len(rows) != len(tl) or len(table) != len(tl):
        fail("%d CSV rows, %d table rows, %d JSON rows" % (len(rows), len(table), len(tl)))
    minutes = []
    for r, j, t in zip(rows, tl, table):
        want = [j["minute"], "" if j["vni"] is None else str(j["vni"]), j["outer_src"] or "",
                str(j["handshakes"]), str(j["failed_handshakes"])] + \
               [str(j["failure_alerts"][g]) for g in GROUPS] + [str(j["encrypted_alerts"])]
        got = [r["minute"], r["vni"], r["outer_src"], r["handshakes"], r["failed_handshakes"]] + \
              [r[g] for g in GROUPS] + [r["encrypted"]]
        if got != want:
            fail("CSV %r, JSON %r" % (got, want))
        cells = t.split()
        table_want = [want[0], want[1] or "-", want[2] or "-"] + want[3:]
        if cells != table_want:
            fail("table %r, JSON %r" % (cells, table_want))
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", j["minute"]):
            fail("minute %r" % j["minute"])
        minutes.append(j["minute"])
    if minutes != sorted(minutes):
        fail("minutes out of order")
    t = doc["totals"]
    sums = {
        "handshakes": (sum(j["handshakes"] for j in tl), t["handshakes"]),
        "failed_handshakes": (sum(j["failed_handshakes"] for j in tl), t["failed_handshakes"]),
        "encrypted": (sum(j["encrypted_alerts"] for j in tl), t["encrypted"]),
        "failures": (sum(sum(j["failure_alerts"].values()) for j in tl), t["failures"]),
    }
    for g in GROUPS:
        sums["group " + g] = (sum(j["failure_alerts"][g] for j in tl), doc["by_group"][g])
    bad = {k: v for k, v in sums.items() if v[0] != v[1]}
    if bad:
        fail("timeline sums vs totals (timeline, totals): %r" % bad)
    print("ok timeline %s: %d rows" % (name, len(tl)))


if __name__ == "__main__":
    try:
        main()
    except harness.Failure as e:
        fail(str(e))
