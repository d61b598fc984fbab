"""real_hello.py — what the robustness peers of this folder share: a real ClientHello
record, made by OpenSSL through Python's ssl module (never written by hand), and a
client that sends bytes and reads until the server closes."""
import ssl


def client_hello(server_name):
    """The first flight of a TLS client for server_name, as bytes on the wire."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname=server_name)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def send_and_drain(sock, data):
    """Sends data, then reads until the peer closes."""
    sock.sendall(data)
    while sock.recv(65536):
        pass
    sock.close()
