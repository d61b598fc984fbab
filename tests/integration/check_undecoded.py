#!/usr/bin/env python3
"""check_undecoded.py CHECK — TLS that Wireshark does not decode as TLS by itself.

  reports      captures/undecoded-tls.pcapng (TLS on tcp/80, IRC STARTTLS on tcp/6667),
               read as tshark reads it by default: every report says how many ClientHellos
               were not decoded as TLS, on which port, and which -d options decode them
               (tree, conv, timeline and JSON in their output, Prometheus as a series, the
               CSV-like reports on stderr, once), with the numbers tshark's own fields give
  decode-as    the same capture with the -d options the JSON report gives: nothing is left
               undecoded, the four handshakes appear with their real outcomes, and the alert
               counts equal tshark's own fields read with the same options
  nonstandard  captures/nonstandard-port.pcapng: its TLS connection to 8080 (registered to
               HTTP) is the one ClientHello not decoded; with -d tcp.port==8080,tls it is the
               unknown_ca failure it really is, and the other conversations stay as they were
"""
import collections
import os
import re
import sys

import harness

Failure = harness.Failure
UNDECODED = os.path.join(harness.CAPTURES, "undecoded-tls.pcapng")
NONSTANDARD = os.path.join(harness.CAPTURES, "nonstandard-port.pcapng")
NOTE = ("Note: 4 TLS ClientHellos were not decoded as TLS (TCP ports 80: 2, 6667: 2): another "
        "dissector took the port or a STARTTLS was not followed; run again with "
        "-d tcp.port==80,tls -d tcp.port==6667,tls.")


def expect(cond, message):
    if not cond:
        raise Failure(message)


def report(*args):
    p = harness.tshark_plugin("-q", "-r", UNDECODED, *args)
    return p.stdout, p.stderr


def tree_nodes(text):
    """{name: count} of a stats tree's lines (leading spaces dropped)."""
    nodes = {}
    for line in text.splitlines():
        m = re.match(r"^(\s*)(\S.*?)\s{2,}(\d+)\s", line)
        if m:
            nodes[m.group(2)] = int(m.group(3))
    return nodes


def check_reports():
    want = harness.oracle_undecoded(UNDECODED)
    expect(want == collections.Counter({80: 2, 6667: 2}),
           "tshark's own fields: %r (the capture should hold 2 ClientHellos per port)" % dict(want))
    doc = harness.plugin_json(UNDECODED)
    got = harness.json_undecoded(doc)
    expect(got == want, "JSON undecoded_tls %r != tshark fields %r" % (dict(got), dict(want)))
    expect(doc["undecoded_tls"]["note"] + "." == NOTE[len("Note: "):], "JSON note: %r" % doc["undecoded_tls"]["note"])
    expect(doc["totals"]["conversations"] == 0 and doc["totals"]["alerts"] == 0,
           "nothing of it is TLS for tshark: %r" % doc["totals"])

    out, err = report("-z", "tlsalerts,tree")
    nodes = tree_nodes(out)
    expect(nodes.get("Not decoded as TLS") == 4, "tree: Not decoded as TLS = %r" % nodes.get("Not decoded as TLS"))
    expect(nodes.get("-d tcp.port==80,tls") == 2 and nodes.get("-d tcp.port==6667,tls") == 2,
           "tree: per-port nodes %r" % nodes)
    for name in ("conv", "timeline"):
        out, err = report("-z", "tlsalerts," + name)
        expect(out.count(NOTE) == 1, "%s: the note is not printed once:\n%s" % (name, out))
        expect(not err.strip(), "%s: stderr %r" % (name, err))
    # Table reports a program reads: the note on stderr, once for the whole run.
    out, err = report("-z", "tlsalerts,csv", "-z", "tlsalerts,timeline-csv", "-z", "tlsalerts,conversations")
    expect("Note:" not in out, "the CSV output itself carries the note")
    expect(err.count("tlsalerts: " + NOTE) == 1, "CSV reports: stderr %r" % err)
    out, err = report("-z", "tlsalerts,conversations")
    expect(err.count("tlsalerts: " + NOTE) == 1, "conversations table: stderr %r" % err)
    out, err = report("-z", "tlsalerts,prom")
    series = dict(re.findall(r'^tlsalerts_undecoded_tls_client_hellos_total\{port="(\d+)"\} (\d+)$', out, re.M))
    expect(series == {"80": "2", "6667": "2"}, "Prometheus series: %r" % series)
    # The per-frame view: an expert info on each ClientHello.
    p = harness.tshark_plugin("-r", UNDECODED, "-Y", "tlsalerts.undecoded", "-T", "fields",
                              "-e", "frame.number", "-e", "tlsalerts.undecoded.decode_as")
    frames = [line.split("\t") for line in p.stdout.splitlines()]
    expect(len(frames) == 4 and {f[1] for f in frames} == {"tcp.port==80,tls", "tcp.port==6667,tls"},
           "tlsalerts.undecoded frames: %r" % frames)


def decode_options(doc):
    args = []
    for port in doc["undecoded_tls"]["ports"]:
        args += ["-d", port["decode_as"]]
    return args


def oracle_with(capture, options):
    """Alert counts from tshark's own fields, read with the same -d options."""
    readable = collections.Counter()
    encrypted = collections.Counter()
    p = harness.run([harness.TSHARK, "-r", capture] + options +
                    ["-Y", "tls.alert_message", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                     "-e", "tls.alert_message", "-e", "tls.alert_message.level", "-e", "tls.alert_message.desc"],
                    env=dict(os.environ, HOME=os.environ.get("TLSALERTS_ORACLE_HOME", "/nonexistent")))
    for line in p.stdout.splitlines():
        msg, lvl, desc = (line.split("\t") + ["", "", ""])[:3]
        levels = [int(v) for v in lvl.split(",")] if lvl else []
        descs = [int(v) for v in desc.split(",")] if desc else []
        for level, description in zip(levels, descs):
            readable[("tls", level, description)] += 1
        messages = len(msg.split(",")) if msg else 0
        if messages > len(descs):
            encrypted["tls"] += messages - len(descs)
    return readable, encrypted


def check_decode_as():
    options = decode_options(harness.plugin_json(UNDECODED))
    expect(options == ["-d", "tcp.port==80,tls", "-d", "tcp.port==6667,tls"], "options %r" % options)
    doc = harness.plugin_json(UNDECODED, *options)
    expect(doc["undecoded_tls"]["client_hellos"] == 0 and doc["undecoded_tls"]["note"] is None,
           "still undecoded with %s: %r" % (" ".join(options), doc["undecoded_tls"]))
    harness.compare("plugin vs tshark fields (with -d)", harness.json_counts(doc), oracle_with(UNDECODED, options))
    convs = [(c[2], c[5], c[6], c[7]) for c in harness.json_conversations(doc)]
    want = [("80", "established", "-", "-"), ("80", "alert_by_client", "48", "client"),
            ("6667", "established", "-", "-"), ("6667", "alert_by_client", "48", "client")]
    expect(convs == want, "conversations with -d:\n got %r\n want %r" % (convs, want))
    expect(doc["totals"]["handshakes"] == 4 and doc["totals"]["failed_handshakes"] == 2, "totals %r" % doc["totals"])


def check_nonstandard():
    doc = harness.plugin_json(NONSTANDARD)
    got = harness.json_undecoded(doc)
    expect(got == collections.Counter({8080: 1}) == harness.oracle_undecoded(NONSTANDARD),
           "nonstandard-port: undecoded %r" % dict(got))
    before = harness.json_conversations(doc)
    decoded = harness.plugin_json(NONSTANDARD, *decode_options(doc))
    after = harness.json_conversations(decoded)
    expect(decoded["undecoded_tls"]["client_hellos"] == 0, "8080 still undecoded")
    extra = [c for c in after if c not in before]
    expect(len(after) == len(before) + 1 and len(extra) == 1, "with -d: %r" % after)
    expect(extra[0][2:] == ("8080", "-", "server.test", "alert_by_client", "48", "client"),
           "the 8080 conversation: %r" % (extra[0],))


CHECKS = {"reports": check_reports, "decode-as": check_decode_as, "nonstandard": check_nonstandard}

if __name__ == "__main__":
    harness.main(CHECKS[sys.argv[1]])
