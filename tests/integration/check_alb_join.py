#!/usr/bin/env python3
"""check_alb_join.py — scripts/alb-join lines up an ALB connection log
(captures/policy/elb-policy.connlog, written in AWS's format for the
conversations of captures/elb-policy.pcapng) with the plugin's CSV: every
failed log entry gets the capture's outcome, alert and likely cause; an
entry with no conversation, or outside the time window, gets "-"."""
import csv
import io
import os
import sys
import tempfile

import harness

Failure = harness.Failure
CAPTURE = os.path.join(harness.CAPTURES, "elb-policy.pcapng")
LOG = os.path.join(harness.CAPTURES, "policy", "elb-policy.connlog")
JOIN = os.path.join(harness.SOURCE_DIR, "scripts", "alb-join")
CUSTOM = ("tlsalerts.custom_policy:versions=tls1.2+tls1.3;ciphers=0x1301+0x1302+0x1303+0xc02b+0xc02f+0xc02c+0xc030;"
          "groups=x25519+secp256r1+secp384r1")


def expect(cond, message):
    if not cond:
        raise Failure(message)


def join(csv_path, *args):
    p = harness.run([sys.executable, JOIN, csv_path, LOG] + list(args))
    return list(csv.DictReader(io.StringIO(p.stdout), delimiter="\t"))


def test():
    p = harness.tshark_plugin("-q", "-r", CAPTURE, "-o", CUSTOM, "-z", "tlsalerts,csv")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(p.stdout)
        path = f.name
    try:
        rows = join(path, "--failed-only")
        expect(len(rows) == 10, "%d failed entries, want 10" % len(rows))
        got = [(r["client_port"], r["outcome"], r["failure_alert"], r["policy_verdict"]) for r in rows]
        want = [("36662", "alert_by_server", "protocol_version (70)", "no_common_version"),
                ("36666", "alert_by_server", "protocol_version (70)", "no_common_version"),
                ("36674", "alert_by_server", "protocol_version (70)", "no_common_version"),
                ("36692", "alert_by_server", "handshake_failure (40)", "no_common_cipher"),
                ("36694", "alert_by_server", "handshake_failure (40)", "no_common_cipher"),
                ("36702", "alert_by_server", "handshake_failure (40)", "no_common_cipher"),
                ("36708", "alert_by_server", "handshake_failure (40)", "no_common_group"),
                ("36718", "alert_by_server", "handshake_failure (40)", "no_common_group"),
                ("36734", "alert_by_client", "unknown_ca (48)", "ok"),
                ("51234", "-", "-", "-")]
        expect(got == want, "joined rows differ:\n got:  %r\n want: %r" % (got, want))
        expect(rows[0]["likely_cause"].startswith("client offers only TLS 1.0\u20131.1; the custom policy needs"),
               rows[0]["likely_cause"])
        expect(rows[8]["likely_cause"].startswith("client does not trust the server certificate"), rows[8]["likely_cause"])
        expect(all(r["tls_verify_status"] == "Failed:UnmappedConnectionError" for r in rows), "status column")
        everything = join(path)
        expect(len(everything) == 13, "%d entries, want 13" % len(everything))
        expect([r["outcome"] for r in everything if r["tls_verify_status"] == "Success"] == ["established"] * 3,
               "successful entries are not the established conversations")
        narrow = join(path, "--window", "0.0001")
        expect(all(r["outcome"] == "-" for r in narrow), "matched outside the time window")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    harness.main(test)
