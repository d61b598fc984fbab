#!/usr/bin/env bash
# Regenerates ../vxlan-underlay.pcapng: TLS connections through a kernel VXLAN tunnel (VNI 42)
# between two network namespaces, captured on the tunnel's underlay, where the two tunnel
# endpoints exchange the encapsulated packets: the outer source and destination swap with the
# direction (unlike VPC Traffic Mirroring, where every packet goes from the mirrored ENI to the
# mirror target). Issue 14 part 1: one conversation per connection, not one per direction.
#
#   sudo ./make-vxlan-underlay.sh [--no-check]
#
#   NS-cli  ul0 10.93.1.1 ---- ul0 10.93.1.2  NS-srv        (underlay veth; capture: srv ul0,
#           vx0 10.93.0.1 ==== vx0 10.93.0.2                 "udp port 4789")
#                    VXLAN VNI 42, dstport 4789
#
# Conversations (nginx with an ELB-like policy on 10.93.0.2, lib/nginx_elb.sh):
#   1 curl TLS 1.3, trusted: established
#   2 openssl s_client TLS 1.2, untrusted server certificate: unknown_ca (48) from the client
#   3 openssl s_client TLS 1.1 only: protocol_version (70) from the server
#   4 python3 ssl TLS 1.3 reads the server's flight, then resets: aborted_after_server_flight
#   5 connect and close: aborted_before_client_hello
# Expected result: ../expected/vxlan-underlay.{alerts,conv}.tsv; nginx's log is printed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
OUT=$CAPTURES/vxlan-underlay.pcapng
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session vxlan
need_packages iproute2 ethtool openssl nginx curl tshark python3 coreutils
unset SSLKEYLOGFILE

NAME=app.example.test
mkdir -p "$WORK/log" "$WORK/html"
make_app_pki "$WORK/pki" "$NAME"
P=$WORK/pki

CLI=tlsa-vxu-cli
SRVNS=tlsa-vxu-srv
netns_add "$CLI"
netns_add "$SRVNS"
netns_link "$CLI" ul0 10.93.1.1/24 "$SRVNS" ul0 10.93.1.2/24
for side in "$CLI:10.93.1.1:10.93.1.2:10.93.0.1" "$SRVNS:10.93.1.2:10.93.1.1:10.93.0.2"; do
    IFS=: read -r ns local remote inner <<<"$side"
    netns_ipv4_only "$ns"
    vxlan_add "$ns" vx0 42 "$local" "$remote" ul0
    ip -n "$ns" addr add "$inner/24" dev vx0
    nsx "$ns" ethtool -K vx0 tso off gso off gro off >/dev/null 2>&1 || true
done
SRV=10.93.0.2
nginx_elb_start "$WORK" "$SRVNS" "$SRV" "$P/app-chain.crt" "$P/app.key" "$P/ca.crt" "$NAME"
sleep 0.3

X=(timeout 15 ip netns exec "$CLI")
capture_start "$SRVNS" ul0 "$WORK/raw.pcapng" "udp port 4789"
{
    "${X[@]}" curl -sS -o /dev/null --max-time 8 --cacert "$P/ca.crt" --resolve "$NAME:443:$SRV" "https://$NAME/" && echo "curl: ok"
    "${X[@]}" openssl s_client -connect "$SRV:443" -servername "$NAME" -CAfile "$P/rogue-ca.crt" \
        -verify_return_error -tls1_2 </dev/null >/dev/null 2>&1 || echo "s_client TLS 1.2: rejected the certificate"
    "${X[@]}" openssl s_client -connect "$SRV:443" -servername "$NAME" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
        </dev/null >/dev/null 2>&1 || echo "s_client TLS 1.1: refused"
    "${X[@]}" python3 "$CAPTURES/lib/tlspeer.py" rst-after-flight "$SRV" 443 "$NAME" --tls13
    "${X[@]}" python3 "$CAPTURES/lib/tlspeer.py" probe "$SRV" 443
} 2>&1 | sed 's/^/   client: /'
sleep 0.5
capture_stop "$CAPTURE_PID"

editcap --capture-comment "tlsalerts test capture vxlan-underlay: TLS through a kernel VXLAN tunnel (VNI 42) between network namespaces, captured on the underlay (outer source and destination swap with the direction), ELB-like nginx; see captures/README.md" \
    "$WORK/raw.pcapng" "$OUT"
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"
echo "   nginx's error log:"
grep -E "\[info\]" "$WORK/log/nginx-error.log" | sed -E 's/^[0-9\/: ]+\[[a-z]+\] [0-9#]+: \*[0-9]+ //; s/, server: .*//' | sed 's/^/     /' || true

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" vxlan-underlay
fi
