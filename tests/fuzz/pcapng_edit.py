"""pcapng_edit — read a real pcapng capture, rewrite the TCP payload of its
packets, write it back. Used by fuzz-captures to make deliberately malformed
robustness inputs out of real corpus captures, and to take the Decryption
Secrets Block out of a capture (editcap 4.0 refuses to corrupt files that
carry one) and give it back afterwards.

Only what the corpus needs: Ethernet, IPv4/IPv6, TCP. Lengths, the IPv4
header checksum and the TCP checksum are recomputed; when a payload grows or
shrinks (or is split into several segments), the sequence numbers of the
later segments in that direction and the acknowledgements of the other
direction move with it, so TCP reassembly sees a consistent stream.
"""
import struct

SHB, IDB, EPB, DSB = 0x0A0D0D0A, 0x00000001, 0x00000006, 0x0000000A
TLS_KEY_LOG = 0x544C534B


class Block:
    def __init__(self, btype, endian, body):
        self.btype, self.endian, self.body = btype, endian, body

    def raw(self):
        total = len(self.body) + 12
        return struct.pack(self.endian + "II", self.btype, total) + self.body + \
            struct.pack(self.endian + "I", total)


class Packet:
    """An Enhanced Packet Block whose data can be replaced."""

    def __init__(self, block):
        e = block.endian
        self.endian = e
        self.iface, self.ts_hi, self.ts_lo, caplen, self.origlen = struct.unpack(e + "IIIII", block.body[:20])
        self.data = bytearray(block.body[20:20 + caplen])
        self.options = block.body[20 + ((caplen + 3) & ~3):]
        self.tcp = parse_tcp(self.data)

    def block(self):
        pad = b"\0" * (-len(self.data) % 4)
        body = struct.pack(self.endian + "IIIII", self.iface, self.ts_hi, self.ts_lo, len(self.data),
                           len(self.data)) + bytes(self.data) + pad + self.options
        return Block(EPB, self.endian, body)

    def copy(self):
        c = Packet.__new__(Packet)
        c.__dict__.update(self.__dict__)
        c.data = bytearray(self.data)
        c.tcp = dict(self.tcp) if self.tcp else None
        return c


def read(path):
    """[Block | Packet] of a pcapng file, in file order."""
    data = open(path, "rb").read()
    out, i, endian = [], 0, "<"
    while i + 12 <= len(data):
        btype = struct.unpack("<I", data[i:i + 4])[0]
        if btype == SHB:
            endian = "<" if data[i + 8:i + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype = SHB
        blen = struct.unpack(endian + "I", data[i + 4:i + 8])[0]
        if blen < 12 or i + blen > len(data):
            raise ValueError("%s: invalid block at offset %d" % (path, i))
        if btype != SHB:
            btype = struct.unpack(endian + "I", data[i:i + 4])[0]
        b = Block(btype, endian, data[i + 8:i + blen - 4])
        out.append(Packet(b) if btype == EPB else b)
        i += blen
    return out


def write(path, items):
    with open(path, "wb") as f:
        for it in items:
            f.write((it.block() if isinstance(it, Packet) else it).raw())


def tls_key_log(path):
    """The TLS key log text of a capture's Decryption Secrets Blocks (b'' if none)."""
    out = b""
    for b in read(path):
        if isinstance(b, Block) and b.btype == DSB:
            stype, slen = struct.unpack(b.endian + "II", b.body[:8])
            if stype == TLS_KEY_LOG:
                out += b.body[8:8 + slen]
                if not out.endswith(b"\n"):
                    out += b"\n"
    return out


def parse_tcp(data):
    """Offsets and header fields of an Ethernet/IP/TCP frame, else None."""
    if len(data) < 14:
        return None
    eth_type = struct.unpack("!H", data[12:14])[0]
    ip = 14
    if eth_type == 0x8100 and len(data) >= 18:
        eth_type, ip = struct.unpack("!H", data[16:18])[0], 18
    if eth_type == 0x0800 and len(data) >= ip + 20:
        ihl = (data[ip] & 0x0F) * 4
        if data[ip + 9] != 6:
            return None
        tcp, version = ip + ihl, 4
        src, dst = bytes(data[ip + 12:ip + 16]), bytes(data[ip + 16:ip + 20])
        end = ip + struct.unpack("!H", data[ip + 2:ip + 4])[0]
    elif eth_type == 0x86DD and len(data) >= ip + 40:
        if data[ip + 6] != 6:
            return None
        tcp, version = ip + 40, 6
        src, dst = bytes(data[ip + 8:ip + 24]), bytes(data[ip + 24:ip + 40])
        end = tcp + struct.unpack("!H", data[ip + 4:ip + 6])[0]
    else:
        return None
    if len(data) < tcp + 20:
        return None
    sport, dport, seq, ack = struct.unpack("!HHII", data[tcp:tcp + 12])
    payload = tcp + (data[tcp + 12] >> 4) * 4
    return {"ip": ip, "version": version, "tcp": tcp, "payload": payload, "end": min(end, len(data)),
            "src": src, "dst": dst, "sport": sport, "dport": dport, "seq": seq, "ack": ack}


def payload(pkt):
    t = pkt.tcp
    return bytes(pkt.data[t["payload"]:t["end"]])


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _refresh(pkt):
    """Lengths and checksums after data/seq/ack changed."""
    t, d = pkt.tcp, pkt.data
    ip, tcp = t["ip"], t["tcp"]
    struct.pack_into("!II", d, tcp + 4, t["seq"] & 0xFFFFFFFF, t["ack"] & 0xFFFFFFFF)
    seg = len(d) - tcp
    if t["version"] == 4:
        struct.pack_into("!H", d, ip + 2, len(d) - ip)
        struct.pack_into("!H", d, ip + 10, 0)
        struct.pack_into("!H", d, ip + 10, _csum(bytes(d[ip:tcp])))
        pseudo = t["src"] + t["dst"] + struct.pack("!BBH", 0, 6, seg)
    else:
        struct.pack_into("!H", d, ip + 4, seg)
        pseudo = t["src"] + t["dst"] + struct.pack("!IBBBB", seg, 0, 0, 0, 6)
    struct.pack_into("!H", d, tcp + 16, 0)
    struct.pack_into("!H", d, tcp + 16, _csum(pseudo + bytes(d[tcp:])))
    t["end"] = len(d)


def _after(a, b):
    """a is after b in sequence space."""
    return 0 < ((a - b) & 0xFFFFFFFF) < 0x80000000


def replace_payload(items, index, segments):
    """Replace the TCP payload of items[index] (a Packet) by the given
    segments (a list of bytes, one new packet each, same headers and time),
    and move the later sequence/acknowledgement numbers of the stream. A
    segment too long for one IP packet (65,535 bytes with its headers) is
    carried by as many packets as it needs, back to back in the stream."""
    pkt = items[index]
    t = pkt.tcp
    if not t:
        raise ValueError("packet %d is not TCP" % index)
    room = 65535 - t["payload"]  # the frame's headers before the payload bound every IP length in it
    segments = [seg[i:i + room] for seg in segments for i in range(0, max(len(seg), 1), room)]
    old = payload(pkt)
    seq0 = t["seq"]
    delta = sum(len(s) for s in segments) - len(old)
    fwd = (t["src"], t["sport"], t["dst"], t["dport"])
    new, offset = [], 0
    for seg in segments:
        p = pkt.copy()
        p.data = p.data[:t["payload"]] + bytearray(seg)
        p.tcp["seq"] = seq0 + offset
        offset += len(seg)
        _refresh(p)
        new.append(p)
    if delta:
        for later in items[index + 1:]:
            lt = getattr(later, "tcp", None)
            if not lt:
                continue
            if (lt["src"], lt["sport"], lt["dst"], lt["dport"]) == fwd and _after(lt["seq"], seq0):
                lt["seq"] = (lt["seq"] + delta) & 0xFFFFFFFF
                _refresh(later)
            elif (lt["dst"], lt["dport"], lt["src"], lt["sport"]) == fwd and _after(lt["ack"], seq0):
                lt["ack"] = (lt["ack"] + delta) & 0xFFFFFFFF
                _refresh(later)
    items[index:index + 1] = new
    return items


def packets(items):
    """[(index into items, frame number)] of the packets, frame numbers from 1."""
    out, n = [], 0
    for i, it in enumerate(items):
        if isinstance(it, Packet):
            n += 1
            out.append((i, n))
    return out


def strip_secrets(src, dst):
    """Copy SRC without its Decryption Secrets Blocks (editcap 4.0 can neither
    corrupt a capture that has them nor discard them)."""
    write(dst, [b for b in read(src) if not (isinstance(b, Block) and b.btype == DSB)])
