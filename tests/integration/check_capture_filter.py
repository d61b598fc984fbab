#!/usr/bin/env python3
"""The sensor's record filter loses nothing the reports count.

    check_capture_filter.py NAME     captures/NAME.pcapng

Takes the capture filter deploy/tlsalerts-sensor passes to tshark with
TLSALERTS_RECORD_FILTER=yes (the script itself composes it: it is run with a
TSHARK that only prints its arguments), applies it to the capture with
libpcap's own compiler and filter machine (bpf_filter.py: what dumpcap's -f
does to a live capture), and compares the JSON report of the filtered capture
with the unfiltered one's: alert counts by protocol, level and description,
encrypted alerts, and every conversation's endpoints, SNI, outcome and first
failure alert (description, sender). They must be identical, except where
KNOWN below says how and why they differ — and then exactly so.

Both sides without the key logs (Decryption Secrets Blocks): a sensor has
none, and with keys a dropped record breaks the decryption of the records
after it (TLS record sequence numbers), so the filter is for key-less capture.
"""
import json
import os
import stat
import subprocess
import sys
import tempfile

import bpf_filter
import harness

# NAME: (why, the differences) for the captures the filter changes; the test
# asserts exactly these differences (as differences() writes them).
KNOWN = {
    "aborts": (
        "plain HTTP to port 443: the filter drops the client's 'GET /' (no record header), so Wireshark no "
        "longer takes the connection for HTTP and dissects gnutls-serv's answer as the TLS alert it is",
        ["alerts tls/2/10: 0 -> 1",
         "conversation 6 (10.99.0.1 -> 10.99.0.2:443) outcome: aborted_before_client_hello -> alert_by_server",
         "conversation 6 (10.99.0.1 -> 10.99.0.2:443) failure_alert: - -> 10",
         "conversation 6 (10.99.0.1 -> 10.99.0.2:443) failure_sender: - -> server"]),
    "malformed-hostile-sni": (
        "a ClientHello larger than one segment (a 4,000-byte server name): its continuation is dropped, so "
        "the ClientHello is never reassembled; the outcome stays, the SNI is lost",
        ["conversation 3 (10.99.92.1 -> 10.99.92.2:443) sni: longaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa -> -"]),
    "split-alert": (
        "alert records split across TCP segments (the point of this capture): the segment holding the rest "
        "of the record starts no record and is dropped, so those alerts are lost",
        ["alerts tls/2/48: 1 -> 0",
         "alerts tls/2/70: 1 -> 0",
         "encrypted alerts tls: 2 -> 1",
         "conversation 1 (10.99.40.1 -> 10.99.40.2:443) outcome: alert_by_client -> aborted_after_server_flight",
         "conversation 1 (10.99.40.1 -> 10.99.40.2:443) failure_alert: 48 -> -",
         "conversation 1 (10.99.40.1 -> 10.99.40.2:443) failure_sender: client -> -",
         "conversation 2 (10.99.40.1 -> 10.99.40.2:443) outcome: alert_by_server -> aborted_after_client_hello",
         "conversation 2 (10.99.40.1 -> 10.99.40.2:443) failure_alert: 70 -> -",
         "conversation 2 (10.99.40.1 -> 10.99.40.2:443) failure_sender: server -> -"]),
}


def record_filter():
    """The -f argument of deploy/tlsalerts-sensor with TLSALERTS_RECORD_FILTER=yes."""
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, "tshark")
        with open(fake, "w") as f:
            f.write("#!%s\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n" % sys.executable)
        os.chmod(fake, stat.S_IRWXU)
        env = dict(os.environ, TSHARK=fake, TLSALERTS_INTERFACE="eth0", TLSALERTS_TEXTFILE=os.path.join(d, "t.prom"),
                   TLSALERTS_RECORD_FILTER="yes", TLSALERTS_CAPTURE_FILTER="", TLSALERTS_CHECK_INTERFACE="",
                   TLSALERTS_SESSION_RESET="")
        out = subprocess.run([os.path.join(harness.SOURCE_DIR, "deploy", "tlsalerts-sensor")], env=env,
                             stdout=subprocess.PIPE, text=True, check=True).stdout
    argv = json.loads(out)
    return argv[argv.index("-f") + 1]


def report(capture):
    doc = harness.plugin_json(capture)
    readable, encrypted = harness.json_counts(doc)
    return readable, encrypted, harness.json_conversations(doc)


def test(name):
    capture = os.path.join(harness.CAPTURES, name + ".pcapng")
    expression = record_filter()
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)  # tshark may run as nobody
        unfiltered = os.path.join(d, name + ".pcapng")
        filtered = os.path.join(d, name + ".filtered.pcapng")
        bpf_filter.filter_pcapng(None, capture, unfiltered, drop_secrets=True)
        kept, total = bpf_filter.filter_pcapng(expression, capture, filtered, drop_secrets=True)
        for f in (unfiltered, filtered):
            os.chmod(f, 0o644)
        print("%s: the record filter keeps %d of %d frames" % (name, kept, total))
        want = report(unfiltered)
        got = report(filtered)
    found = differences(want, got)
    why, expected = KNOWN.get(name, (None, []))
    if found != expected:
        raise harness.Failure("the filter changes:\n%s\nexpected:\n%s" % (
            "\n".join("  " + d for d in found) or "  nothing", "\n".join("  " + d for d in expected) or "  nothing"))
    if found:
        print("as known (%s):\n%s" % (why, "\n".join("  " + d for d in found)))


def differences(want, got):
    """What differs between the unfiltered and the filtered report, one line each."""
    out = []
    for what, w, g in (("alerts", want[0], got[0]), ("encrypted alerts", want[1], got[1])):
        for key in sorted(set(w) | set(g), key=str):
            if w.get(key, 0) != g.get(key, 0):
                out.append("%s %s: %d -> %d" % (what, "/".join(map(str, key if isinstance(key, tuple) else (key,))),
                                                w.get(key, 0), g.get(key, 0)))
    if len(want[2]) != len(got[2]):
        out.append("conversations: %d -> %d" % (len(want[2]), len(got[2])))
        return out
    columns = ("client_ip", "server_ip", "server_port", "vni", "sni", "outcome", "failure_alert", "failure_sender")
    for i, (a, b) in enumerate(zip(want[2], got[2])):
        for col, x, y in zip(columns, a, b):
            if x != y:
                out.append("conversation %d (%s -> %s:%s) %s: %s -> %s" % (i + 1, a[0], a[1], a[2], col,
                                                                       x[:40], y[:40]))
    return out


if __name__ == "__main__":
    harness.main(lambda: test(sys.argv[1]))
