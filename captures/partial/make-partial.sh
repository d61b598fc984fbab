#!/usr/bin/env bash
# Regenerates ../alert-only.pcapng and ../mid-connection.pcapng: captures that hold only part of
# each connection (issue 14 part 2), from real traffic against an ELB-like nginx (lib/nginx_elb.sh).
#
#   sudo ./make-partial.sh [--no-check]
#
# alert-only.pcapng: the capture filter operators' runbooks give to keep alert records only,
#   tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x15   (segments whose payload starts with an alert record)
#   1 python3 ssl TLS 1.2 GET, close_notify both ways: two encrypted alerts, nothing else
#   2 openssl s_client TLS 1.2, untrusted certificate: unknown_ca (48) from the client, plaintext
#   3 openssl s_client TLS 1.1 only: protocol_version (70) from the server
#   4 curl TLS 1.3 GET: its alerts are TLS 1.3 records of type 23, so nothing of it is captured
# mid-connection.pcapng: an unfiltered capture started after the handshakes
#   1 python3 ssl TLS 1.2: handshake, 2 s pause (the capture starts), GET, close_notify both ways
#   2 the same in TLS 1.3
# Expected result: ../expected/{alert-only,mid-connection}.{alerts,conv}.tsv.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session partial
need_packages iproute2 ethtool openssl nginx curl tshark python3 coreutils
unset SSLKEYLOGFILE

NAME=app.example.test
mkdir -p "$WORK/log" "$WORK/html"
make_app_pki "$WORK/pki" "$NAME"
P=$WORK/pki

netns_pair tlsa-part 10.92.0
netns_ipv4_only "$NETNS_CLI" "$NETNS_SRV"
SRV=$SRV_IP
nginx_elb_start "$WORK" "$NETNS_SRV" "$SRV" "$P/app-chain.crt" "$P/app.key" "$P/ca.crt" "$NAME"
X=(timeout 15 ip netns exec "$NETNS_CLI")
PEER=("${X[@]}" python3 "$CAPTURES/lib/tlspeer.py")

finish() { # raw out comment
    editcap --capture-comment "$3" "$1" "$2"
    chmod 644 "$2"
    echo "   -> $(basename "$2"): $(tshark -r "$2" 2>/dev/null | wc -l) frames, $(stat -c %s "$2") bytes"
}

echo "== alert-only"
capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/alerts.pcapng" 'tcp port 443 and tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x15'
{
    "${PEER[@]}" get "$SRV" 443 "$NAME" --tls12 --cafile "$P/ca.crt"
    "${X[@]}" openssl s_client -connect "$SRV:443" -servername "$NAME" -CAfile "$P/rogue-ca.crt" \
        -verify_return_error -tls1_2 </dev/null >/dev/null 2>&1 || echo "s_client TLS 1.2: rejected the certificate"
    "${X[@]}" openssl s_client -connect "$SRV:443" -servername "$NAME" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
        </dev/null >/dev/null 2>&1 || echo "s_client TLS 1.1: refused"
    "${X[@]}" curl -sS -o /dev/null --max-time 8 --cacert "$P/ca.crt" --resolve "$NAME:443:$SRV" "https://$NAME/" && echo "curl: ok"
} 2>&1 | sed 's/^/   client: /'
capture_stop "$CAPTURE_PID"
finish "$WORK/alerts.pcapng" "$CAPTURES/alert-only.pcapng" \
    "tlsalerts test capture alert-only: capture filter tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x15 (alert records only) on real traffic to an ELB-like nginx; see captures/README.md"

echo "== mid-connection"
"${PEER[@]}" slow-get "$SRV" 443 "$NAME" 2 --tls12 --cafile "$P/ca.crt" >"$WORK/log/mid1" 2>&1 &
p1=$!
"${PEER[@]}" slow-get "$SRV" 443 "$NAME" 2 --tls13 --cafile "$P/ca.crt" >"$WORK/log/mid2" 2>&1 &
p2=$!
sleep 1
capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/mid.pcapng" "tcp port 443"
wait "$p1" "$p2" || true
sed 's/^/   client: /' "$WORK/log/mid1" "$WORK/log/mid2"
capture_stop "$CAPTURE_PID"
finish "$WORK/mid.pcapng" "$CAPTURES/mid-connection.pcapng" \
    "tlsalerts test capture mid-connection: an unfiltered capture started after two TLS handshakes (1.2, 1.3) to an ELB-like nginx had completed; see captures/README.md"

echo "   nginx's error log:"
grep -E "\[info\]" "$WORK/log/nginx-error.log" | sed -E 's/^[0-9\/: ]+\[[a-z]+\] [0-9#]+: \*[0-9]+ //; s/, server: .*//' | sed 's/^/     /' || true

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" alert-only mid-connection
fi
