#!/usr/bin/env bash
# Regenerates ../undecoded-tls.pcapng: TLS that Wireshark does not decode as TLS by itself
# (issue 14 part 6), from real stacks between two network namespaces.
#
#   sudo ./make-undecoded-tls.sh [--no-check]
#
# TLS on tcp/80 (openssl s_server -www): Wireshark hands port 80 to HTTP.
#   1 curl, TLS 1.3, trusts the certificate: a GET that succeeds
#   2 openssl s_client -tls1_2, untrusted certificate: unknown_ca (48) from the client, plaintext
# IRC with STARTTLS on tcp/6667 (lib/tlspeer.py irc-starttls-server, Python's ssl): the
# ClientHello follows plain-text IRC lines on the same connection.
#   3 openssl s_client -starttls irc, trusts the certificate: handshake, one line, close
#   4 openssl s_client -starttls irc -tls1_2, untrusted certificate: unknown_ca (48), plaintext
# Without options tshark shows no TLS at all; with -d tcp.port==80,tls -d tcp.port==6667,tls
# it shows the four handshakes. Expected result: ../expected/undecoded-tls.{alerts,conv}.tsv
# (the capture as tshark reads it by default) and tests/integration/check_undecoded.py.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session undecoded
need_packages iproute2 ethtool openssl curl tshark python3 coreutils
unset SSLKEYLOGFILE

make_pki "$WORK/pki"
P=$WORK/pki
chmod -R a+rX "$P"

netns_pair tlsa-undec 10.93.0
netns_ipv4_only "$NETNS_CLI" "$NETNS_SRV"
SRV=$SRV_IP
X=(timeout 15 ip netns exec "$NETNS_CLI")

bg_start "$NETNS_SRV" "$WORK/s_server.log" openssl s_server -accept 80 -www -quiet \
    -cert "$P/server.crt" -key "$P/server.key"
HTTPS80=$BG_PID
bg_start "$NETNS_SRV" "$WORK/irc.log" python3 "$CAPTURES/lib/tlspeer.py" irc-starttls-server \
    "$SRV" 6667 "$P/server.crt" "$P/server.key" 2
IRC=$BG_PID
wait_port "$NETNS_SRV" tcp 80
wait_port "$NETNS_SRV" tcp 6667

capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/raw.pcapng" "tcp port 80 or tcp port 6667"
{
    "${X[@]}" curl -sS -o /dev/null --max-time 8 --tlsv1.3 --cacert "$P/ca.crt" \
        --resolve "server.test:80:$SRV" "https://server.test:80/" && echo "curl port 80: ok"
    sleep 0.3
    "${X[@]}" openssl s_client -connect "$SRV:80" -servername server.test -tls1_2 \
        -CAfile "$P/rogue-ca.crt" -verify_return_error </dev/null >/dev/null 2>&1 \
        || echo "s_client port 80: rejected the certificate"
    sleep 0.3
    # s_client exits 1 after this exchange (the server closes first); the handshake completed.
    status=0
    echo QUIT | "${X[@]}" openssl s_client -connect "$SRV:6667" -starttls irc -servername server.test \
        -CAfile "$P/ca.crt" -verify_return_error -quiet >/dev/null 2>&1 || status=$?
    echo "s_client irc: handshake and close (exit status $status)"
    sleep 0.3
    "${X[@]}" openssl s_client -connect "$SRV:6667" -starttls irc -servername server.test -tls1_2 \
        -CAfile "$P/rogue-ca.crt" -verify_return_error </dev/null >/dev/null 2>&1 \
        || echo "s_client irc: rejected the certificate"
    sleep 0.3
} 2>&1 | sed 's/^/   client: /'
capture_stop "$CAPTURE_PID"
bg_stop "$HTTPS80" "$IRC"
sed 's/^/   irc server: /' "$WORK/irc.log"

editcap --capture-comment "tlsalerts test capture undecoded-tls: TLS on tcp/80 (openssl s_server) and IRC STARTTLS on tcp/6667 (Python ssl), which Wireshark does not decode as TLS without -d; see captures/README.md" \
    "$WORK/raw.pcapng" "$CAPTURES/undecoded-tls.pcapng"
chmod 644 "$CAPTURES/undecoded-tls.pcapng"
echo "   -> undecoded-tls.pcapng: $(tshark -r "$CAPTURES/undecoded-tls.pcapng" 2>/dev/null | wc -l) frames"

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" undecoded-tls
fi
