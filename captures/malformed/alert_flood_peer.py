#!/usr/bin/env python3
"""An alert flood, for robustness tests only: a real ClientHello (OpenSSL through
Python's ssl module) answered by SEGMENTS segments of ALERTS warning close_notify
records each, then one fatal unexpected_message, then close.

  alert_flood_peer.py server BIND PORT SEGMENTS ALERTS
  alert_flood_peer.py client HOST PORT

No TLS stack sends this; it is how a peer could try to hide alerts from a
sensor (Wireshark queues at most 5,000 tap entries per frame). With an MTU of
65,000 every burst of up to 9,000 records (7 bytes each) is one TCP segment.
The expected result is captures/expected/malformed-alert-flood.*.
"""
import socket
import sys
import time

from real_hello import client_hello, send_and_drain

CLOSE_NOTIFY = bytes.fromhex("1503030002" "0100")
UNEXPECTED_MESSAGE = bytes.fromhex("1503030002" "020a")


def server(bind, port, segments, alerts):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A send buffer that holds a whole burst, so the kernel sends it at once.
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    srv.bind((bind, port))
    srv.listen()
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn.recv(65536)
    for _ in range(segments):
        conn.sendall(CLOSE_NOTIFY * alerts)
        time.sleep(0.3)  # one burst, one segment: let each be acknowledged first
    conn.sendall(UNEXPECTED_MESSAGE)
    time.sleep(0.3)
    conn.close()
    srv.close()


def client(host, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)  # a wide window from the start
    s.settimeout(10)
    s.connect((host, port))
    send_and_drain(s, client_hello("flood.test"))


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]))
