#!/usr/bin/env python3
"""Apply a BPF capture filter to a pcapng file, as a capture would have.

    bpf_filter.py [--drop-secrets] 'FILTER' IN.pcapng OUT.pcapng    prints "kept N of M frames"

The filter is compiled by libpcap (pcap_compile on a pcap_open_dead handle of
each interface's link type, optimised, snap length 262144) and run by libpcap
(pcap_offline_filter): the same compiler and filter machine dumpcap uses for
`-f`, so a packet passes here exactly when it would pass a live capture's
filter. Unlike `tcpdump -r IN -w OUT FILTER`, the output stays pcapng with every
block that is not a packet copied unchanged (section and interface blocks,
name resolution, the key logs of Decryption Secrets Blocks), and captures with
interfaces of several link types work.
"""
import ctypes
import ctypes.util
import struct
import sys

SHB, IDB, PB, SPB, EPB, DSB = 0x0A0D0D0A, 0x00000001, 0x00000002, 0x00000003, 0x00000006, 0x0000000A
SNAPLEN = 262144
PCAP_NETMASK_UNKNOWN = 0xFFFFFFFF


class _BpfProgram(ctypes.Structure):
    _fields_ = [("bf_len", ctypes.c_uint), ("bf_insns", ctypes.c_void_p)]


class _Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class _PktHdr(ctypes.Structure):
    _fields_ = [("ts", _Timeval), ("caplen", ctypes.c_uint32), ("len", ctypes.c_uint32)]


def _libpcap():
    name = ctypes.util.find_library("pcap")
    if not name:
        raise OSError("libpcap not found (Debian: libpcap0.8)")
    lib = ctypes.CDLL(name)
    lib.pcap_open_dead.restype = ctypes.c_void_p
    lib.pcap_open_dead.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.pcap_compile.argtypes = [ctypes.c_void_p, ctypes.POINTER(_BpfProgram), ctypes.c_char_p, ctypes.c_int,
                                 ctypes.c_uint32]
    lib.pcap_geterr.restype = ctypes.c_char_p
    lib.pcap_geterr.argtypes = [ctypes.c_void_p]
    lib.pcap_offline_filter.argtypes = [ctypes.POINTER(_BpfProgram), ctypes.POINTER(_PktHdr), ctypes.c_char_p]
    lib.pcap_freecode.argtypes = [ctypes.POINTER(_BpfProgram)]
    lib.pcap_close.argtypes = [ctypes.c_void_p]
    return lib


class Filter:
    """One compiled program per link type."""

    def __init__(self, expression):
        self.expression = expression
        self.lib = _libpcap()
        self.programs = {}

    def program(self, linktype):
        if linktype not in self.programs:
            handle = self.lib.pcap_open_dead(linktype, SNAPLEN)
            prog = _BpfProgram()
            if self.lib.pcap_compile(handle, ctypes.byref(prog), self.expression.encode(), 1,
                                     PCAP_NETMASK_UNKNOWN) != 0:
                err = self.lib.pcap_geterr(handle).decode()
                self.lib.pcap_close(handle)
                raise ValueError("capture filter does not compile for link type %d: %s" % (linktype, err))
            self.lib.pcap_close(handle)
            self.programs[linktype] = prog
        return self.programs[linktype]

    def matches(self, linktype, data, orig_len):
        hdr = _PktHdr(_Timeval(0, 0), len(data), orig_len)
        return self.lib.pcap_offline_filter(ctypes.byref(self.program(linktype)), ctypes.byref(hdr), data) != 0


def packet_verdicts(expression, src):
    """For each packet of SRC in file order, whether EXPRESSION keeps it."""
    flt = Filter(expression)
    data = open(src, "rb").read()
    pos, endian, linktypes = 0, "<", []
    while pos + 12 <= len(data):
        if struct.unpack_from("<I", data, pos)[0] == SHB:
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        btype, blen = struct.unpack_from(endian + "II", data, pos)
        if blen < 12 or pos + blen > len(data):
            raise ValueError("%s: truncated block at offset %d" % (src, pos))
        body = pos + 8
        if btype == IDB:
            linktypes.append(struct.unpack_from(endian + "H", data, body)[0])
        elif btype == EPB:
            iface, _, _, caplen, orig = struct.unpack_from(endian + "IIIII", data, body)
            yield flt.matches(linktypes[iface], data[body + 20:body + 20 + caplen], orig)
        pos += blen


def filter_pcapng(expression, src, dst, drop_secrets=False):
    """Copies SRC to DST without the packets EXPRESSION rejects (None: keeps
    them all) and, with drop_secrets, without the key logs; returns (kept, total)."""
    flt = Filter(expression) if expression is not None else None
    data = open(src, "rb").read()
    out = bytearray()
    pos, endian, linktypes = 0, "<", []
    kept = total = 0
    while pos + 12 <= len(data):
        if struct.unpack_from("<I", data, pos)[0] == SHB:
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        btype, blen = struct.unpack_from(endian + "II", data, pos)
        if blen < 12 or pos + blen > len(data):
            raise ValueError("%s: truncated block at offset %d" % (src, pos))
        block = data[pos:pos + blen]
        body = pos + 8
        keep = not (drop_secrets and btype == DSB)
        if btype == IDB:
            linktypes.append(struct.unpack_from(endian + "H", data, body)[0])
        elif btype in (EPB, PB):
            if btype == EPB:
                iface, _, _, caplen, orig = struct.unpack_from(endian + "IIIII", data, body)
            else:
                iface, _, _, _, caplen, orig = struct.unpack_from(endian + "HHIIII", data, body)
            total += 1
            keep = not flt or flt.matches(linktypes[iface], data[body + 20:body + 20 + caplen], orig)
        elif btype == SPB:
            orig = struct.unpack_from(endian + "I", data, body)[0]
            caplen = min(orig, blen - 16)
            total += 1
            keep = not flt or flt.matches(linktypes[0], data[body + 4:body + 4 + caplen], orig)
        if keep:
            out += block
            kept += btype in (EPB, PB, SPB)
        pos += blen
    with open(dst, "wb") as f:
        f.write(out)
    return kept, total


def main():
    args = sys.argv[1:]
    drop = args[:1] == ["--drop-secrets"]
    if drop:
        args = args[1:]
    if len(args) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    kept, total = filter_pcapng(*args, drop_secrets=drop)
    print("kept %d of %d frames" % (kept, total))


if __name__ == "__main__":
    main()
