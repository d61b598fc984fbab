#!/usr/bin/env python3
"""check_policy.py CHECK — the security-policy verdict and the likely cause on
captures/elb-policy.pcapng, whose clients fail each verdict against an nginx
with the policy below (see captures/README.md for what nginx logged).

  custom      -o tlsalerts.custom_policy (nginx's exact policy): the verdict and
              the likely-cause rule of every conversation, in JSON, CSV and the
              tlsalerts.policy / tlsalerts.cause fields
  predefined  -o tlsalerts.elb_policy:ELBSecurityPolicy-TLS13-1-2-Res-2021-06: the
              same, except that AWS lists no groups, so the group failures are ok
  errors      an unknown policy name lists the known ones; a malformed custom
              policy names the entry; no policy: no verdict
"""
import csv
import io
import sys

import harness

Failure = harness.Failure
import os
CAPTURE = os.path.join(harness.CAPTURES, "elb-policy.pcapng")
CUSTOM = ("versions=tls1.2+tls1.3;ciphers=0x1301+0x1302+0x1303+0xc02b+0xc02f+0xc02c+0xc030;"
          "groups=x25519+secp256r1+secp384r1")
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

# per conversation, in order: (verdict, likely-cause rule) against nginx's policy
WANT = [
    ("ok", None),                                  # curl TLS 1.3
    ("no_common_version", "policy_version"),       # openssl -tls1_1
    ("no_common_version", "policy_version"),       # curl --tls-max 1.1
    ("no_common_version", "policy_version"),       # gnutls TLS 1.0
    ("ok", None),                                  # curl TLS 1.2
    ("no_common_cipher", "policy_cipher"),         # openssl CBC-SHA only
    ("no_common_cipher", "policy_cipher"),         # curl ECDHE CBC only
    ("no_common_cipher", "policy_cipher"),         # openssl TLS 1.3 CCM only
    ("no_common_group", "policy_group"),           # openssl secp521r1 only
    ("no_common_group", "policy_group"),           # openssl TLS 1.3 ffdhe2048 only
    ("ok", None),                                  # gnutls defaults
    ("ok", "client_untrusted_ca"),                 # openssl, wrong CA
]


def expect(cond, message):
    if not cond:
        raise Failure(message)


def check(pref, want, policy_name):
    doc = harness.plugin_json(CAPTURE, "-o", pref)
    expect(doc["policy"] == policy_name, "policy %r" % doc["policy"])
    convs = doc["conversations"]
    got = [(c["policy_verdict"], c["likely_cause_rule"]) for c in convs]
    expect(got == want, "verdicts/causes differ:\n got:  %r\n want: %r" % (got, want))
    for c in convs:
        expect(bool(c["likely_cause"]) == c["failed"], "likely_cause of conversation %d" % c["id"])
        expect(c["offered_ciphers"] and all(isinstance(n, str) for n in c["offered_ciphers"]), "offered_ciphers")
    # names come from Wireshark's own tables
    expect("TLS_AES_128_GCM_SHA256" in convs[0]["offered_ciphers"], "Wireshark cipher names: %r" % convs[0]["offered_ciphers"])
    expect(convs[8]["offered_groups"] == ["secp521r1"], "groups of the P-521 client: %r" % convs[8]["offered_groups"])
    expect(convs[1]["likely_cause"].startswith("client offers only TLS 1.0\u20131.1; "), convs[1]["likely_cause"])
    by_cause = {}
    for v, rule in want:
        if rule:
            by_cause[rule] = by_cause.get(rule, 0) + 1
    expect(doc["failed_by_cause"] == by_cause, "failed_by_cause %r, want %r" % (doc["failed_by_cause"], by_cause))
    # the stats tree: "Failed handshakes by cause", one node per rule
    p = harness.tshark_plugin("-q", "-r", CAPTURE, "-o", pref, "-z", "tlsalerts,tree")
    tree, inside = {}, False
    for line in p.stdout.splitlines():
        if line.startswith("Failed handshakes by cause"):
            inside, total = True, int(line.split()[4])
        elif inside and line.startswith(" ") and line.strip():
            name, count = line.split()[:2]
            tree[name] = int(count)
        elif inside:
            break
    expect(inside and total == sum(by_cause.values()), "tree: failed handshakes by cause missing or wrong")
    expect(tree == by_cause, "tree by cause %r, want %r" % (tree, by_cause))
    # CSV: the same verdicts and sentences
    p = harness.tshark_plugin("-q", "-r", CAPTURE, "-o", pref, "-z", "tlsalerts,csv")
    rows = list(csv.DictReader(io.StringIO(p.stdout[p.stdout.find("client_ip"):], newline="")))
    expect([r["policy_verdict"] for r in rows] == [v for v, _ in want], "CSV verdicts")
    expect([r["likely_cause"] for r in rows] == [c["likely_cause"] or "" for c in convs], "CSV causes")
    # the field: one frame per conversation whose failure or end frame shows it
    p = harness.tshark_plugin("-r", CAPTURE, "-o", pref, "-Y", 'tlsalerts.policy != "ok"',
                              "-T", "fields", "-e", "tlsalerts.conversation", "-e", "tlsalerts.policy")
    fails = sorted({tuple(l.split("\t")) for l in p.stdout.split("\n") if l})
    want_fails = sorted((str(i + 1), v) for i, (v, _) in enumerate(want) if v != "ok")
    expect(fails == want_fails, "tlsalerts.policy frames %r, want %r" % (fails, want_fails))


def custom():
    check("tlsalerts.custom_policy:" + CUSTOM, WANT, "custom")


def predefined():
    # AWS lists no groups for the 2021-06 policies: the group failures pass the policy;
    # their likely cause then comes from the server's alert.
    want = [(v, r) if v != "no_common_group" else ("ok", "server_no_match_in_hello") for v, r in WANT]
    check("tlsalerts.elb_policy:" + RES, want, RES)


def errors():
    p = harness.tshark_plugin("-q", "-r", CAPTURE, "-o", "tlsalerts.elb_policy:ELBSecurityPolicy-Nope",
                              "-z", "tlsalerts,json", check=False)
    expect("unknown ELB security policy 'ELBSecurityPolicy-Nope'; known policies: " in p.stderr, p.stderr)
    expect("ELBSecurityPolicy-2016-08" in p.stderr and "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09" in p.stderr, p.stderr)
    p = harness.tshark_plugin("-q", "-r", CAPTURE, "-o", "tlsalerts.custom_policy:versions=tls1.2;ciphers=0x1301+0xc02b+FOO",
                              "-z", "tlsalerts,json", check=False)
    expect("tlsalerts.custom_policy: entry 3 of ciphers: unknown cipher 'FOO'" in p.stderr, p.stderr)
    doc = harness.plugin_json(CAPTURE)
    expect(doc["policy"] is None, "policy without a preference")
    expect(all(c["policy_verdict"] is None for c in doc["conversations"]), "verdicts without a policy")
    # the likely cause needs no policy: the alert speaks
    rules = [c["likely_cause_rule"] for c in doc["conversations"]]
    want = [None, "server_version", "server_version", "server_version", None] + \
           ["server_no_match_in_hello"] * 5 + [None, "client_untrusted_ca"]
    expect(rules == want, "causes without a policy %r" % rules)


if __name__ == "__main__":
    checks = {"custom": custom, "predefined": predefined, "errors": errors}
    harness.main(checks[sys.argv[1]])
