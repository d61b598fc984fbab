#!/usr/bin/env python3
"""Recompute the alerts (and conversation basics) of capture files from tshark's own fields and
compare them with expected/NAME.alerts.tsv and expected/NAME.conv.tsv (see expected/FORMAT.md).

Independent of the tlsalerts plugin: only Wireshark's tls/dtls/quic dissector fields are used.

    check_expected.py [--show] [NAME|PATH.pcapng ...]     (no name: every *.pcapng found)

  --show   print what was computed (alerts.tsv and conv.tsv layouts) instead of comparing.

Rules (the same as FORMAT.md):
- Endpoints are the innermost IP header's (VXLAN and other tunnels carry two or more).
- A conversation is an innermost TCP or UDP stream within one VXLAN VNI that Wireshark
  dissects as TLS, DTLS or QUIC (or a TCP connection to port 443 that never got that far); its client is the sender of the first
  ClientHello (TLS, DTLS or inside QUIC), else the sender of the SYN, else the side off a
  well-known port (below 1024, the other one on it), else the sender of the first packet.
- TLS/DTLS alert: each alert message in a record of content type 21. Readable ones carry level
  and description; a content-type-21 record without them is an encrypted alert ("-", "-").
  A TLS 1.3 record that Wireshark cannot decrypt is opaque type 23 and is not an alert.
  Copies of the same record (duplicated frames) count once: key = stream, sender, TCP
  sequence number (or DTLS epoch+sequence; TLS outside TCP, e.g. EAP-TLS in RADIUS: the
  frame) and position in the frame.
- QUIC alert: CONNECTION_CLOSE with CRYPTO_ERROR (0x100+code), field
  quic.cc.error_code.tls_alert, level 2. A close is repeated in every packet-number space
  and re-sent while closing; it counts once per conversation, sender and code.
- Conversations: checked are the list in order of first packet (client ip, server ip,
  server port, VNI, SNI) and, for the outcome, that the first readable failure alert (not
  close_notify 0 / user_canceled 90) matches failure_alert/failure_sender and an
  alert_by_client/alert_by_server outcome (or, for an alert after the handshake completed,
  established or closed_after_handshake: tshark's fields cannot tell the stage); without one,
  the outcome must not be alert_by_*.
  A conversation without any handshake message and (TCP) without a SYN has the outcome
  no_handshake_seen (its failure alert, if any, is still listed), and only such a one.
"""
import collections
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = os.path.dirname(HERE)
GRACEFUL = {"0", "90"}


def tshark(args):
    r = subprocess.run(["tshark", "-n"] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"tshark {' '.join(args)} failed:\n{r.stderr}")
    return r.stdout


def tshark_unescape(v):
    r"""A -T fields value as its bytes: tshark writes \\, \a, \b, \f, \n, \r, \t, \v
    as C escapes and every other byte as itself."""
    table = {"\\": "\\", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
    return re.sub(r"\\([\\abfnrtv])", lambda m: table[m.group(1)], v)


def tsv_unescape(v):
    r"""An expected file's cell: bytes that cannot be written in TSV are written \xHH."""
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), v)


def last(v):
    return v.split(",")[-1] if v else ""


def wireshark_matches(condition, _have=[]):
    """The optional `wireshark` column of alerts.tsv ("<4.4", ">=4.4", ...; empty: every version)."""
    if not condition:
        return True
    if not _have:
        first = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        _have.append(tuple(int(x) for x in re.search(r"\(Wireshark\) (\d+)\.(\d+)", first).groups()))
    m = re.fullmatch(r"(<|<=|>|>=|==)(\d+)\.(\d+)", condition.strip())
    if not m:
        raise SystemExit(f"bad wireshark condition {condition!r}")
    want, have = (int(m.group(2)), int(m.group(3))), _have[0]
    return {"<": have < want, "<=": have <= want, ">": have > want, ">=": have >= want,
            "==": have == want}[m.group(1)]


TUNNELS = ("vxlan", "geneve", "gre", "erspan", "gtp", "udpencap")


def innermost(protocols):
    """Innermost ip/ipv6 and tcp/udp from frame.protocols, or (None, None) when the innermost
    transport only carries a tunnel (e.g. VXLAN with ARP or ICMPv6 inside)."""
    parts = protocols.split(":")
    net = tr = None
    tr_at = -1
    for i, p in enumerate(parts):
        if p in ("ip", "ipv6"):
            net = p
        if p in ("tcp", "udp"):
            tr, tr_at = p, i
    if tr is None or any(p in TUNNELS for p in parts[tr_at + 1:]):
        return None, None
    return net, tr


FIELDS = ["frame.number", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.stream", "udp.stream", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
          "tcp.flags.syn", "tcp.flags.ack", "vxlan.vni", "tls.handshake.type", "dtls.handshake.type",
          "tls.handshake.extensions_server_name", "dtls.handshake.extensions_server_name"]


def conversations(path):
    out = tshark(["-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
                  "-E", "aggregator=,"] + sum([["-e", f] for f in FIELDS], []))
    convs = collections.OrderedDict()
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        net, tr = innermost(v["frame.protocols"])
        if not net or not tr:
            continue
        src = last(v[f"{'ip' if net == 'ip' else 'ipv6'}.src"])
        dst = last(v[f"{'ip' if net == 'ip' else 'ipv6'}.dst"])
        sport, dport = last(v[f"{tr}.srcport"]), last(v[f"{tr}.dstport"])
        stream = last(v[f"{tr}.stream"])
        key = (tr, stream, last(v["vxlan.vni"]) or "-")
        c = convs.get(key)
        if c is None:
            c = convs[key] = {"first": (src, sport, dst, dport), "hello": None, "syn": None,
                              "sni": "-", "vni": last(v["vxlan.vni"]) or "-"}
        hs = (v["tls.handshake.type"] + "," + v["dtls.handshake.type"]).split(",")
        if any(hs):
            c["handshake"] = True
        if "1" in hs and c["hello"] is None:
            c["hello"] = (src, sport, dst, dport)
            # The whole value, not last(): a server name may itself hold commas.
            sni = v["tls.handshake.extensions_server_name"] or v["dtls.handshake.extensions_server_name"]
            c["sni"] = tshark_unescape(sni) if sni else "-"
        if tr == "tcp" and last(v["tcp.flags.syn"]) in ("1", "True") and \
                last(v["tcp.flags.ack"]) in ("0", "False") and c["syn"] is None:
            c["syn"] = (src, sport, dst, dport)
        if any(p in v["frame.protocols"].split(":") for p in ("tls", "dtls", "quic")):
            c["tls"] = True
    for c in convs.values():
        src, sport, dst, dport = c["first"]
        by_port = None
        if sport.isdigit() and dport.isdigit() and (int(sport) < 1024) != (int(dport) < 1024):
            by_port = c["first"] if int(dport) < 1024 else (dst, dport, src, sport)
        c["client"] = c["hello"] or c["syn"] or by_port or c["first"]
        c["no_handshake"] = not c.get("handshake") and c["syn"] is None
    # Only TLS conversations: streams Wireshark dissected as TLS/DTLS/QUIC, and TCP
    # connections to port 443 that never got that far (aborted before the ClientHello).
    return collections.OrderedDict((k, c) for k, c in convs.items()
                                   if c.get("tls") or (k[0] == "tcp" and c["client"][3] == "443"))


def fields_of(el, name):
    return [f for f in el.iter("field") if f.get("name") == name]


def child(el, name):
    for f in el.iter("field"):
        if f.get("name") == name:
            return f.get("show")
    return None


def alerts(path, convs):
    """List of (conv key, sender, protocol, level, desc) in capture order, de-duplicated."""
    xml = tshark(["-r", path, "-T", "pdml", "-Y",
                  "tls.record.content_type == 21 || dtls.record.content_type == 21 || "
                  "quic.cc.error_code.tls_alert"])
    seen, result = set(), []
    for pkt in ET.fromstring(xml).iter("packet"):
        protos = pkt.findall("proto")
        names = [p.get("name") for p in protos]
        net = [p for p in protos if p.get("name") in ("ip", "ipv6")][-1]
        trp = [p for p in protos if p.get("name") in ("tcp", "udp")][-1]
        tr = trp.get("name")
        pre = "ip" if net.get("name") == "ip" else "ipv6"
        src = child(net, f"{pre}.src")
        sport = child(trp, f"{tr}.srcport")
        stream = child(trp, f"{tr}.stream")
        vxlan = [p for p in protos if p.get("name") == "vxlan"]
        key = (tr, stream, (child(vxlan[-1], "vxlan.vni") if vxlan else None) or "-")
        c = convs.get(key)
        if c is None:
            continue
        sender = "client" if (src, sport) == c["client"][:2] else "server"
        # TLS outside TCP (EAP-TLS in RADIUS) has no sequence number: its records are told
        # apart by frame (two identical alerts in one UDP 5-tuple are two alerts).
        seq = child(trp, "tcp.seq") if tr == "tcp" else ("frame", pkt.find("proto[@name='geninfo']/field[@name='num']").get("show"))
        n = 0
        # Protocols a field carries (TLS in EAP in a RADIUS attribute) nest inside it.
        for p in pkt.iter("proto"):
            pname = p.get("name")
            if pname in ("tls", "dtls"):
                for rec in fields_of(p, f"{pname}.record"):
                    ct = None
                    for f in rec:
                        if f.get("name") == f"{pname}.record.content_type":
                            ct = f.get("show")
                    if ct != "21":
                        continue
                    rid = seq
                    if pname == "dtls":
                        rid = (child(rec, "dtls.record.epoch"), child(rec, "dtls.record.sequence_number"))
                    msgs = [m for m in rec.iter("field") if m.get("name") == f"{pname}.alert_message"]
                    for i, m in enumerate(msgs):
                        n += 1
                        lvl = child(m, f"{pname}.alert_message.level")
                        desc = child(m, f"{pname}.alert_message.desc")
                        if lvl is None or desc is None:
                            lvl = desc = "-"
                        dkey = (key, sender, pname, rid, n)
                        if dkey in seen:
                            continue
                        seen.add(dkey)
                        result.append((key, sender, pname, lvl, desc))
            elif pname == "quic":
                for f in p.iter("field"):
                    if f.get("name") == "quic.cc.error_code.tls_alert":
                        desc = f.get("show")
                        dkey = (key, sender, "quic", desc)
                        if dkey in seen:
                            continue
                        seen.add(dkey)
                        result.append((key, sender, "quic", "2", desc))
        del names
    return result


def compute(path):
    convs = conversations(path)
    al = alerts(path, convs)
    counts = collections.Counter((p, l, d, s) for _, s, p, l, d in al)
    rows = []
    for key, c in convs.items():
        cip, cport, sip, sport = c["client"]
        first_fail = next(((d, s) for k, s, p, l, d in al
                           if k == key and d != "-" and d not in GRACEFUL), None)
        has_alert = any(k == key for k, *_ in al)
        seq = " ".join(f"{s[0].upper()}:{p}:{l}/{d}" for k, s, p, l, d in al if k == key)
        rows.append({"client_ip": cip, "server_ip": sip, "server_port": sport, "vni": c["vni"],
                     "sni": c["sni"], "first_fail": first_fail, "has_alert": has_alert,
                     "no_handshake": c["no_handshake"],
                     "alerts": seq or "-"})
    return counts, rows


def read_tsv(path):
    rows = []
    with open(path) as f:
        header = None
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            rows.append(dict(zip(header, cols)))
    return rows


def find(name):
    """NAME or path -> (pcapng path, expected stem)."""
    if name.endswith(".pcapng") and os.path.exists(name):
        path = os.path.abspath(name)
    else:
        path = os.path.join(CAPTURES, name + ".pcapng")
        if not os.path.exists(path):
            hits = [os.path.join(d, f) for d, _, fs in os.walk(CAPTURES) for f in fs
                    if f == os.path.basename(name) + ".pcapng"]
            if len(hits) != 1:
                raise SystemExit(f"{name}: capture not found (or ambiguous: {hits})")
            path = hits[0]
    base = os.path.basename(path)[:-len(".pcapng")]
    rel = os.path.relpath(path, CAPTURES)[:-len(".pcapng")]
    cands = [os.path.join(CAPTURES, "expected", rel), os.path.join(CAPTURES, "expected", base),
             os.path.join(os.path.dirname(path), "expected", base)]
    for c in cands:
        if os.path.exists(c + ".alerts.tsv"):
            return path, c
    return path, None


def show(path):
    counts, rows = compute(path)
    print(f"# {os.path.relpath(path, CAPTURES)}")
    print("protocol\tlevel\tdescription\tsender\tcount")
    for (p, l, d, s), n in sorted(counts.items()):
        print(f"{p}\t{l}\t{d}\t{s}\t{n}")
    print("client_ip\tserver_ip\tserver_port\tvni\tsni\tfirst_readable_failure\talerts (C/S:proto:level/desc)")
    for r in rows:
        ff = f"{r['first_fail'][0]}/{r['first_fail'][1]}" if r["first_fail"] else "-"
        print(f"{r['client_ip']}\t{r['server_ip']}\t{r['server_port']}\t{r['vni']}\t{r['sni']}\t{ff}\t{r['alerts']}")


def check(path, stem):
    errors = []
    counts, rows = compute(path)
    exp = collections.Counter()
    for r in read_tsv(stem + ".alerts.tsv"):
        if not wireshark_matches(r.get("wireshark", "")):
            continue
        exp[(r["protocol"], r["level"], r["description"], r["sender"])] += int(r["count"])
    for k in sorted(set(exp) | set(counts)):
        if exp[k] != counts[k]:
            errors.append(f"alerts {'/'.join(k)}: expected {exp[k]}, tshark shows {counts[k]}")
    conv_path = stem + ".conv.tsv"
    if not os.path.exists(conv_path):
        errors.append(f"missing {os.path.basename(conv_path)}")
    else:
        erows = read_tsv(conv_path)
        if len(erows) != len(rows):
            errors.append(f"conversations: expected {len(erows)}, tshark shows {len(rows)}")
        for i, (e, r) in enumerate(zip(erows, rows), 1):
            for col in ("client_ip", "server_ip", "server_port", "vni", "sni"):
                if (tsv_unescape(e[col]) if col == "sni" else e[col]) != r[col]:
                    errors.append(f"conversation {i}: {col} expected {e[col]}, tshark shows {r[col]}")
            ff = r["first_fail"]
            if r["no_handshake"] != (e["outcome"] == "no_handshake_seen"):
                errors.append(f"conversation {i}: outcome {e['outcome']}, but tshark shows "
                              f"{'no' if r['no_handshake'] else 'a'} SYN or handshake message")
            if r["no_handshake"]:
                if ff and (e["failure_alert"], e["failure_sender"]) != ff:
                    errors.append(f"conversation {i}: failure {e['failure_alert']}/{e['failure_sender']} "
                                  f"but first readable failure alert is {ff[0]} from {ff[1]}")
            elif ff:
                # The first failure alert decides the outcome unless it came after the
                # handshake completed (then the outcome stays established, or
                # closed_after_handshake when no application data went either way); tshark's
                # fields cannot tell the stage, so all are accepted here.
                want = ("alert_by_client" if ff[1] == "client" else "alert_by_server", ff[0], ff[1])
                got = (e["outcome"], e["failure_alert"], e["failure_sender"])
                if got != want and got not in (("established", ff[0], ff[1]),
                                               ("closed_after_handshake", ff[0], ff[1])):
                    errors.append(f"conversation {i}: outcome/failure {got} but first readable failure "
                                  f"alert is {ff[0]} from {ff[1]}")
            elif e["outcome"].startswith("alert_by_"):
                errors.append(f"conversation {i}: outcome {e['outcome']} but no readable failure alert")
    return errors


def main(argv):
    do_show = "--show" in argv
    names = [a for a in argv if a != "--show"]
    if not names:
        names = sorted(os.path.relpath(os.path.join(d, f), CAPTURES)[:-len(".pcapng")]
                       for d, _, fs in os.walk(CAPTURES) for f in fs if f.endswith(".pcapng"))
    bad = 0
    for name in names:
        path, stem = find(name)
        if do_show:
            show(path)
            continue
        rel = os.path.relpath(path, CAPTURES)
        if stem is None:
            print(f"FAIL {rel}: no expected/…alerts.tsv")
            bad += 1
            continue
        errors = check(path, stem)
        if errors:
            bad += 1
            print(f"FAIL {rel}")
            for e in errors:
                print(f"     {e}")
        else:
            print(f"ok   {rel}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
