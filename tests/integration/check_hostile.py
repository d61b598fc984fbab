#!/usr/bin/env python3
"""check_hostile.py CHECK — the reports on captures made to attack them.

  text    captures/malformed-hostile-sni.pcapng (terminal escapes, a spreadsheet
          formula and a 16,000-byte name in real ClientHellos): no control
          character of the capture reaches the text tables or the CSV, the text
          table's cells are bounded, the formula cell is neutralised, and the CSV
          still parses to one row per JSON conversation with the JSON's values
  flood   captures/malformed-alert-flood.pcapng (3 frames of 9,000 alerts each):
          every report counts every alert, tshark warns of no dropped tap entry,
          the conversation lists its first 64 alerts and says how many more
  reset   tshark -M (session auto-reset) frees every conversation while the reports
          run: none of them crashes, the JSON stays valid, the alerts still count
"""
import csv
import io
import json
import os
import sys

import harness

Failure = harness.Failure
ALL_REPORTS = ["-z", "tlsalerts,tree", "-z", "tlsalerts,conv", "-z", "tlsalerts,conversations",
               "-z", "tlsalerts,csv", "-z", "tlsalerts,json"]


def expect(cond, message):
    if not cond:
        raise Failure(message)


def capture(name):
    return os.path.join(harness.CAPTURES, name + ".pcapng")


def report(path, name):
    """One report's stdout, and tshark's stderr."""
    p = harness.tshark_plugin("-q", "-r", path, "-z", "tlsalerts," + name)
    return p.stdout, p.stderr


def no_controls(text, what):
    for i, ch in enumerate(text):
        o = ord(ch)
        bad = (o < 0x20 and ch not in "\n\r") or o == 0x7f or 0x80 <= o <= 0x9f
        expect(not bad, "%s: control character U+%04X at %d: %r" % (what, o, i, text[max(0, i - 20):i + 20]))


def check_text():
    path = capture("malformed-hostile-sni")
    doc = harness.plugin_json(path)
    snis = [c["sni"] for c in doc["conversations"]]
    expect(len(snis) == 3 and "\x1b" in snis[0] and snis[1].startswith("=") and len(snis[2]) == 16004,
           "the capture's names, as JSON keeps them: %r" % [s[:40] for s in snis])

    conv, _ = report(path, "conv")
    no_controls(conv.replace("\r", ""), "-z tlsalerts,conv")
    expect("\r" not in conv, "-z tlsalerts,conv: a raw CR")
    expect(harness.shown_text(snis[0]) in conv, "-z tlsalerts,conv: the escaped name is missing")
    widest = max(len(line) for line in conv.splitlines())
    # 12 columns, none wider than the cell bound, two spaces between them.
    expect(widest <= 12 * (harness.TEXT_CELL_MAX + 2), "-z tlsalerts,conv: a line of %d characters" % widest)
    expect(len(conv) < 4000, "-z tlsalerts,conv: %d bytes for 3 conversations" % len(conv))

    table, _ = report(path, "conversations")
    no_controls(table, "-z tlsalerts,conversations")
    rows = harness.parse_conversations_table(table)
    harness.check_table_against_json(rows, doc, "-z tlsalerts,conversations")

    text, _ = report(path, "csv")
    no_controls(text.replace("\r\n", "\n"), "-z tlsalerts,csv")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    header, body = parsed[0], parsed[1:]
    expect(len(body) == len(doc["conversations"]), "CSV rows %d, JSON conversations %d" %
           (len(body), len(doc["conversations"])))
    expect(all(len(r) == len(header) for r in body), "CSV rows of uneven width")
    sni = [r[header.index("sni")] for r in body]
    expect(sni[0] == harness.shown_text(snis[0]), "CSV sni %r" % sni[0])
    expect(sni[1] == "'" + snis[1], "the formula is not neutralised: %r" % sni[1])
    expect(sni[2] == snis[2], "the long name in CSV is whole (%d of %d bytes)" % (len(sni[2]), len(snis[2])))


def check_flood():
    path = capture("malformed-alert-flood")
    p = harness.tshark_plugin("-q", "-r", path, *ALL_REPORTS)
    expect("Too many taps" not in p.stderr, "tshark dropped tap entries:\n" + p.stderr[:500])
    oracle, _ = harness.oracle_counts(path)
    total = sum(oracle.values())
    expect(total == 27001, "tshark's own fields show %d alerts" % total)

    doc = harness.plugin_json(path)
    expect(doc["totals"]["alerts"] == total, "JSON totals.alerts %d of %d" % (doc["totals"]["alerts"], total))
    conv = doc["conversations"][0]
    expect(len(conv["alerts"]) == 64 and conv["alerts_not_listed"] == total - 64,
           "listed %d, not listed %d" % (len(conv["alerts"]), conv["alerts_not_listed"]))
    expect(conv["failure_alert"] and conv["failure_alert"]["description"] == 10,
           "the first failure, past the list, is still the conversation's failure alert")

    tree, _ = report(path, "tree")
    expect(any(line.split()[:2] == ["Alerts", str(total)] for line in tree.splitlines()),
           "the tree does not count %d alerts:\n%s" % (total, tree[:600]))
    text, _ = report(path, "csv")
    header, row = list(csv.reader(io.StringIO(text, newline="")))[:2]
    alerts = row[header.index("alerts")]
    expect(alerts.endswith("; and %d more" % (total - 64)), "CSV alerts cell ends %r" % alerts[-40:])


def check_reset():
    path = capture("alb-mirror")
    p = harness.tshark_plugin("-q", "-M", "200", "-r", path, *ALL_REPORTS, check=False)
    expect(p.returncode == 0, "tshark -M 200 with every report exited %d:\n%s" % (p.returncode, p.stderr[-800:]))
    p = harness.tshark_plugin("-q", "-M", "200", "-r", path, "-z", "tlsalerts,json")
    text = "\n".join(line for line in p.stdout.splitlines() if line != "resetting session.")
    doc = json.loads(text[text.index("{"):])
    expect(doc["totals"]["alerts"] > 0 and len(doc["conversations"]) > 0,
           "after resets the JSON counts %r" % doc["totals"])
    ids = [c["id"] for c in doc["conversations"]]
    expect(len(ids) == len(set(ids)), "a conversation listed twice")


CHECKS = {"text": check_text, "flood": check_flood, "reset": check_reset}

if __name__ == "__main__":
    try:
        CHECKS[sys.argv[1]]()
    except Failure as e:
        print("FAIL:", e)
        sys.exit(1)
    print("ok")
