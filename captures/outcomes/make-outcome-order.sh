#!/usr/bin/env bash
# Regenerates ../outcome-order.pcapng: handshakes whose outcome depends on the order of packets
# and on what each side's records prove (issue 14 parts 3, 4, 5), against an ELB-like nginx
# (lib/nginx_elb.sh) whose error log says, per connection, whether it counted a failed handshake.
#
#   sudo ./make-outcome-order.sh [--no-check]
#
# Conversations, in order (clients from lib/tlspeer.py, Python's ssl = OpenSSL 3.0):
#   1 cut-hello          the first half of a real ClientHello record, then FIN (port 443)
#   2 hello-fin TLS 1.3  a whole ClientHello and FIN at once, before the server's flight (443)
#   3 hello-fin TLS 1.2  the same, offering TLS 1.2 only (443)
#   4 data-fin TLS 1.3   Finished (69 bytes, TLS_AES_256_GCM_SHA384), half a request, FIN, to a
#                        server that sends no ticket: the server answers with its FIN only (8443)
#   5 get TLS 1.3        a whole request and answer on the same server (8443)
#   6 rst-after-flight   TLS 1.3: the client reads the server's flight, then resets (443)
#   7 probe              connect, close (443)
# Expected result: ../expected/outcome-order.{alerts,conv}.tsv; nginx's log is printed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
OUT=$CAPTURES/outcome-order.pcapng
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session order
need_packages iproute2 ethtool openssl nginx tshark python3 coreutils
unset SSLKEYLOGFILE

NAME=app.example.test
mkdir -p "$WORK/log" "$WORK/html"
make_app_pki "$WORK/pki" "$NAME"
P=$WORK/pki

netns_pair tlsa-ord 10.94.0
netns_ipv4_only "$NETNS_CLI" "$NETNS_SRV"
SRV=$SRV_IP
nginx_elb_start "$WORK" "$NETNS_SRV" "$SRV" "$P/app-chain.crt" "$P/app.key" "$P/ca.crt" "$NAME"

PEER=(timeout 15 ip netns exec "$NETNS_CLI" python3 "$CAPTURES/lib/tlspeer.py")
capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/raw.pcapng" "tcp port 443 or tcp port 8443"
{
    "${PEER[@]}" cut-hello "$SRV" 443 "$NAME"
    "${PEER[@]}" hello-fin "$SRV" 443 "$NAME" --tls13
    "${PEER[@]}" hello-fin "$SRV" 443 "$NAME" --tls12
    "${PEER[@]}" data-fin "$SRV" 8443 "$NAME" --tls13 --cafile "$P/ca.crt"
    "${PEER[@]}" get "$SRV" 8443 "$NAME" --tls13 --cafile "$P/ca.crt"
    "${PEER[@]}" rst-after-flight "$SRV" 443 "$NAME" --tls13
    "${PEER[@]}" probe "$SRV" 443
} 2>&1 | sed 's/^/   client: /'
sleep 0.5
capture_stop "$CAPTURE_PID"

editcap --capture-comment "tlsalerts test capture outcome-order: cut ClientHello, ClientHello+FIN before the server's flight, TLS 1.3 Finished+data to a server without tickets, against an ELB-like nginx; real TLS stacks in network namespaces, see captures/README.md" \
    "$WORK/raw.pcapng" "$OUT"
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"
echo "   nginx's error log (failed handshakes: SSL_do_handshake() failed, peer closed connection in SSL handshake):"
grep -E "\[info\]" "$WORK/log/nginx-error.log" | sed -E 's/^[0-9\/: ]+\[[a-z]+\] [0-9#]+: \*[0-9]+ //; s/, server: .*//' | sed 's/^/     /' || true

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" outcome-order
fi
