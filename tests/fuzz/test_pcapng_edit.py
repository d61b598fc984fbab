#!/usr/bin/env python3
"""test_pcapng_edit — the fuzz inputs' packet rewriting on a real capture:
a segment longer than an IP packet can carry is split into full packets
whose IP lengths fit, whose payloads add up to the segment, whose sequence
numbers follow each other, and which tshark reads back with the same TCP
stream. (A 279,000-byte segment of a targeted input once made the maker
raise, and the old fuzz runner stall.)

  test_pcapng_edit.py CAPTURE.pcapng    (one with an alert record over TCP)
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapng_edit  # noqa: E402


def main():
    src = sys.argv[1]
    items = pcapng_edit.read(src)
    index = next(i for i, n in pcapng_edit.packets(items) if items[i].tcp and pcapng_edit.payload(items[i]))
    pkt = items[index]
    seq0 = pkt.tcp["seq"]
    before = len(pcapng_edit.packets(items))
    big = bytes(range(256)) * 800  # 204,800 bytes: four packets
    rest = pcapng_edit.payload(pkt)
    pcapng_edit.replace_payload(items, index, [big + rest])
    new = items[index:index + 4]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    check(len(pcapng_edit.packets(items)) == before + 3, "%d packets, want %d" %
          (len(pcapng_edit.packets(items)), before + 3))
    payloads = [pcapng_edit.payload(p) for p in new]
    check(b"".join(payloads) == big + rest, "the packets' payloads do not add up to the segment")
    offset = 0
    for p, pl in zip(new, payloads):
        check(p.tcp["seq"] == (seq0 + offset) & 0xFFFFFFFF, "seq %d, want %d" % (p.tcp["seq"], seq0 + offset))
        offset += len(pl)
        check(len(p.data) <= 65535 + 14, "a frame of %d bytes" % len(p.data))
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "split.pcapng")
        pcapng_edit.write(out, items)
        res = subprocess.run([os.environ.get("TSHARK", "tshark"), "-r", out, "-T", "fields", "-e", "ip.len",
                              "-e", "tcp.len", "-e", "tcp.checksum.status", "-o", "tcp.check_checksum:TRUE",
                              "-Y", "tcp.len > 60000"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rows = [line.split("\t") for line in res.stdout.splitlines()]
        check(len(rows) == 3, "tshark sees %d packets over 60,000 bytes of payload, want 3" % len(rows))
        for ip_len, tcp_len, status in rows:
            check(int(ip_len) <= 65535, "IP length %s" % ip_len)
            check(status == "1", "TCP checksum status %s (1: good)" % status)
    for f in failures:
        print("FAIL:", f)
    print("test_pcapng_edit: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
