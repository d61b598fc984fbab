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
    # Every node of the stats tree, keyed by its full path (same-named nodes such
    # as "TLS" or an alert under two groups do not collide), equals what the JSON
    # report says, the by-sender subtree included; no node is left unexplained.
    doc = harness.plugin_json(capture)
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,tree")
    got = tree_paths(p.stdout)
    want = tree_from_json(doc)
    expect(want[("Alerts",)] > 0, "the capture has no alerts: the tree check would prove little")
    # By sender: the JSON's alert rows count every alert by sender (by_sender).
    partial = False
    problems = []
    for path in sorted(set(got) | set(want)):
        g, w = got.get(path), want.get(path, 0)
        if path not in got and w == 0:
            continue  # a node the tree leaves out while nothing counts there
        if partial and path[0] == "Failure alerts by sender" and len(path) > 1:
            if g is None or g < w:
                problems.append("  %s: tree %r, at least %d listed in JSON" % (" / ".join(path), g, w))
        elif g != w:
            problems.append("  %s: tree %r, JSON %d" % (" / ".join(path), g, w))
    senders = sum(n for path, n in got.items() if path[0] == "Failure alerts by sender" and len(path) == 2)
    if senders != doc["totals"]["failures"]:
        problems.append("  senders add up to %d, failures %d" % (senders, doc["totals"]["failures"]))
    expect(not problems, "tree nodes differ from JSON:\n" + "\n".join(problems))
    expect(any(path[0] == "Failure alerts by sender" and len(path) == 3 for path in got) or
           not doc["totals"]["failures"], "no alert under Failure alerts by sender")


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


def tree_paths(text):
    """{(topic, child, ...): count} from a stats tree printed by tshark: depth is
    the indentation (one space a level), the count the first column."""
    counts, stack = {}, []
    for line in text.splitlines():
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)(\s|$)", line)
        if not m or m.group(2).startswith("Topic / Item"):
            continue
        depth = len(m.group(1))
        expect(depth <= len(stack), "tree line deeper than its parent: %r" % line)
        stack[depth:] = [m.group(2)]
        path = tuple(stack)
        expect(path not in counts, "tree node %s twice" % " / ".join(path))
        counts[path] = int(m.group(3))
    return counts


PROTO_LABEL = {"tls": "TLS", "dtls": "DTLS", "quic": "QUIC"}


def tree_from_json(doc):
    """The stats tree the JSON report implies: {path: count}."""
    import collections
    want = collections.Counter()
    t = doc["totals"]
    want[("Alerts",)] = t["alerts"]
    want[("Failure alerts",)] = t["failures"]
    want[("Encrypted alerts",)] = t["encrypted"]
    want[("Failure alerts by sender",)] = t["failures"]
    want[("Handshakes",)] = t["handshakes"]
    want[("Failed handshakes",)] = t["failed_handshakes"]
    for row in doc["alerts"]:
        proto, name = PROTO_LABEL[row["protocol"]], label(row)
        want[("Alerts", proto)] += row["count"]
        want[("Alerts", proto, row["level_name"])] += row["count"]
        want[("Alerts", proto, row["level_name"], name)] += row["count"]
        if row["failure"]:
            want[("Failure alerts", row["group"])] += row["count"]
            want[("Failure alerts", row["group"], name)] += row["count"]
            for sender, n in row["by_sender"].items():
                if n:
                    want[("Failure alerts by sender", sender)] += n
                    want[("Failure alerts by sender", sender, name)] += n
    for proto, n in doc["encrypted_by_protocol"].items():
        if n:
            want[("Alerts", PROTO_LABEL[proto])] += n
            want[("Alerts", PROTO_LABEL[proto], "encrypted")] += n
            want[("Encrypted alerts", PROTO_LABEL[proto])] += n
    for outcome, n in doc["outcomes"].items():
        if outcome != "no_handshake_seen":
            want[("Handshakes", outcome)] = n
    want[("No handshake seen",)] = t["no_handshake_seen"]
    want[("Failed handshakes by cause",)] = sum(doc["failed_by_cause"].values())
    for rule, n in doc["failed_by_cause"].items():
        want[("Failed handshakes by cause", rule)] = n
    return want


def endpoint(ip, port):
    return "[%s]:%s" % (ip, port) if ":" in ip else "%s:%s" % (ip, port)


def conv_report_rows(text):
    """The rows of -z tlsalerts,conv as {column header: cell}, in printed order;
    cells are cut at the header's column starts (cells are left-aligned)."""
    lines = text.splitlines()
    head = next((i for i, l in enumerate(lines) if l.startswith("#  ")), None)
    expect(head is not None, "no table header in -z tlsalerts,conv:\n" + text)
    names = CONV_HEADER
    starts = []
    for name in names:
        m = re.search(r"(^|  )%s(  |$)" % re.escape(name), lines[head])
        expect(m, "column %r not in the conv header %r" % (name, lines[head]))
        starts.append(m.start() + (2 if m.group(1) else 0))
    expect(starts == sorted(starts), "conv header columns out of order: %r" % lines[head])
    rows = []
    for line in lines[head + 1:]:
        if not re.match(r"^\d+\s", line):
            break
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
        rows.append(dict(zip(names, cells)))
    return rows


CONV_HEADER = ["#", "Client", "Server", "VNI", "SNI", "Version (or offered)", "Outcome", "Failure alert",
               "Sender", "Group", "Frame", "First time (UTC)", "Policy", "Likely cause"]
# The longest cell of the text table, per column (core/conv_columns.c), else harness.TEXT_CELL_MAX.
CONV_CELL_MAX = {"Likely cause": 200}


def conv_row_of(conv):
    """The conv report row a JSON conversation should give (text shown and cut
    the way the text table shows it)."""
    t = harness.table_row_of(conv)  # #, client ip, port, server ip, port, VNI, SNI, version, outcome, ...
    raw = dict(zip(CONV_HEADER, [t[0], endpoint(t[1], t[2]), endpoint(t[3], t[4])] + t[5:]))
    raw["SNI"] = harness.shown_text(conv["sni"]) if conv["sni"] else "-"
    raw["Likely cause"] = harness.shown_text(conv["likely_cause"]) if conv["likely_cause"] else "-"
    return {k: harness.clipped(v, CONV_CELL_MAX.get(k, harness.TEXT_CELL_MAX)) for k, v in raw.items()}


def csv_cell(value):
    """A text value as a CSV reader reads it back: shown like the tables, and a
    leading = + - @ TAB CR neutralised with a quote (OWASP)."""
    value = harness.shown_text(value) if value else ""
    return "'" + value if value[:1] and value[0] in "=+-@\t\r" else value


def csv_alerts_of(conv):
    """The CSV alerts cell of a JSON conversation: "sender level name (code)" or
    "sender encrypted", joined by "; "."""
    cells = ["%s encrypted" % a["sender"] if a["encrypted"] else
             "%s %s %s" % (a["sender"], a["level_name"], label(a)) for a in conv["alerts"]]
    if conv.get("alerts_not_listed"):
        cells.append("and %d more" % conv["alerts_not_listed"])
    return "; ".join(cells)


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
                "failure_alert": label(fa) if fa else "",
                "outer_src": conv["outer_src"] or "", "version": conv["version"] or "",
                "cipher": conv["cipher"] or "", "ja3": conv["ja3"] or "", "ja4": conv["ja4"] or "",
                "group": fa["group"] if fa else "", "alerts": csv_alerts_of(conv),
                "policy_verdict": csv_cell(conv["policy_verdict"]), "likely_cause": csv_cell(conv["likely_cause"])}
        want["sni"] = csv_cell(conv["sni"])
        expect(sorted(want) == sorted(header), "the check misses CSV columns %r" % sorted(set(header) - set(want)))
        for k, v in want.items():
            expect(r[k] == v, "CSV %s %r != JSON %r (conversation %d)" % (k, r[k], v, conv["id"]))
        expect(bool(r["likely_cause"]) == conv["failed"], "likely_cause %r for a %s handshake (conversation %d)"
               % (r["likely_cause"], "failed" if conv["failed"] else "not failed", conv["id"]))
        expect(r["likely_cause"] == (conv["likely_cause"] or ""), "CSV likely_cause != JSON")
        expect(r["policy_verdict"] == "", "a verdict without a policy: %r" % r["policy_verdict"])
        expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", r["first_time"]), "first_time " + r["first_time"])
    expect(any(c["alerts"] for c in doc["conversations"]), "no conversation with alerts: the alerts column is unchecked")


def conv_report(capture):
    # The readable table lists every conversation once, failed ones first, and
    # each row says what the JSON report says about that conversation.
    doc = harness.plugin_json(capture)
    p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,conv")
    rows = conv_report_rows(p.stdout)
    by_id = {str(c["id"]): c for c in doc["conversations"]}
    ids = [r["#"] for r in rows]
    expect(sorted(ids) == sorted(by_id), "conv rows %r, JSON conversations %r" % (ids, sorted(by_id)))
    for r in rows:
        want = conv_row_of(by_id[r["#"]])
        diff = ["%s: %r != JSON %r" % (k, r[k], want[k]) for k in CONV_HEADER if r[k] != want[k]]
        expect(not diff, "conv row %s differs: %s" % (r["#"], "; ".join(diff)))
    failed = [by_id[i]["failed"] for i in ids]
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
