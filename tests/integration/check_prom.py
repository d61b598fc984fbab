#!/usr/bin/env python3
"""check_prom.py CHECK [CAPTURE] — `-z tlsalerts,prom` over the real captures.

  equals-json CAPTURE  the exposition parses strictly, passes `promtool check
                       metrics`, and its totals equal `-z tlsalerts,json`'s:
                       alerts per row, failures, groups, encrypted per protocol,
                       handshakes per outcome, failed handshakes
  filter CAPTURE       with a display filter, the same equality with the JSON
                       report under the same filter
  promtool             promtool accepts our output and refuses a broken copy of it
                       (so the check can fail)
  textfile CAPTURE     file=PATH: the file holds what stdout would (mode 0644, no
                       temporary file left), nothing printed
  bad-config           unwritable folder, missing folder, interval=0, a bad
                       interval, an unknown option, interval without file:
                       exit status 1 and a clear message, no output
  full-disk            (root) a full filesystem: the start-up write fails with
                       status 1 and the previous file stays whole, no temporary
                       file left
  resets CAPTURE       tshark -M N with a session reset between the ClientHello
                       and the alert of each failing handshake (N = the
                       ClientHello's frame): the handshakes by outcome, the
                       failed handshakes and the alerts equal those of the run
                       without resets — every failure counted exactly once
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import harness
import prom_parse

Failure = harness.Failure
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def expect(cond, message):
    if not cond:
        raise Failure(message)


def prom_text(capture, arg="tlsalerts,prom", *extra):
    p = harness.tshark_plugin("-q", "-r", capture, *extra, "-z", arg)
    return p.stdout


def promtool_check(text, what):
    p = subprocess.run([PROMTOOL, "check", "metrics"], input=text, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    expect(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
           "%s: promtool check metrics exited %d:\n%s%s" % (what, p.returncode, p.stdout, p.stderr))


def compare(doc, js, what):
    t = js["totals"]
    alerts = prom_parse.total(doc, "tlsalerts_alerts_total")
    encrypted = prom_parse.total(doc, "tlsalerts_encrypted_alerts_total")
    checks = [
        ("alerts (readable + encrypted)", alerts + encrypted, t["alerts"]),
        ("failure alerts", prom_parse.total(doc, "tlsalerts_failure_alerts_total"), t["failures"]),
        ("encrypted alerts", encrypted, t["encrypted"]),
        ("handshakes", prom_parse.total(doc, "tlsalerts_handshakes_total"), t["handshakes"]),
        ("failed handshakes", prom_parse.total(doc, "tlsalerts_failed_handshakes_total"), t["failed_handshakes"]),
        ("pending after the end", prom_parse.total(doc, "tlsalerts_handshakes_pending"), 0),
        ("conversations tracked", prom_parse.total(doc, "tlsalerts_conversations_tracked"), t["conversations"]),
    ]
    for outcome, n in js["outcomes"].items():
        if outcome == "no_handshake_seen":
            # not a handshake: no tlsalerts_handshakes_total series at all
            checks.append(("outcome " + outcome, prom_parse.total(doc, "tlsalerts_handshakes_total", outcome=outcome), 0))
            continue
        checks.append(("outcome " + outcome, prom_parse.total(doc, "tlsalerts_handshakes_total", outcome=outcome), n))
    groups = prom_parse.by(doc, "tlsalerts_alerts_total", "group")
    for group, n in js["by_group"].items():
        checks.append(("group " + group, groups.get((group,), 0), n))
    for proto, n in js["encrypted_by_protocol"].items():
        checks.append(("encrypted " + proto, prom_parse.total(doc, "tlsalerts_encrypted_alerts_total", protocol=proto), n))
    rows = prom_parse.by(doc, "tlsalerts_alerts_total", "protocol", "level", "description", "group")
    want_rows = {}
    for r in js["alerts"]:
        k = (r["protocol"], r["level_name"], r["description_name"], r["group"])
        want_rows[k] = want_rows.get(k, 0) + r["count"]
    checks.append(("alert rows", {k: v for k, v in rows.items() if v}, {k: float(v) for k, v in want_rows.items()}))
    bad = ["%s: prom %r, json %r" % (name, got, want) for name, got, want in checks if got != want]
    expect(not bad, "%s:\n  %s" % (what, "\n  ".join(bad)))


def equals_json(capture, display_filter=None):
    arg = "tlsalerts,prom" + ("," + display_filter if display_filter else "")
    text = prom_text(capture, arg)
    doc = prom_parse.parse(text)
    promtool_check(text, capture)
    if display_filter:
        p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,json," + display_filter)
        js = json.loads(p.stdout[p.stdout.find("{"):])
    else:
        js = harness.plugin_json(capture)
    compare(doc, js, os.path.basename(capture))
    frames = int(subprocess.run(["capinfos", "-M", "-c", "-T", capture], stdout=subprocess.PIPE,
                                text=True, check=True).stdout.splitlines()[-1].split("\t")[1])
    expect(prom_parse.total(doc, "tlsalerts_frames_total") == frames,
           "frames_total %r, capinfos %d" % (prom_parse.total(doc, "tlsalerts_frames_total"), frames))
    return doc


def check_promtool(capture):
    text = prom_text(capture)
    promtool_check(text, capture)
    broken = text.replace("_total counter", "_total gauge", 1).replace("tlsalerts_frames_total", "tlsalerts_frames", 1)
    p = subprocess.run([PROMTOOL, "check", "metrics"], input=broken, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    expect(p.returncode != 0 or p.stdout.strip() or p.stderr.strip(), "promtool accepted a broken document")
    try:
        prom_parse.parse(text.replace("\n", "\n\n# TYPE tlsalerts_frames_total counter\n", 1))
    except prom_parse.FormatError:
        pass
    else:
        raise Failure("the strict parser accepted a repeated TYPE")


def writable_dir():
    d = tempfile.mkdtemp(prefix="tlsalerts-prom-")
    os.chmod(d, 0o777)  # tshark runs as nobody when the tests run as root
    return d


def textfile(capture):
    d = writable_dir()
    try:
        path = os.path.join(d, "tlsalerts.prom")
        p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,prom,file=%s,interval=1" % path)
        expect(p.stdout.strip() == "", "printed with file=:\n" + p.stdout)
        expect(os.listdir(d) == ["tlsalerts.prom"], "folder holds %r" % os.listdir(d))
        expect((os.stat(path).st_mode & 0o777) == 0o644, "mode %o" % (os.stat(path).st_mode & 0o777))
        with open(path) as f:
            from_file = prom_parse.parse(f.read())
        from_stdout = prom_parse.parse(prom_text(capture))
        for doc in (from_file, from_stdout):
            del doc["samples"]["tlsalerts_last_write_timestamp_seconds"]
        expect(from_file == from_stdout, "file and stdout differ")
    finally:
        shutil.rmtree(d)


def bad_config(capture):
    d = writable_dir()
    locked = tempfile.mkdtemp(prefix="tlsalerts-locked-")  # root's, 0700: nobody cannot write
    try:
        cases = [
            ("file=%s/x.prom" % locked, "Permission denied"),
            ("file=%s/missing/x.prom" % d, "No such file or directory"),
            ("file=%s/x.prom,interval=0" % d, "interval=0"),
            ("file=%s/x.prom,interval=ten" % d, "interval=ten"),
            ("file=%s/x.prom,intervall=5" % d, "unknown option \"intervall\""),
            ("interval=5", "interval= needs file"),
            ("file=%s/x.prom,tls.no_such_field == 1" % d, "invalid display filter"),
        ]
        if os.getuid() != 0:
            cases = cases[1:]
        for arg, message in cases:
            p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,prom," + arg, check=False)
            expect(p.returncode == 1, "%s: exit status %d" % (arg, p.returncode))
            expect("-z tlsalerts,prom: " in p.stderr and message in p.stderr,
                   "%s: unclear error:\n%s" % (arg, p.stderr))
            expect("tlsalerts_" not in p.stdout, "%s: printed metrics" % arg)
        leftovers = [f for f in os.listdir(d) if f != "x.prom"] + os.listdir(locked)
        expect(not leftovers, "left behind: %r" % leftovers)
    finally:
        shutil.rmtree(d)
        shutil.rmtree(locked)


def full_disk(capture):
    if os.getuid() != 0:
        print("full-disk needs root (a tmpfs in a private mount namespace)")
        sys.exit(77)
    if os.environ.get("TLSALERTS_IN_MOUNT_NS") != "1":
        p = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable,
                            os.path.abspath(__file__), "full-disk", os.path.basename(capture)[:-len(".pcapng")]],
                           env=dict(os.environ, TLSALERTS_IN_MOUNT_NS="1"))
        sys.exit(p.returncode)
    d = tempfile.mkdtemp(prefix="tlsalerts-tmpfs-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0777", "tmpfs", d], check=True)
    try:
        path = os.path.join(d, "tlsalerts.prom")
        harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,prom,file=" + path)
        with open(path) as f:
            before = f.read()
        prom_parse.parse(before)
        # Fill the filesystem to the last byte.
        fd = os.open(os.path.join(d, "filler"), os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while os.write(fd, b"\0" * 512) > 0:
                pass
        except OSError:
            pass
        os.close(fd)
        p = harness.tshark_plugin("-q", "-r", capture, "-z", "tlsalerts,prom,file=" + path, check=False)
        expect(p.returncode == 1, "exit status %d on a full disk" % p.returncode)
        expect("No space left on device" in p.stderr and path in p.stderr, "unclear error:\n" + p.stderr)
        with open(path) as f:
            expect(f.read() == before, "the previous file changed")
        expect(sorted(os.listdir(d)) == ["filler", "tlsalerts.prom"], "left behind: %r" % os.listdir(d))
    finally:
        subprocess.run(["umount", d])
        os.rmdir(d)


def outcome_counts(doc):
    return {k[0]: v for k, v in prom_parse.by(doc, "tlsalerts_handshakes_total", "outcome").items() if v}


def resets(capture):
    """A session reset inside each failing handshake: right after its ClientHello's frame."""
    base = prom_parse.parse(prom_text(capture))
    p = harness.run([harness.TSHARK, "-r", capture, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                     "-Y", "tls.handshake.type == 1 || tls.alert_message",
                     "-e", "frame.number", "-e", "tcp.stream", "-e", "tls.handshake.type", "-e", "tls.alert_message.desc"],
                    env=dict(os.environ, HOME=os.environ.get("TLSALERTS_ORACLE_HOME", "/nonexistent")))
    hello, alert = {}, {}
    for line in p.stdout.splitlines():
        frame, stream, types, descs = (line.split("\t") + [""] * 4)[:4]
        if "1" in types.split(",") and stream not in hello:
            hello[stream] = int(frame)
        if descs and stream not in alert:
            alert[stream] = int(frame)
    points = sorted({hello[s] for s in hello if s in alert and alert[s] > hello[s]})
    expect(len(points) >= 3, "only %d failing handshakes with an alert after the ClientHello" % len(points))
    want = {"outcomes": outcome_counts(base),
            "failed": prom_parse.total(base, "tlsalerts_failed_handshakes_total"),
            "alerts": prom_parse.total(base, "tlsalerts_alerts_total")}
    expect(want["failed"] >= len(points), "base run: %r" % want)
    bad = []
    for n in points:
        doc = prom_parse.parse(prom_text(capture, "tlsalerts,prom", "-M", str(n)))
        got = {"outcomes": outcome_counts(doc),
               "failed": prom_parse.total(doc, "tlsalerts_failed_handshakes_total"),
               "alerts": prom_parse.total(doc, "tlsalerts_alerts_total")}
        expect(prom_parse.total(doc, "tlsalerts_session_resets_total") >= 1, "-M %d: no reset counted" % n)
        expect(prom_parse.total(doc, "tlsalerts_handshakes_pending") == 0, "-M %d: pending after the end" % n)
        if got != want:
            bad.append("-M %d: %r" % (n, got))
    expect(not bad, "without resets %r; with a reset inside a failing handshake:\n  %s" % (want, "\n  ".join(bad)))
    print("%d reset points: %s" % (len(points), " ".join(map(str, points))))


def main():
    check = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "alb-mirror"
    capture = os.path.join(harness.CAPTURES, name + ".pcapng")
    try:
        if check == "equals-json":
            equals_json(capture)
        elif check == "filter":
            equals_json(capture, "tcp.port == 443 || udp")
        elif check == "promtool":
            check_promtool(capture)
        elif check == "textfile":
            textfile(capture)
        elif check == "bad-config":
            bad_config(capture)
        elif check == "full-disk":
            full_disk(capture)
        elif check == "resets":
            resets(capture)
        else:
            raise Failure("unknown check " + check)
    except (Failure, prom_parse.FormatError) as e:
        print("FAIL %s %s: %s" % (check, name, e))
        sys.exit(1)
    print("ok %s %s" % (check, name))


if __name__ == "__main__":
    main()
