#!/usr/bin/env python3
"""check_cli.py CHECK [CAPTURE] — the plugin as users meet it on the command line.

  registered     tshark -G plugins lists tlsalerts.so; -z help lists its reports;
                 -G fields lists the tlsalerts.* fields
  bad-filter     a wrong filter: -z tlsalerts,json exits non-zero with a clear error;
                 -z tlsalerts,tree prints tshark's own error; never a crash
  bad-argument   -z tlsalerts,jsonx is refused with a clear error
  disabled       --disable-protocol tlsalerts: zero counts, no tlsalerts fields, no crash
  empty          an empty capture: zero counts and valid JSON, an all-zero tree
  no-tls         a capture without TLS (made from CAPTURE): zero counts
  tree CAPTURE   the stats tree's counts equal the JSON report's for CAPTURE
  filter CAPTURE -z tlsalerts,json,FILTER counts only frames FILTER keeps, as tshark's
                 own fields say for the same filter
"""
import json
import os
import re
import shutil
import sys
import tempfile

import harness

Failure = harness.Failure


def expect(cond, message):
    if not cond:
        raise Failure(message)


def not_crashed(p, what):
    expect(p.returncode >= 0, "%s: tshark killed by signal %d" % (what, -p.returncode))
    for word in ("Segmentation", "Aborted", "CRITICAL", "assertion"):
        expect(word not in p.stderr, "%s: %r in stderr:\n%s" % (what, word, p.stderr))


def registered(_capture):
    p = harness.tshark_plugin("-G", "plugins")
    expect(re.search(r"^tlsalerts\.so\s", p.stdout, re.M), "tlsalerts.so not in -G plugins:\n" + p.stdout)
    p = harness.tshark_plugin("-z", "help", check=False)
    for report in ("tlsalerts,tree", "tlsalerts,json", "tlsalerts,csv", "tlsalerts,conv",
                   "tlsalerts,conversations"):
        expect(re.search(r"^\s+%s$" % re.escape(report), p.stdout + p.stderr, re.M), report + " not in -z help")
    p = harness.tshark_plugin("-G", "fields")
    for field in ("tlsalerts.level", "tlsalerts.description", "tlsalerts.group",
                  "tlsalerts.failure", "tlsalerts.encrypted", "tlsalerts.protocol",
                  "tlsalerts.sender", "tlsalerts.stage", "tlsalerts.outcome", "tlsalerts.conversation"):
        expect("\t%s\t" % field in p.stdout, field + " not in -G fields")


def bad_filter(capture):
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,json,tls.no_such_field == 1", check=False)
    not_crashed(p, "json")
    expect(p.returncode != 0, "json with a bad filter exited 0")
    expect("invalid display filter" in p.stderr and "tls.no_such_field" in p.stderr,
           "json: unclear error:\n" + p.stderr)
    expect("{" not in p.stdout, "json printed a document despite the error")
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,tree,tls.no_such_field == 1", check=False)
    not_crashed(p, "tree")
    expect("tls.no_such_field" in p.stderr, "tree: no error about the filter:\n" + p.stderr)


def bad_argument(capture):
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,jsonx", check=False)
    not_crashed(p, "jsonx")
    expect(p.returncode != 0, "-z tlsalerts,jsonx exited 0")
    expect("tlsalerts" in p.stderr, "no error for -z tlsalerts,jsonx:\n" + p.stderr)


def zero_doc(doc, what):
    expect(doc["totals"] == {"alerts": 0, "failures": 0, "encrypted": 0, "handshakes": 0, "failed_handshakes": 0,
                             "conversations": 0, "no_handshake_seen": 0} and doc["note"] is None,
           "%s: totals %r" % (what, doc["totals"]))
    expect(doc["conversations"] == [] and all(v == 0 for v in doc["outcomes"].values()),
           "%s: conversations %r" % (what, doc["conversations"]))
    expect(all(v == 0 for v in doc["by_group"].values()), "%s: by_group %r" % (what, doc["by_group"]))
    expect(doc["alerts"] == [], "%s: alerts %r" % (what, doc["alerts"]))
    expect(doc["tlsalerts_version"] and doc["wireshark_version"], "%s: versions missing" % what)


def derived_capture(capture, display_filter):
    """A capture made from CAPTURE, in this run's private temporary folder."""
    out = os.path.join(tempfile.mkdtemp(), "derived.pcapng")
    harness.run([harness.TSHARK, "-r", capture, "-Y", display_filter, "-w", out])
    return out


def tree_counts(text):
    """Topic -> count from a stats tree printed by tshark (first column pair)."""
    counts = {}
    for line in text.splitlines():
        m = re.match(r"^(\s*)(\S.*?)\s{2,}(\d+)\s", line)
        if m:
            counts.setdefault((len(m.group(1)), m.group(2)), int(m.group(3)))
    return counts


def empty(capture):
    out = derived_capture(capture, "frame.number == 0")
    zero_doc(harness.plugin_json(out), "empty capture")
    p = harness.tshark_plugin("-q", "-r", out, "-z", "tlsalerts,tree")
    expect(re.search(r"^Alerts\s+0\s", p.stdout, re.M), "tree of an empty capture:\n" + p.stdout)


def no_tls(capture):
    # Only the TCP packets without TLS are kept: connections to a TLS port that
    # never carried a ClientHello are handshakes aborted before the ClientHello,
    # never alerts and never failed handshakes.
    out = derived_capture(capture, "!tls && !dtls && !quic")
    doc = harness.plugin_json(out)
    t = doc["totals"]
    expect(t["alerts"] == t["failures"] == t["encrypted"] == t["failed_handshakes"] == 0,
           "capture without TLS: totals %r" % t)
    expect(doc["alerts"] == [], "capture without TLS: alerts %r" % doc["alerts"])
    for conv in doc["conversations"]:
        expect(conv["outcome"] in ("aborted_before_client_hello", "incomplete") and conv["sni"] is None,
               "capture without TLS: conversation %r" % conv)


def tree(capture):
    doc = harness.plugin_json(capture)
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,tree")
    counts = tree_counts(p.stdout)
    t = doc["totals"]
    expect(counts.get((0, "Alerts")) == t["alerts"], "Alerts %r != %d" % (counts.get((0, "Alerts")), t["alerts"]))
    expect(counts.get((0, "Failure alerts"), 0) == t["failures"],
           "Failure alerts %r != %d" % (counts.get((0, "Failure alerts")), t["failures"]))
    expect(counts.get((0, "Encrypted alerts"), 0) == t["encrypted"], "Encrypted alerts %r" % counts.get((0, "Encrypted alerts")))
    expect(counts.get((0, "Handshakes"), 0) == t["handshakes"], "Handshakes %r != %d" % (counts.get((0, "Handshakes")), t["handshakes"]))
    expect(counts.get((0, "Failed handshakes"), 0) == t["failed_handshakes"],
           "Failed handshakes %r != %d" % (counts.get((0, "Failed handshakes")), t["failed_handshakes"]))
    expect(counts.get((0, "No handshake seen"), 0) == t["no_handshake_seen"],
           "No handshake seen %r != %d" % (counts.get((0, "No handshake seen")), t["no_handshake_seen"]))
    for outcome, n in doc["outcomes"].items():
        expect(counts.get((1, outcome), 0) == n, "outcome %s: tree %r, json %d" % (outcome, counts.get((1, outcome)), n))
    for group, n in doc["by_group"].items():
        if group != "graceful":
            expect(counts.get((1, group), 0) == n, "group %s: tree %r, json %d" % (group, counts.get((1, group)), n))


def filtered(capture):
    # A report filter selects frames, like every tap's. Frames with a fatal alert,
    # counted by the plugin, must equal tshark's own fields for the same frames.
    flt = "tls.alert_message.level == 2 || dtls.alert_message.level == 2"
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,json," + flt)
    doc = json.loads(p.stdout[p.stdout.find("{"):])
    harness.compare("filtered plugin vs tshark fields", harness.json_counts(doc),
                    harness.oracle_counts(capture, flt))
    # The plugin's own fields filter too: every failure alert is in a frame that
    # tlsalerts.failure selects.
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,json,tlsalerts.failure == 1")
    doc = json.loads(p.stdout[p.stdout.find("{"):])
    unfiltered = harness.plugin_json(capture)
    expect(doc["totals"]["failures"] == unfiltered["totals"]["failures"],
           "tlsalerts.failure kept %d of %d failures" % (doc["totals"]["failures"], unfiltered["totals"]["failures"]))


def label(alert):
    """How reports print an alert: "unknown_ca (48)"; unassigned codes "unknown(117)"."""
    name = alert["description_name"]
    return name if name.startswith("unknown(") else "%s (%d)" % (name, alert["description"])


def csv_report(capture):
    # The CSV has exactly the documented columns and one row per conversation,
    # with the same facts as the JSON report.
    import csv as csvmod
    import io
    doc = harness.plugin_json(capture)
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,csv")
    rows = list(csvmod.reader(io.StringIO(p.stdout[p.stdout.find("client_ip"):], newline="")))
    header = ["client_ip", "client_port", "server_ip", "server_port", "vni", "outer_src", "sni",
              "offered_versions", "version", "cipher", "ja3", "ja4", "outcome", "failure_alert",
              "failure_sender", "group", "first_time", "first_frame", "alerts", "history",
              "policy_verdict", "likely_cause"]
    expect(rows and rows[0] == header, "CSV header %r" % (rows[0] if rows else None))
    body = [r for r in rows[1:] if r]
    expect(len(body) == len(doc["conversations"]), "%d CSV rows, %d conversations" % (len(body), len(doc["conversations"])))
    for row, conv in zip(body, doc["conversations"]):
        r = dict(zip(header, row))
        fa = conv["failure_alert"]
        want = {"client_ip": conv["client_ip"], "client_port": str(conv["client_port"]),
                "server_ip": conv["server_ip"], "server_port": str(conv["server_port"]),
                "vni": "" if conv["vni"] is None else str(conv["vni"]), "sni": conv["sni"] or "",
                "outcome": conv["outcome"], "first_frame": str(conv["first_frame"]),
                "first_time": conv["first_time"], "history": conv["history"],
                "offered_versions": "|".join(conv["offered_versions"]),
                "failure_sender": fa["sender"] if fa else "",
                "failure_alert": label(fa) if fa else ""}
        for k, v in want.items():
            expect(r[k] == v, "CSV %s %r != JSON %r (conversation %d)" % (k, r[k], v, conv["id"]))
        expect(bool(r["likely_cause"]) == conv["failed"], "likely_cause %r for a %s handshake (conversation %d)"
               % (r["likely_cause"], "failed" if conv["failed"] else "not failed", conv["id"]))
        expect(r["likely_cause"] == (conv["likely_cause"] or ""), "CSV likely_cause != JSON")
        expect(r["policy_verdict"] == "", "a verdict without a policy: %r" % r["policy_verdict"])
        expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", r["first_time"]), "first_time " + r["first_time"])
        expect(len(r["alerts"].split("; ")) == len(conv["alerts"]) or not conv["alerts"], "alerts column " + r["alerts"])


def conv_report(capture):
    # The readable table lists every conversation, failed ones first.
    doc = harness.plugin_json(capture)
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,conv")
    lines = [l for l in p.stdout.splitlines() if re.match(r"^\d+\s", l)]
    expect(len(lines) == len(doc["conversations"]), "%d table rows, %d conversations" % (len(lines), len(doc["conversations"])))
    failed = [c["failed"] for c in sorted(doc["conversations"], key=lambda c: int(lines.index(next(l for l in lines if l.split()[0] == str(c["id"])))))]
    expect(failed == sorted(failed, reverse=True), "failed conversations are not listed first")
    expect(("Failed: %d" % doc["totals"]["failed_handshakes"]) in p.stdout, "no Failed total")


def disabled(capture):
    """--disable-protocol tlsalerts: no analysis, no fields, zero counts, no
    crash; the same run without it counts, so the check can fail."""
    on = harness.plugin_json(capture)
    expect(on["totals"]["handshakes"] > 0, "the capture has no handshakes: nothing to switch off")
    off = harness.plugin_json(capture, "--disable-protocol", "tlsalerts")
    zero_doc(off, "--disable-protocol tlsalerts")
    p = harness.tshark_plugin("--disable-protocol", "tlsalerts", "-r", capture, "-Y", "tlsalerts",
                              "-T", "fields", "-e", "frame.number", check=False)
    not_crashed(p, "-Y tlsalerts")
    expect(p.returncode == 0 and not p.stdout.strip(), "frames with tlsalerts fields while disabled: %r %s"
           % (p.stdout[:200], p.stderr))
    p = harness.tshark_plugin("-r", capture, "-Y", "tlsalerts", "-T", "fields", "-e", "frame.number")
    expect(p.stdout.strip(), "no frame with tlsalerts fields while enabled")


CHECKS = {"registered": registered, "disabled": disabled, "bad-filter": bad_filter, "bad-argument": bad_argument,
          "empty": empty, "no-tls": no_tls, "tree": tree, "filter": filtered,
          "csv": csv_report, "conv": conv_report}

def run_leaving_nothing(check, capture):
    """Run CHECK with every temporary file of this process and of the tshark
    wrapper (TMPDIR) in one private folder; fail if anything is left in it
    besides what this script made itself, then remove it."""
    private = tempfile.mkdtemp(prefix="tlsalerts-cli.")
    os.chmod(private, 0o755)  # the wrapper's private HOME in it belongs to "nobody"
    os.environ["TMPDIR"] = private
    tempfile.tempdir = private
    try:
        check(capture)
        left = [e for e in os.listdir(private)
                if os.listdir(os.path.join(private, e)) != ["derived.pcapng"]]
        expect(not left, "temporary files left behind: %s" % ", ".join(sorted(left)[:10]))
    finally:
        shutil.rmtree(private, ignore_errors=True)


if __name__ == "__main__":
    check = CHECKS[sys.argv[1]]
    capture = os.path.join(harness.CAPTURES, sys.argv[2] + ".pcapng")
    harness.main(lambda: run_leaving_nothing(check, capture))
