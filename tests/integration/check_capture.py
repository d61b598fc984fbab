#!/usr/bin/env python3
"""check_capture.py MODE NAME — one capture, one check.

  expected  the plugin's counts equal captures/expected/NAME.alerts.tsv, and its
            totals and groups agree with the rows
  oracle    the plugin's counts equal tshark's own field extraction, run here, and
            so do its ClientHellos not decoded as TLS, per port
  passes    one-pass and two-pass (-2) runs agree, conversations included, and so do the
            conversations tables (-z tlsalerts,conversations), each row equal to the JSON
  senders   who sent each alert equals captures/expected/NAME.alerts.tsv
  tunnel    every conversation's VNI and outer source equal tshark's own vxlan.vni and
            outermost ip.src/ipv6.src on the conversation's first frame
  conversations
            every conversation's endpoints, tunnel, SNI, outcome and first failure
            equal captures/expected/NAME.conv.tsv (in order of first frame)
"""
import os
import sys

import harness


def check_totals(doc):
    readable, encrypted = harness.json_counts(doc)
    t = doc["totals"]
    if t["encrypted"] != sum(encrypted.values()):
        raise harness.Failure("totals.encrypted %d != %d" % (t["encrypted"], sum(encrypted.values())))
    if t["alerts"] != sum(readable.values()) + t["encrypted"]:
        raise harness.Failure("totals.alerts %d != rows + encrypted" % t["alerts"])
    groups = {g: 0 for g in list(harness.GROUPS) + ["unknown"]}
    for (_p, _l, d), n in readable.items():
        groups[harness.group_of(d)] += n
    if doc["by_group"] != groups:
        raise harness.Failure("by_group %r != %r" % (doc["by_group"], groups))
    failures = sum(n for g, n in groups.items() if g != "graceful")
    if t["failures"] != failures:
        raise harness.Failure("totals.failures %d != %d" % (t["failures"], failures))
    for row in doc["alerts"]:
        if row["group"] != harness.group_of(row["description"]) or \
           row["failure"] != (row["description"] not in harness.GROUPS["graceful"]):
            raise harness.Failure("row classified wrongly: %r" % row)


def main():
    mode, name = sys.argv[1], sys.argv[2]
    capture = os.path.join(harness.CAPTURES, name + ".pcapng")

    def test():
        doc = harness.plugin_json(capture)
        check_totals(doc)
        got = harness.json_counts(doc)
        if mode == "expected":
            harness.compare("plugin vs expected/%s.alerts.tsv" % name, got, harness.expected_counts(name))
        elif mode == "oracle":
            harness.compare("plugin vs tshark fields", got, harness.oracle_counts(capture))
            undecoded, want = harness.json_undecoded(doc), harness.oracle_undecoded(capture)
            if undecoded != want:
                raise harness.Failure("ClientHellos not decoded as TLS: plugin %r, tshark fields %r"
                                      % (dict(undecoded), dict(want)))
        elif mode == "passes":
            two = harness.plugin_json(capture, "-2")
            harness.compare("one-pass vs two-pass", got, harness.json_counts(two))
            if two["totals"] != doc["totals"] or two["by_group"] != doc["by_group"]:
                raise harness.Failure("two-pass totals differ: %r vs %r" % (two["totals"], doc["totals"]))
            if two["undecoded_tls"] != doc["undecoded_tls"]:
                raise harness.Failure("two-pass undecoded_tls differ: %r vs %r"
                                      % (two["undecoded_tls"], doc["undecoded_tls"]))
            if two["outcomes"] != doc["outcomes"] or two["conversations"] != doc["conversations"]:
                raise harness.Failure("two-pass conversations differ:\n%r\n%r" % (two["outcomes"], doc["outcomes"]))
            # The conversations table (Wireshark's generic table): the same rows
            # in one pass and two, each equal to its JSON conversation.
            one_table = harness.plugin_conversations_table(capture)
            two_table = harness.plugin_conversations_table(capture, "-2")
            if one_table != two_table:
                diff = [(a, b) for a, b in zip(one_table, two_table) if a != b]
                raise harness.Failure("conversations table: one pass and two passes differ (%d rows of %d/%d), "
                                      "first: %r vs %r" % (len(diff), len(one_table), len(two_table),
                                                           *(diff[0] if diff else (None, None))))
            harness.check_table_against_json(one_table, doc, "conversations table")
        elif mode == "tunnel":
            frames = {c["first_frame"]: c for c in doc["conversations"]}
            if not frames:
                # Nothing to check, which only a capture expected to hold no
                # conversation may say (undecoded-tls: none without -d).
                if harness.expected_conversations(name):
                    raise harness.Failure("no conversations")
                return
            p = harness.run([harness.TSHARK, "-r", capture, "-T", "fields", "-E", "occurrence=f",
                             "-e", "frame.number", "-e", "vxlan.vni", "-e", "ip.src", "-e", "ipv6.src",
                             "-e", "frame.protocols"])
            checked = 0
            for line in p.stdout.splitlines():
                number, vni, ip4, ip6, protocols = (line.split("\t") + [""] * 5)[:5]
                conv = frames.get(int(number))
                if not conv:
                    continue
                outer = (ip6 if protocols.split(":").index("ipv6") < protocols.split(":").index("ip") else ip4) \
                    if "ip" in protocols.split(":") and "ipv6" in protocols.split(":") else (ip4 or ip6)
                want = (int(vni), outer) if vni else (None, None)
                got = (conv["vni"], conv["outer_src"])
                if got != want:
                    raise harness.Failure("conversation %d: vni/outer_src %r, tshark %r" % (conv["id"], got, want))
                checked += 1
            if checked != len(frames):
                raise harness.Failure("checked %d of %d conversations" % (checked, len(frames)))
        elif mode == "senders":
            got, want = harness.json_senders(doc), harness.expected_senders(name)
            if got != want:
                raise harness.Failure("alerts by sender differ\n got:  %r\n want: %r" % (sorted(got.items()), sorted(want.items())))
        elif mode == "conversations":
            got, want = harness.json_conversations(doc), harness.expected_conversations(name)
            if got != want:
                lines = ["  #%d got  %s\n     want %s" % (i + 1, "\t".join(g) if g else "-", "\t".join(w) if w else "-")
                         for i, (g, w) in enumerate(zip(got + [None] * len(want), want + [None] * len(got)))
                         if g != w and (g or w)]
                raise harness.Failure("conversations differ (%d got, %d expected):\n%s" % (len(got), len(want), "\n".join(lines)))
        else:
            raise harness.Failure("unknown mode " + mode)

    harness.main(test)


if __name__ == "__main__":
    main()
