#!/usr/bin/env python3
"""Hostile server names, for robustness tests only: real ClientHellos (OpenSSL
through Python's ssl module) whose server_name is rewritten, lengths fixed up,
to what a hostile client could send; a server that answers each with a fatal
unrecognized_name alert.

  hostile_sni_peer.py server BIND PORT      answer N connections (N = len(NAMES))
  hostile_sni_peer.py client HOST PORT      one connection per name, in order
  hostile_sni_peer.py count                 how many names

The names: terminal escape sequences (colour, OSC window title, BEL, CR, BS),
a spreadsheet formula, and a 16,000-byte name (OpenSSL itself refuses names
over 255 bytes, hence the rewrite). The expected result is
captures/expected/malformed-hostile-sni.*.
"""
import socket
import struct
import sys
import time

from real_hello import client_hello, send_and_drain

NAMES = [
    b"\x1b]0;owned\x07\x1b[31mred.example\x1b[0m\r\x08\x08evil",
    b"=HYPERLINK(\"http://attacker.example\",\"click\")",
    b"long" + b"a" * 15992 + b".example",
]


def hostile_hello(name):
    return with_server_name(client_hello("placeholder.example"), name)


def with_server_name(record, name):
    """The ClientHello record with its server_name extension replaced."""
    assert record[0] == 22 and record[5] == 1, "not a ClientHello record"
    body = record[9:9 + int.from_bytes(record[6:9], "big")]
    pos = 2 + 32                                   # version, random
    pos += 1 + body[pos]                           # session id
    pos += 2 + int.from_bytes(body[pos:pos + 2], "big")  # cipher suites
    pos += 1 + body[pos]                           # compression methods
    head, exts = body[:pos], body[pos + 2:]
    out, i = b"", 0
    while i < len(exts):
        etype, elen = struct.unpack("!HH", exts[i:i + 4])
        data = exts[i + 4:i + 4 + elen]
        if etype == 0:                             # server_name: one host_name entry
            entry = b"\x00" + struct.pack("!H", len(name)) + name
            data = struct.pack("!H", len(entry)) + entry
        out += struct.pack("!HH", etype, len(data)) + data
        i += 4 + elen
    body = head + struct.pack("!H", len(out)) + out
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return record[:3] + struct.pack("!H", len(handshake)) + handshake


def recv_record(conn):
    data = b""
    while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def server(bind, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((bind, port))
    srv.listen()
    for _ in NAMES:
        conn, _ = srv.accept()
        recv_record(conn)
        conn.sendall(bytes.fromhex("1503030002" "0270"))  # fatal unrecognized_name
        time.sleep(0.2)
        conn.close()
    srv.close()


def client(host, port):
    for name in NAMES:
        send_and_drain(socket.create_connection((host, port), timeout=5), hostile_hello(name))
        time.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "count":
        print(len(NAMES))
