#!/usr/bin/env python3
"""Small TLS peers built on Python's ssl module (OpenSSL), for the capture scenarios.

Every byte sent is produced by the real OpenSSL library behind Python's ssl module; the
`malformed` mode takes such a real ClientHello and changes one length field on purpose.

  tlspeer.py get HOST PORT SNI [--tls12|--tls13] [--cafile F]
        full HTTPS GET, read the answer, send close_notify (unwrap), close.
        Writes TLS secrets to $SSLKEYLOGFILE when set.
  tlspeer.py rst-after-hello HOST PORT SNI
        send a real ClientHello, then close with SO_LINGER 0 (RST) without reading.
  tlspeer.py rst-after-flight HOST PORT SNI [--tls12|--tls13]
        send a real ClientHello, read the server's whole flight until the client would answer,
        then close with SO_LINGER 0 (RST) instead of answering.
  tlspeer.py plain-http HOST PORT
        send a plain-text HTTP/1.1 request (no TLS), print what comes back, close.
  tlspeer.py malformed HOST PORT SNI VARIANT
        send a real ClientHello with one length changed, print what comes back, close.
        VARIANT: ext-len (extensions block length +1), hs-len (handshake message length -1,
        so the record carries one byte more than the message), last-ext-len (length of the
        last extension +1), sni-len (server_name list length +1), comp-method (the offered
        compression method 0 becomes 1: not a length, an illegal value).
  tlspeer.py hello-twice HOST PORT SNI [--tls12|--tls13]
        protocol violation: send a real ClientHello, read the server's flight, send the same
        ClientHello again (record version 0x0303), print what comes back, close.
  tlspeer.py cut-hello HOST PORT SNI
        send the first half of a real ClientHello record (its header announces a ClientHello,
        the rest never comes), then close (FIN) and read until the server closes.
  tlspeer.py hello-fin HOST PORT SNI [--tls12|--tls13]
        send a real ClientHello and close the sending side (FIN) at once, before the server's
        flight can arrive; read until the server closes.
  tlspeer.py probe HOST PORT
        connect and close (FIN) without sending anything: a port probe.
  tlspeer.py data-fin HOST PORT SNI [--tls12|--tls13]
        complete the handshake (TLS 1.3: the client's Finished, then data), send the first
        half of an HTTP request and close the sending side (FIN) without close_notify; read
        until the server closes. With a server that sends no session ticket (and the suite
        the server picks), the server's only answer to the client's Finished is its FIN.
  tlspeer.py slow-get HOST PORT SNI DELAY [--tls12|--tls13] [--cafile F]
        as get, but wait DELAY seconds between the handshake and the request (a capture
        started meanwhile begins mid-connection).
  tlspeer.py slow-server BIND PORT CERT KEY DELAY
        accept one connection, wait DELAY seconds, then try the TLS handshake; exits after it.
  tlspeer.py irc-starttls-server BIND PORT CERT KEY COUNT
        an IRC server's STARTTLS (IRCv3): for each of COUNT connections, read the client's
        "STARTTLS" line, answer "670 ... :STARTTLS successful", do the TLS handshake on the
        same connection, answer one line of application data, close; exits after COUNT.
"""
import socket
import ssl
import struct
import sys
import time


def _ctx(args, verify=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if "--cafile" in args:
        ctx.load_verify_locations(args[args.index("--cafile") + 1])
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if "--tls12" in args:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if "--tls13" in args:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    import os
    if os.environ.get("SSLKEYLOGFILE"):
        ctx.keylog_filename = os.environ["SSLKEYLOGFILE"]
    return ctx


def _connect(host, port):
    s = socket.create_connection((host, int(port)), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def _rst(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _client_hello(sni, args):
    """A real ClientHello from OpenSSL through a memory BIO."""
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = _ctx(args).wrap_bio(inc, out, server_hostname=sni)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return obj, inc, out, out.read()


def _drain(sock, secs=2.0):
    sock.settimeout(secs)
    got = b""
    try:
        while True:
            b = sock.recv(65536)
            if not b:
                break
            got += b
    except (socket.timeout, ConnectionResetError):
        pass
    return got


def _describe(data):
    """Readable summary of plaintext TLS records received (for the log only)."""
    out, i = [], 0
    while i + 5 <= len(data):
        ct, ver, ln = data[i], data[i + 1:i + 3].hex(), struct.unpack("!H", data[i + 3:i + 5])[0]
        body = data[i + 5:i + 5 + ln]
        if ct == 21 and len(body) == 2:
            out.append(f"alert level={body[0]} desc={body[1]}")
        else:
            out.append(f"record type={ct} version={ver} len={ln}")
        i += 5 + ln
    if i < len(data):
        out.append(f"{len(data) - i} other bytes: {data[i:i + 40]!r}")
    return "; ".join(out) or "nothing"


def cmd_get(host, port, sni, args, delay=0.0):
    ctx = _ctx(args)
    s = _connect(host, port)
    s.settimeout(delay + 5)
    t = ctx.wrap_socket(s, server_hostname=sni)
    time.sleep(delay)
    t.sendall(f"GET / HTTP/1.1\r\nHost: {sni}\r\nConnection: close\r\n\r\n".encode())
    body = b""
    try:
        while True:
            b = t.recv(65536)
            if not b:
                break
            body += b
    except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
        pass
    print(f"{t.version()} {t.cipher()[0]}: {len(body)} bytes")
    try:
        t.unwrap()
    except (ssl.SSLError, OSError):
        pass
    s.close()


def cmd_rst_after_hello(host, port, sni, args):
    _, _, _, hello = _client_hello(sni, args)
    s = _connect(host, port)
    s.sendall(hello)
    _rst(s)
    print(f"sent ClientHello ({len(hello)} bytes), reset")


def cmd_rst_after_flight(host, port, sni, args):
    obj, inc, out, hello = _client_hello(sni, args)
    s = _connect(host, port)
    s.sendall(hello)
    s.settimeout(5)
    total = 0
    while True:
        b = s.recv(65536)
        if not b:
            print("server closed first")
            break
        total += len(b)
        inc.write(b)
        try:
            obj.do_handshake()
            break  # the client would now send its answer (Finished / key exchange)
        except ssl.SSLWantReadError:
            if out.pending:
                break  # TLS 1.2: the client has its answer ready after ServerHelloDone
    print(f"read {total} bytes of server flight, reset without answering")
    _rst(s)


def cmd_cut_hello(host, port, sni, args):
    _, _, _, hello = _client_hello(sni, args)
    s = _connect(host, port)
    half = hello[:len(hello) // 2]
    s.sendall(half)
    time.sleep(0.05)
    s.shutdown(socket.SHUT_WR)
    got = _drain(s)
    s.close()
    print(f"sent {len(half)} of {len(hello)} ClientHello bytes, closed; got {_describe(got)}")


def cmd_hello_fin(host, port, sni, args):
    _, _, _, hello = _client_hello(sni, args)
    s = _connect(host, port)
    s.sendall(hello)
    s.shutdown(socket.SHUT_WR)
    got = _drain(s)
    s.close()
    print(f"sent ClientHello ({len(hello)} bytes) and FIN; got {len(got)} bytes")


def cmd_probe(host, port, args):
    s = _connect(host, port)
    s.shutdown(socket.SHUT_WR)
    got = _drain(s)
    s.close()
    print(f"connected and closed; got {len(got)} bytes")


def cmd_data_fin(host, port, sni, args):
    ctx = _ctx(args)
    s = _connect(host, port)
    t = ctx.wrap_socket(s, server_hostname=sni)
    t.sendall(f"GET / HTTP/1.1\r\nHost: {sni}\r\n".encode())
    time.sleep(0.05)
    version, cipher = t.version(), t.cipher()[0]
    t.shutdown(socket.SHUT_WR)  # the socket's FIN; no close_notify (the SSL object is dropped)
    got = _drain(t)
    print(f"{version} {cipher}: sent half a request and FIN; got {len(got)} bytes")
    t.close()


def cmd_plain_http(host, port, args):
    s = _connect(host, port)
    s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: plain-http\r\n\r\n".encode())
    got = _drain(s)
    print(f"got {len(got)} bytes: {got[:80]!r} / {_describe(got)}")
    s.close()


def _alter(hello, variant):
    rec = bytearray(hello)
    assert rec[0] == 22 and rec[5] == 1, "not a ClientHello record"
    hs = 5
    # ClientHello body: version(2) random(32) sid(1+n) suites(2+n) comp(1+n) ext(2+n)
    p = hs + 4 + 2 + 32
    p += 1 + rec[p]
    p += 2 + struct.unpack("!H", rec[p:p + 2])[0]
    p += 1 + rec[p]
    ext_len_at = p
    if variant == "ext-len":
        # the extensions block claims one byte more than the ClientHello holds
        ext_len = struct.unpack("!H", rec[p:p + 2])[0]
        struct.pack_into("!H", rec, p, ext_len + 1)
    elif variant == "hs-len":
        # the handshake message claims to be 1 byte shorter than the record carries
        hl = int.from_bytes(rec[hs + 1:hs + 4], "big") - 1
        rec[hs + 1:hs + 4] = hl.to_bytes(3, "big")
    elif variant == "last-ext-len":
        # the last extension claims one byte more than the ClientHello holds (the extensions
        # before it, server_name included, stay well-formed)
        q, last_at = ext_len_at + 2, None
        while q + 4 <= len(rec):
            last_at = q
            q += 4 + struct.unpack("!H", rec[q + 2:q + 4])[0]
        el = struct.unpack("!H", rec[last_at + 2:last_at + 4])[0]
        struct.pack_into("!H", rec, last_at + 2, el + 1)
    elif variant == "comp-method":
        # not a length: the only compression method offered becomes 1 (DEFLATE) instead of 0
        q = hs + 4 + 2 + 32
        q += 1 + rec[q]
        q += 2 + struct.unpack("!H", rec[q:q + 2])[0]
        assert rec[q] == 1 and rec[q + 1] == 0
        rec[q + 1] = 1
    elif variant == "sni-len":
        q = ext_len_at + 2
        while q + 4 <= len(rec):
            et, el = struct.unpack("!HH", rec[q:q + 4])
            if et == 0:  # server_name: list_len(2) type(1) name_len(2) name
                ll = struct.unpack("!H", rec[q + 4:q + 6])[0]
                struct.pack_into("!H", rec, q + 4, ll + 1)
                break
            q += 4 + el
        else:
            raise SystemExit("no server_name extension")
    else:
        raise SystemExit(f"unknown variant {variant}")
    return bytes(rec)


def cmd_hello_twice(host, port, sni, args):
    _, _, _, hello = _client_hello(sni, args)
    s = _connect(host, port)
    s.sendall(hello)
    first = _drain(s, 0.5)
    # the record layer now carries the negotiated version (TLS 1.2), as a real record would;
    # with the initial 0x0301 servers answer protocol_version instead of judging the message
    again = bytearray(hello)
    again[1:3] = b"\x03\x03"
    s.sendall(bytes(again))
    got = _drain(s)
    print(f"hello twice: first answer {len(first)} bytes, then got back: {_describe(got)}")
    s.close()


def cmd_malformed(host, port, sni, variant, args):
    _, _, _, hello = _client_hello(sni, args)
    bad = _alter(hello, variant)
    s = _connect(host, port)
    s.sendall(bad)
    got = _drain(s)
    print(f"{variant}: sent {len(bad)} bytes, got back: {_describe(got)}")
    s.close()


def _listen(bind, port, cert, key):
    """(server SSL context with CERT and KEY, TCP socket listening on BIND:PORT)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((bind, int(port)))
    ls.listen(8)
    return ctx, ls


def cmd_slow_server(bind, port, cert, key, delay):
    ctx, ls = _listen(bind, port, cert, key)
    c, addr = ls.accept()
    time.sleep(float(delay))
    try:
        t = ctx.wrap_socket(c, server_side=True)
        print("handshake done", t.version())
        t.close()
    except (ssl.SSLError, OSError) as e:
        print(f"handshake with {addr} failed: {e!r}")
        c.close()
    ls.close()


def cmd_irc_starttls_server(bind, port, cert, key, count):
    ctx, ls = _listen(bind, port, cert, key)
    for _ in range(int(count)):
        c, addr = ls.accept()
        c.settimeout(10)
        line = b""
        while not line.endswith(b"\n"):
            got = c.recv(1)
            if not got:
                break
            line += got
        if line.strip().upper() != b"STARTTLS":
            print(f"{addr}: expected STARTTLS, got {line!r}")
            c.close()
            continue
        c.sendall(b":irc.test 670 * :STARTTLS successful, go ahead with TLS handshake\r\n")
        try:
            t = ctx.wrap_socket(c, server_side=True)
            print(f"{addr}: handshake done", t.version())
            t.sendall(b":irc.test NOTICE * :hello over TLS\r\n")
            try:
                t.recv(4096)
            except (ssl.SSLError, OSError):
                pass
            t.close()
        except (ssl.SSLError, OSError) as e:
            print(f"{addr}: handshake failed: {e!r}")
            c.close()
    ls.close()


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    mode, a = argv[1], argv[2:]
    if mode == "get":
        cmd_get(a[0], a[1], a[2], a[3:])
    elif mode == "rst-after-hello":
        cmd_rst_after_hello(a[0], a[1], a[2], a[3:])
    elif mode == "rst-after-flight":
        cmd_rst_after_flight(a[0], a[1], a[2], a[3:])
    elif mode == "plain-http":
        cmd_plain_http(a[0], a[1], a[2:])
    elif mode == "hello-twice":
        cmd_hello_twice(a[0], a[1], a[2], a[3:])
    elif mode == "malformed":
        cmd_malformed(a[0], a[1], a[2], a[3], a[4:])
    elif mode == "slow-get":
        cmd_get(a[0], a[1], a[2], a[4:], float(a[3]))
    elif mode == "cut-hello":
        cmd_cut_hello(a[0], a[1], a[2], a[3:])
    elif mode == "hello-fin":
        cmd_hello_fin(a[0], a[1], a[2], a[3:])
    elif mode == "probe":
        cmd_probe(a[0], a[1], a[2:])
    elif mode == "data-fin":
        cmd_data_fin(a[0], a[1], a[2], a[3:])
    elif mode == "slow-server":
        cmd_slow_server(*a[:5])
    elif mode == "irc-starttls-server":
        cmd_irc_starttls_server(*a[:5])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
