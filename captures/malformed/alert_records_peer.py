#!/usr/bin/env python3
"""Deliberately malformed alert records, for robustness tests only.

  alert_records_peer.py server BIND PORT      answer each connection's ClientHello with
                                              one case of crafted alert records, in order
  alert_records_peer.py client HOST PORT N    N connections; each sends a real ClientHello
                                              (made by OpenSSL through Python's ssl module),
                                              then reads until the server closes

The ClientHellos are real; the server's alert records are written by hand on purpose:
no TLS stack sends unknown levels or unassigned codes, so this is the only way to see
how the plugin treats them. The expected result is captures/expected/malformed-alert-records.*.
"""
import socket
import sys
import time

from real_hello import client_hello, send_and_drain

# (name, bytes the server sends after the ClientHello, then it closes)
CASES = [
    # three records in one segment: unknown levels 3, 255 and 0, unassigned codes 200, 255
    ("unknown-levels-one-segment",
     bytes.fromhex("1503030002" "0364") + bytes.fromhex("1503030002" "ffc8") +
     bytes.fromhex("1503030002" "00ff")),
    # a fatal alert with an unassigned description
    ("unassigned-description", bytes.fromhex("1503030002" "0275")),
    # a record that announces 2 bytes but the connection ends after 1
    ("truncated-record", bytes.fromhex("1503030002" "02")),
    # one record carrying two alerts (4 bytes)
    ("two-alerts-one-record", bytes.fromhex("1503030004" "0228" "0230")),
]


def server(bind, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((bind, port))
    srv.listen()
    for _name, payload in CASES:
        conn, _ = srv.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.recv(65536)
        conn.sendall(payload)
        time.sleep(0.2)
        conn.close()
    srv.close()


def client(host, port, n):
    for _ in range(n):
        send_and_drain(socket.create_connection((host, port), timeout=5), client_hello("malformed.test"))
        time.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "cases":
        print(len(CASES))
