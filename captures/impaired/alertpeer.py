#!/usr/bin/env python3
"""TLS peers that decide how the TLS stack's bytes are cut into TCP segments.

Python's ssl module runs OpenSSL over memory BIOs (ssl.MemoryBIO): OpenSSL produces every byte
(handshake, alerts, application data), this program only chooses when to hand them to the
socket. TCP_NODELAY is set, so each send() leaves as its own segment.

  alertpeer.py client HOST PORT SNI [--tls12|--tls13] [--cafile F] [--get]
                      [--split N] [--pause S] [--hold S]
        Handshake with the server (verifying it against --cafile when given).
        If the handshake fails, OpenSSL's alert record is sent; with --split N as two send()
        calls, the first N bytes, then after --pause S seconds (default 0.3) the rest.
        With --get and a successful handshake: an HTTP/1.0 GET, read the answer until the
        server's close_notify or EOF, then the client's close_notify record is sent the same way.
        Then wait --hold S seconds (default 0) before closing the socket.
  alertpeer.py server BIND PORT CERT KEY [--min-tls12] [--split N] [--pause S]
                      [--no-renegotiation] [--keylog F]
        Serve one connection. If the handshake fails, OpenSSL's alert record is sent (split as
        above). With --no-renegotiation (OpenSSL's SSL_OP_NO_RENEGOTIATION): once the handshake is
        done, wait for the client; when it asks to renegotiate OpenSSL answers with a warning
        no_renegotiation alert, the server then shuts down (close_notify) and both alert
        records leave in ONE send().
Writes TLS secrets to --keylog F (server) or $SSLKEYLOGFILE (client) when given.
"""
import os
import socket
import ssl
import sys
import time


def opt(args, name, default=None, cast=str):
    if name in args:
        return cast(args[args.index(name) + 1])
    return default


class Peer:
    def __init__(self, sock, obj, inc, out):
        self.sock, self.obj, self.inc, self.out = sock, obj, inc, out

    def flush(self):
        data = self.out.read()
        if data:
            self.sock.sendall(data)

    def feed(self):
        data = self.sock.recv(65536)
        if not data:
            self.inc.write_eof()
            return False
        self.inc.write(data)
        return True

    def run(self, op):
        """Drive op() (handshake, read, unwrap) until it completes; sends what OpenSSL writes.
        An SSLError propagates with OpenSSL's alert (if any) still unsent in self.out."""
        while True:
            try:
                r = op()
                self.flush()
                return r
            except ssl.SSLWantReadError:
                self.flush()
                if not self.feed():
                    return op()

    def send_split(self, data, split, pause):
        if split and 0 < split < len(data):
            self.sock.sendall(data[:split])
            time.sleep(pause)
            self.sock.sendall(data[split:])
            return f"{len(data)} bytes as {split} + {len(data) - split}"
        self.sock.sendall(data)
        return f"{len(data)} bytes"


def _versions(ctx, args):
    if "--tls12" in args:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if "--tls13" in args:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3


def _connect(host, port):
    s = socket.create_connection((host, int(port)), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def cmd_client(host, port, sni, args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cafile = opt(args, "--cafile")
    if cafile:
        ctx.load_verify_locations(cafile)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    _versions(ctx, args)
    if os.environ.get("SSLKEYLOGFILE"):
        ctx.keylog_filename = os.environ["SSLKEYLOGFILE"]
    split, pause, hold = opt(args, "--split", 0, int), opt(args, "--pause", 0.3, float), opt(args, "--hold", 0.0, float)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=sni)
    p = Peer(_connect(host, port), obj, inc, out)
    try:
        p.run(obj.do_handshake)
    except ssl.SSLError as e:
        alert = out.read()
        print(f"handshake failed ({e.reason}); alert record {alert.hex()}: sent {p.send_split(alert, split, pause)}")
        time.sleep(hold)
        p.sock.close()
        return
    print(f"handshake done: {obj.version()} {obj.cipher()[0]}")
    if "--get" in args:
        p.run(lambda: obj.write(f"GET / HTTP/1.0\r\nHost: {sni}\r\n\r\n".encode()))
        body = b""
        while True:
            try:
                chunk = p.run(lambda: obj.read(65536))
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                break
            if not chunk:
                break
            body += chunk
        print(f"read {len(body)} bytes")
        try:
            obj.unwrap()
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLError:
            pass
        close = out.read()
        print(f"close_notify record: sent {p.send_split(close, split, pause)}")
    time.sleep(hold)
    p.sock.close()


def cmd_server(bind, port, cert, key, args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if "--min-tls12" in args:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if "--no-renegotiation" in args:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # renegotiation exists up to TLS 1.2
        ctx.options |= ssl.OP_NO_RENEGOTIATION
    if opt(args, "--keylog"):
        ctx.keylog_filename = opt(args, "--keylog")
    split, pause = opt(args, "--split", 0, int), opt(args, "--pause", 0.3, float)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((bind, int(port)))
    ls.listen(4)
    print("listening", flush=True)
    c, addr = ls.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_side=True)
    p = Peer(c, obj, inc, out)
    try:
        p.run(obj.do_handshake)
    except ssl.SSLError as e:
        alert = out.read()
        print(f"handshake with {addr[0]} failed ({e.reason}); alert record {alert.hex()}: sent {p.send_split(alert, split, pause)}")
        time.sleep(0.5)
        c.close()
        return
    print(f"handshake done: {obj.version()} {obj.cipher()[0]}", flush=True)
    if "--no-renegotiation" in args:
        while True:
            try:
                data = obj.read(65536)
                print(f"got {len(data)} bytes of application data")
                continue
            except ssl.SSLWantReadError:
                pass
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                print("client closed")
                break
            if out.pending:
                # OpenSSL refused the client's renegotiation with a warning alert: answer it with
                # our close_notify and send both records together
                try:
                    obj.unwrap()
                except (ssl.SSLWantReadError, ssl.SSLError):
                    pass
                both = out.read()
                c.sendall(both)
                print(f"no_renegotiation + close_notify: {len(both)} bytes in one send()")
                break
            if not p.feed():
                print("client went away")
                break
    time.sleep(0.5)
    c.close()


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    mode, a = argv[1], argv[2:]
    if mode == "client":
        cmd_client(a[0], a[1], a[2], a[3:])
    elif mode == "server":
        cmd_server(a[0], a[1], a[2], a[3], a[4:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
