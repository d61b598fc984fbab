#!/usr/bin/env python3
"""Remove the capturing host's description from a pcapng file, in place.

    pcapng_scrub.py FILE...

dumpcap records the machine's CPU and kernel release in the Section Header Block
(shb_hardware, shb_os) and in each Interface Description Block (if_os, if_hardware). They say
nothing about the traffic and differ from machine to machine, so the test captures drop them.
Packets, comments, decryption secrets and every other block are copied unchanged.
"""
import struct
import sys

SHB, IDB = 0x0A0D0D0A, 0x00000001
DROP = {SHB: {2, 3}, IDB: {12, 15}}  # shb_hardware, shb_os / if_os, if_hardware
FIXED = {SHB: 16, IDB: 8}  # body bytes before the options


def _options(body, endian, drop):
    out, i = bytearray(), 0
    while i + 4 <= len(body):
        code, ln = struct.unpack(endian + "HH", body[i:i + 4])
        padded = (ln + 3) & ~3
        if code == 0:
            break
        if code not in drop:
            out += body[i:i + 4 + padded]
        i += 4 + padded
    if out:
        out += struct.pack(endian + "HH", 0, 0)
    return bytes(out)


def scrub(path):
    data = open(path, "rb").read()
    out, i, endian = bytearray(), 0, "<"
    while i + 12 <= len(data):
        btype = struct.unpack("<I", data[i:i + 4])[0]
        if btype == SHB:
            endian = "<" if data[i + 8:i + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack(endian + "I", data[i + 4:i + 8])[0]
        if blen < 12 or i + blen > len(data):
            raise SystemExit(f"{path}: truncated or invalid block at offset {i}")
        block = data[i:i + blen]
        if btype in DROP:
            body = block[8:-4]
            fixed = FIXED[btype]
            body = body[:fixed] + _options(body[fixed:], endian, DROP[btype])
            if btype == SHB:  # section length: unspecified, as blocks inside may shrink
                body = body[:8] + b"\xff" * 8 + body[16:]
            total = len(body) + 12
            block = struct.pack(endian + "II", btype, total) + body + struct.pack(endian + "I", total)
        out += block
        i += blen
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        scrub(p)
