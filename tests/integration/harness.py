"""Shared helpers for the integration tests: run the real tshark with the built
plugin, run tshark's own field extraction (the oracle), read expected results.

Environment (set by CTest): TLSALERTS_SO (built plugin), TLSALERTS_SOURCE_DIR.
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("TLSALERTS_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
CAPTURES = os.path.join(SOURCE_DIR, "captures")
EXPECTED = os.path.join(CAPTURES, "expected")
WRAPPER = os.path.join(HERE, "tshark-with-plugin")
TSHARK = os.environ.get("TSHARK", "tshark")

# The product brief's classification table, written out here independently of
# the C classifier so the two check each other.
GROUPS = {
    "graceful": {0, 90},
    "negotiation": {40, 60, 70, 71, 86, 100, 109, 110, 112, 120, 121},
    "pki": {41, 42, 43, 44, 45, 46, 48, 49, 111, 113, 114, 115, 116},
    "hardware": {20, 21, 22, 30, 50, 51, 80},
    "protocol": {10, 47},
}


def group_of(description):
    for name, codes in GROUPS.items():
        if description in codes:
            return name
    return "unknown"


class Failure(Exception):
    pass


# The only lines tshark may print on stderr in a run that must succeed, and
# why each is harmless. Anything else (a "Too many taps queued" warning that
# means lost alerts, a dissector bug, a GLib critical, a sanitizer report)
# fails the test.
KNOWN_STDERR = [
    # tshark run as root (tshark's own field extraction, the oracle; the plugin
    # runs as "nobody", see tshark-with-plugin).
    re.compile(r'^Running as user "root" and group "root"\. This could be dangerous\.$'),
    # tshark -M N: the notice of each session reset (hostile.reset, the live sensor).
    re.compile(r'^resetting session\.$'),
    # The CSV-like reports' note on ClientHellos Wireshark did not decode as TLS
    # (undecoded-tls, nonstandard-port; asserted by check_undecoded.py).
    re.compile(r'^tlsalerts: Note: \d+ TLS ClientHellos? (was|were) not decoded as TLS '),
]


def unexpected_stderr(text):
    """The lines of tshark's stderr that KNOWN_STDERR does not allow."""
    return [line for line in text.splitlines()
            if line.strip() and not any(known.match(line) for known in KNOWN_STDERR)]


def run(cmd, check=True, **kw):
    """Run CMD; with check, fail on a non-zero exit status and, for tshark (with
    or without the plugin), on any stderr line KNOWN_STDERR does not allow."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if check and p.returncode != 0:
        raise Failure("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    if check and cmd and cmd[0] in (WRAPPER, TSHARK):
        lines = unexpected_stderr(p.stderr)
        if lines:
            raise Failure("%s: unexpected stderr (%d lines), first:\n%s" %
                          (" ".join(cmd), len(lines), "\n".join(lines[:5])))
    return p


def tshark_plugin(*args, check=True):
    """The real tshark with the freshly built plugin loaded."""
    return run([WRAPPER] + list(args), check=check)


def plugin_json(capture, *extra):
    p = tshark_plugin("-q", "-r", capture, *extra, "-z", "tlsalerts,json")
    start = p.stdout.find("{")
    if start < 0:
        raise Failure("no JSON in tshark output:\n" + p.stdout + p.stderr)
    return json.loads(p.stdout[start:])


def json_counts(doc):
    """{(protocol, level, description): count} plus {protocol: encrypted count}."""
    readable = collections.Counter()
    for row in doc["alerts"]:
        readable[(row["protocol"], row["level"], row["description"])] += row["count"]
    encrypted = collections.Counter({p: n for p, n in doc["encrypted_by_protocol"].items() if n})
    return readable, encrypted


def oracle_counts(capture, display_filter=None):
    """Alert counts from tshark's own field extraction, without the plugin."""
    fields = ["tls.alert_message", "tls.alert_message.level", "tls.alert_message.desc",
              "dtls.alert_message", "dtls.alert_message.level", "dtls.alert_message.desc",
              "quic.cc.error_code.tls_alert", "udp.stream", "ip.src", "ipv6.src", "vxlan.vni"]
    cmd = [TSHARK, "-r", capture, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    has_alert = "tls.alert_message || dtls.alert_message || quic.cc.error_code.tls_alert"
    cmd += ["-Y", "(%s) && (%s)" % (display_filter, has_alert) if display_filter else has_alert]
    for f in fields:
        cmd += ["-e", f]
    p = run(cmd, env=dict(os.environ, HOME=os.environ.get("TLSALERTS_ORACLE_HOME", "/nonexistent")))
    readable = collections.Counter()
    encrypted = collections.Counter()
    quic_seen = set()

    def split(value):
        return [int(v) for v in value.split(",")] if value else []

    for line in p.stdout.splitlines():
        cols = (line.split("\t") + [""] * 11)[:11]
        for proto, (msg, lvl, desc) in (("tls", cols[0:3]), ("dtls", cols[3:6])):
            messages = len(msg.split(",")) if msg else 0
            levels, descs = split(lvl), split(desc)
            if len(levels) != len(descs):
                raise Failure("oracle: unpaired level/description in %r" % line)
            for level, description in zip(levels, descs):
                readable[(proto, level, description)] += 1
            if messages > len(descs):
                encrypted[proto] += messages - len(descs)
        # A QUIC endpoint repeats its CONNECTION_CLOSE while closing (RFC 9000
        # 10.2.1), often in coalesced packets: one alert per connection and sender.
        stream = cols[7].split(",")[-1]
        source = (cols[8] or cols[9]).split(",")[-1]
        for description in split(cols[6]):
            key = (cols[10], stream, source, description)
            if key not in quic_seen:
                quic_seen.add(key)
                readable[("quic", 2, description)] += 1
    return readable, encrypted


def looks_like_client_hello(payload):
    """The oracle's own reading of a TLS ClientHello record at the start of a
    TCP payload (README "TLS that Wireshark does not decode")."""
    b = payload[:11]
    if len(b) < 11 or b[0] != 22 or b[1] != 3 or b[2] > 4 or b[5] != 1 or b[9] != 3 or b[10] > 4:
        return False
    record = b[3] << 8 | b[4]
    message = b[6] << 16 | b[7] << 8 | b[8]
    return 42 <= record <= 16384 and 38 <= message <= 65536 + 1024


def oracle_undecoded(capture, *extra):
    """{port: n} of TCP segments on which tshark ran no TLS dissector although
    their payload starts with a ClientHello record, from tshark's own fields
    (retransmissions excluded: the same ClientHello again)."""
    cmd = [TSHARK, "-r", capture] + list(extra) + [
        "-Y", "tcp.len >= 11 && !tls && !tcp.analysis.retransmission",
        "-T", "fields", "-E", "occurrence=l", "-e", "tcp.dstport", "-e", "tcp.payload"]
    p = run(cmd, env=dict(os.environ, HOME=os.environ.get("TLSALERTS_ORACLE_HOME", "/nonexistent")))
    ports = collections.Counter()
    for line in p.stdout.splitlines():
        port, _, payload = line.partition("\t")
        payload = payload.replace(":", "")
        if port and looks_like_client_hello(bytes.fromhex(payload[:22])):
            ports[int(port)] += 1
    return ports


def json_undecoded(doc):
    """{port: n} of the JSON report's undecoded_tls, checked for consistency."""
    u = doc["undecoded_tls"]
    ports = collections.Counter({p["port"]: p["client_hellos"] for p in u["ports"]})
    if sum(ports.values()) + u["other_ports"] != u["client_hellos"]:
        raise Failure("undecoded_tls: ports and other_ports do not add up to client_hellos: %r" % u)
    for p in u["ports"]:
        if p["decode_as"] != "tcp.port==%d,tls" % p["port"]:
            raise Failure("undecoded_tls: decode_as %r for port %d" % (p["decode_as"], p["port"]))
    if (u["note"] is None) != (u["client_hellos"] == 0):
        raise Failure("undecoded_tls: note %r with %d ClientHellos" % (u["note"], u["client_hellos"]))
    return ports


_tshark_version = None


def tshark_version():
    """(major, minor) of the tshark under test."""
    global _tshark_version
    if _tshark_version is None:
        first = run([TSHARK, "--version"]).stdout.splitlines()[0]
        m = re.search(r"\(Wireshark\) (\d+)\.(\d+)", first)
        if not m:
            raise Failure("cannot tell the Wireshark version from %r" % first)
        _tshark_version = (int(m.group(1)), int(m.group(2)))
    return _tshark_version


def wireshark_matches(condition):
    """A row's optional `wireshark` column: empty (every version), or an
    operator and major.minor, e.g. "<4.4" or ">=4.4"."""
    if not condition:
        return True
    m = re.fullmatch(r"(<|<=|>|>=|==)(\d+)\.(\d+)", condition.strip())
    if not m:
        raise Failure("bad wireshark condition %r" % condition)
    op, want = m.group(1), (int(m.group(2)), int(m.group(3)))
    have = tshark_version()
    return {"<": have < want, "<=": have <= want, ">": have > want,
            ">=": have >= want, "==": have == want}[op]


def expected_alert_rows(name):
    """(protocol, level, description, sender, count) rows of NAME.alerts.tsv
    that apply to the Wireshark version under test."""
    path = os.path.join(EXPECTED, name + ".alerts.tsv")
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    header, rows = rows[0], rows[1:]
    if header[:5] != ["protocol", "level", "description", "sender", "count"]:
        raise Failure("%s: unexpected header %r" % (path, header))
    return [r[:5] for r in rows if wireshark_matches(r[5] if len(r) > 5 else "")]


def expected_counts(name):
    """Counts from captures/expected/NAME.alerts.tsv, summed over senders."""
    readable = collections.Counter()
    encrypted = collections.Counter()
    for proto, level, description, _sender, count in expected_alert_rows(name):
        if level == "-" or description == "-":
            encrypted[proto] += int(count)
        else:
            readable[(proto, int(level), int(description))] += int(count)
    return readable, encrypted


def expected_senders(name):
    """{(protocol, level|'-', description|'-', sender): count} from NAME.alerts.tsv."""
    counts = collections.Counter()
    for proto, level, description, sender, count in expected_alert_rows(name):
        counts[(proto, level, description, sender)] += int(count)
    return counts


def json_senders(doc):
    """The same counts from the plugin's report: the alert rows by sender (every
    alert), checked against the conversations' own alert lists where those list
    every alert (a conversation lists its first 64 and counts the rest)."""
    counts = collections.Counter()
    for row in doc["alerts"]:
        for sender, n in row["by_sender"].items():
            if n:
                counts[(row["protocol"], str(row["level"]), str(row["description"]), sender)] += n
    for protocol, by_sender in doc["encrypted_by_sender"].items():
        for sender, n in by_sender.items():
            if n:
                counts[(protocol, "-", "-", sender)] += n
    listed = collections.Counter()
    complete = True
    for conv in doc["conversations"]:
        complete = complete and conv["alerts_not_listed"] == 0
        for a in conv["alerts"]:
            if a["encrypted"]:
                key = (conv["protocol"], "-", "-", a["sender"])
            else:
                key = (conv["protocol"], str(a["level"]), str(a["description"]), a["sender"])
            listed[key] += 1
    if complete and listed != counts:
        raise Failure("the conversations' alert lists %r differ from the alert rows %r" %
                      (sorted(listed.items()), sorted(counts.items())))
    if not complete and any(listed[k] > counts[k] for k in listed):
        raise Failure("the conversations list more alerts than the rows count")
    return counts


CONV_COLUMNS = ["client_ip", "server_ip", "server_port", "vni", "sni", "outcome", "failure_alert", "failure_sender"]


def expected_conversations(name):
    path = os.path.join(EXPECTED, name + ".conv.tsv")
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    if rows[0][:8] != CONV_COLUMNS:
        raise Failure("%s: unexpected header %r" % (path, rows[0]))
    sni = CONV_COLUMNS.index("sni")
    return [tuple(unescape(v) if i == sni else v for i, v in enumerate(r[:8])) for r in rows[1:]]


def unescape(value):
    """An expected value may write a byte that is no printable ASCII as \\xHH."""
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), value)


def json_conversations(doc):
    out = []
    for c in sorted(doc["conversations"], key=lambda c: c["first_frame"]):
        fa = c["failure_alert"]
        out.append((c["client_ip"], c["server_ip"], str(c["server_port"]),
                    "-" if c["vni"] is None else str(c["vni"]), c["sni"] or "-", c["outcome"],
                    str(fa["description"]) if fa else "-", fa["sender"] if fa else "-"))
    return out


def shown_text(value):
    """A string from the capture as the tables show it (the way Wireshark shows field
    values): printable characters as themselves, ASCII controls as C escapes
    (octal when no letter), Unicode controls, format characters, unassigned and
    surrogate code points as \\uXXXX. Written apart from the C code so each checks
    the other."""
    letters = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r"}
    out = []
    for ch in value:
        o = ord(ch)
        if o < 0x80:
            if 0x20 <= o < 0x7f:
                out.append(ch)
            elif o in letters:
                out.append("\\" + letters[o])
            else:
                out.append("\\%03o" % o)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Cs"):
            out.append("\\u%04X" % o if o <= 0xFFFF else "\\U%08X" % o)
        else:
            out.append(ch)
    return "".join(out)


def clipped(text, limit):
    """A table cell cut to `limit` bytes of UTF-8, ending in "..."."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit - 3].decode(errors="ignore") + "..."


GUI_CELL_MAX = 256   # the GUI table (-z tlsalerts,conversations)
TEXT_CELL_MAX = 80   # the text table (-z tlsalerts,conv)


def table_text(value, limit=GUI_CELL_MAX):
    return clipped(shown_text(value), limit)


TABLE_COLUMNS = ["#", "Client", "Client port", "Server", "Server port", "VNI", "SNI", "Version (or offered)",
                 "Outcome", "Failure alert", "Sender", "Group", "Frame", "First time (UTC)", "History",
                 "Policy", "Likely cause"]
HISTORY = TABLE_COLUMNS.index("History")


def parse_conversations_table(text):
    """tshark's `-z tlsalerts,conversations` output (Wireshark's generic table:
    cells each followed by " |") -> [[cell, ...]] in the order printed."""
    header, rows = None, []
    for line in text.splitlines():
        if " |" not in line or line.startswith("Filter for statistics:"):
            continue
        cells = [c.strip() for c in line.rstrip().rstrip("|").split(" |")]
        if header is None:
            header = cells
            if header != TABLE_COLUMNS:
                raise Failure("unexpected conversations table header %r" % header)
            continue
        if len(cells) != len(TABLE_COLUMNS):
            raise Failure("conversations table row with %d cells: %r" % (len(cells), line))
        rows.append(cells)
    if header is None:
        raise Failure("no conversations table in:\n" + text)
    return rows


def plugin_conversations_table(capture, *extra):
    return parse_conversations_table(tshark_plugin("-q", "-r", capture, *extra,
                                                   "-z", "tlsalerts,conversations").stdout)


def alert_label(name, code):
    """"unknown_ca (48)"; names of codes without one already carry it: "unknown(117)"."""
    return name if name.endswith("(%d)" % code) else "%s (%d)" % (name, code)


def table_row_of(conv):
    """The conversations table row that a JSON conversation should give, but
    for History (the table's is a prefix of the JSON one): [cell, ...]."""
    fa = conv["failure_alert"]
    if conv["version"]:
        version = conv["version"]
    elif conv["offered_versions"]:
        version = "offered " + "|".join(conv["offered_versions"])
    else:
        version = "-"
    return [str(conv["id"]), conv["client_ip"], str(conv["client_port"]), conv["server_ip"],
            str(conv["server_port"]), "-" if conv["vni"] is None else str(conv["vni"]),
            table_text(conv["sni"]) if conv["sni"] else "-",
            version, conv["outcome"],
            alert_label(fa["description_name"], fa["description"]) if fa else "-",
            fa["sender"] if fa else "-", fa["group"] if fa else "-",
            str(fa["frame"] if fa else conv["first_frame"]), conv["first_time"],
            conv["policy_verdict"] or "-",
            table_text(conv["likely_cause"]) if conv["likely_cause"] else "-"]


def check_table_against_json(rows, doc, what):
    """Every table row equals its JSON conversation (History: a prefix, "-" if empty)."""
    by_id = {str(c["id"]): c for c in doc["conversations"]}
    if sorted(r[0] for r in rows) != sorted(by_id):
        raise Failure("%s: table rows %r, JSON conversations %r" % (what, [r[0] for r in rows], sorted(by_id)))
    for r in rows:
        conv = by_id[r[0]]
        want = table_row_of(conv)
        got, history = r[:HISTORY] + r[HISTORY + 1:], r[HISTORY]
        if got != want:
            raise Failure("%s: conversation %s\n table %r\n JSON  %r" % (what, r[0], got, want))
        if not (history == "-" or conv["history"].startswith(history)):
            raise Failure("%s: conversation %s history %r is not a prefix of %r" % (what, r[0], history, conv["history"]))


def describe(readable, encrypted):
    lines = ["  %s level %d description %d: %d" % (k[0], k[1], k[2], v) for k, v in sorted(readable.items())]
    lines += ["  %s encrypted: %d" % (k, v) for k, v in sorted(encrypted.items())]
    return "\n".join(lines) or "  (none)"


def compare(what, got, want):
    if got != want:
        raise Failure("%s differ\n got:\n%s\n want:\n%s" % (what, describe(*got), describe(*want)))


def main(test):
    """Run test(); print a one-line verdict; exit 0/1."""
    try:
        test()
    except Failure as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    print("ok")
