#!/usr/bin/env python3
"""check_syn_flood.py — a SYN flood made for the test (root: network namespaces):
N bare SYNs to a closed port 443 from N distinct source ports, each answered by
a RST (bench/make-syn-flood). With tlsalerts.provisional_limit L < N, every
report still counts all N conversations (outcome aborted_before_client_hello)
while only the newest L are listed: JSON lists L and says N - L are not listed,
the conversations text says so, the tree, the timeline and the Prometheus
counters count N; one pass and two passes give the same documents. With no
limit (0) and with the default (10,000 > N) all N are listed, as before.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import harness
import prom_parse

Failure = harness.Failure
N, LIMIT = 1000, 200
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def expect(cond, message):
    if not cond:
        raise Failure(message)


def make_flood(work):
    path = os.path.join(work, "syn-flood.pcapng")
    env = dict(os.environ, SYN_FLOOD_FIRST_PORT="20000")
    subprocess.run([os.path.join(ROOT, "bench", "make-syn-flood"), str(N), path], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    os.chmod(work, 0o755)
    os.chmod(path, 0o644)  # dumpcap writes 0600; the plugin's tshark runs as nobody
    return path


def documents(text):
    """Every JSON document in tshark's output, and the text around them."""
    decoder, docs, rest, i = json.JSONDecoder(), [], [], 0
    while True:
        j = text.find("{", i)
        if j < 0:
            rest.append(text[i:])
            return docs, "".join(rest)
        rest.append(text[i:j])
        doc, end = decoder.raw_decode(text[j:])
        docs.append(doc)
        i = j + end


def run(path, *extra):
    p = harness.tshark_plugin("-q", *extra, "-r", path, "-z", "tlsalerts,tree", "-z", "tlsalerts,conv",
                              "-z", "tlsalerts,json")
    docs, text = documents(p.stdout)
    expect(len(docs) == 1, "one JSON document, got %d" % len(docs))
    return docs[0], text


def tree_count(text, name):
    m = re.search(r"^\s*%s\s+(\d+)\s" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else None


def prom(path, *extra):
    p = harness.tshark_plugin("-q", *extra, "-r", path, "-z", "tlsalerts,prom")
    doc = prom_parse.parse(p.stdout)
    return prom_parse.total(doc, "tlsalerts_handshakes_total", outcome="aborted_before_client_hello")


def main():
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    with tempfile.TemporaryDirectory(prefix="tlsalerts-synflood.") as work:
        path = make_flood(work)
        syns = harness.run([harness.TSHARK, "-r", path, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                            "-T", "fields", "-e", "tcp.srcport"]).stdout.split()
        expect(len(syns) == N and len(set(syns)) == N, "%d SYNs from %d ports" % (len(syns), len(set(syns))))

        limit = ("-o", "tlsalerts.provisional_limit:%d" % LIMIT)
        one, text = run(path, *limit)
        two, text2 = run(path, "-2", *limit)
        expect(one == two, "one pass and two passes differ")
        expect(text == text2, "the tree or the conversations text differs between one pass and two")
        t = one["totals"]
        expect(t["handshakes"] == N and t["conversations"] == N and t["failed_handshakes"] == 0,
               "totals %r" % t)
        expect(one["outcomes"]["aborted_before_client_hello"] == N, "outcomes %r" % one["outcomes"])
        expect(one["conversations_not_listed"] == N - LIMIT, "not listed %r" % one["conversations_not_listed"])
        convs = one["conversations"]
        expect(len(convs) == LIMIT, "%d listed" % len(convs))
        expect([c["id"] for c in convs] == list(range(N - LIMIT + 1, N + 1)), "the newest are listed")
        expect(all(c["outcome"] == "aborted_before_client_hello" for c in convs), "listed outcomes")
        expect(sum(r["handshakes"] for r in one["timeline"]) == N, "timeline %r" % one["timeline"])
        expect(tree_count(text, "Handshakes") == N and tree_count(text, "aborted_before_client_hello") == N,
               "tree: %r %r" % (tree_count(text, "Handshakes"), tree_count(text, "aborted_before_client_hello")))
        expect("Not listed: %d conversations" % (N - LIMIT) in text, "no 'Not listed' line:\n" + text[:800])
        expect(prom(path, *limit) == N and prom(path, "-2", *limit) == N, "Prometheus handshakes")

        for extra in [("-o", "tlsalerts.provisional_limit:0"), ()]:
            whole, text = run(path, *extra)
            expect(len(whole["conversations"]) == N and whole["conversations_not_listed"] == 0,
                   "%r: %d listed" % (extra, len(whole["conversations"])))
            expect(whole["totals"] == one["totals"] and whole["outcomes"] == one["outcomes"],
                   "%r: counts differ from the bounded run" % (extra,))
            expect("Not listed" not in text, "%r: a 'Not listed' line" % (extra,))


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print("FAIL:", e)
        sys.exit(1)
    print("ok")
