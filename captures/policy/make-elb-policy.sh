#!/usr/bin/env bash
# Regenerates ../elb-policy.pcapng: clients whose ClientHellos fail each security-policy verdict
# (no common version, no common cipher, no common group) against an nginx configured like an ELB
# policy, plus clients that succeed and one that fails on trust with an acceptable hello.
#
#   sudo ./make-elb-policy.sh [--no-check]
#
# Real and local: two network namespaces joined by a veth pair, nginx (OpenSSL 3.0) in one,
# openssl s_client / curl / gnutls-cli in the other, dumpcap on the server's interface.
#
# The server's policy is ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (TLS 1.2 + 1.3, the three TLS 1.3
# suites, ECDHE-{ECDSA,RSA}-AES{128,256}-GCM) with the key-exchange groups limited to x25519,
# secp256r1 and secp384r1; as a tlsalerts custom policy:
#   versions=tls1.2+tls1.3;ciphers=0x1301+0x1302+0x1303+0xc02b+0xc02f+0xc02c+0xc030;groups=x25519+secp256r1+secp384r1
# Expected result: ../expected/elb-policy.{alerts,conv}.tsv, and the verdicts and likely causes in
# tests/integration (written from the schedule below and nginx's error log, which the script prints).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
OUT=$CAPTURES/elb-policy.pcapng
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session policy

need_packages iproute2 ethtool openssl gnutls-bin nginx curl tshark coreutils
unset SSLKEYLOGFILE

NAME=app.example.test
mkdir -p "$WORK/log" "$WORK/html" "$WORK/tmp"

make_app_pki "$WORK/pki" "$NAME"
P=$WORK/pki

netns_pair tlsa-pol 10.97.0
netns_ipv4_only "$NETNS_CLI" "$NETNS_SRV"
SRV=$SRV_IP

echo "<html><body>app</body></html>" >"$WORK/html/index.html"
chmod -R a+rX "$WORK/html"
cat >"$WORK/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/log/nginx-error.log info;
events { worker_connections 64; }
http {
    access_log $WORK/log/nginx-access.log;
    client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp;
    fastcgi_temp_path $WORK/tmp; uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
    # ELBSecurityPolicy-TLS13-1-2-Res-2021-06, groups limited as a post-quantum policy would
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384;
    ssl_prefer_server_ciphers on;
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    server {
        listen $SRV:443 ssl;
        server_name $NAME;
        ssl_certificate $P/app-chain.crt;
        ssl_certificate_key $P/app.key;
        root $WORK/html;
    }
}
EOF
bg_start "$NETNS_SRV" "$WORK/log/nginx.out" nginx -e "$WORK/log/nginx-error.log" -c "$WORK/nginx.conf"
wait_port "$NETNS_SRV" tcp 443

OSSL=(openssl s_client -connect "$SRV:443" -servername "$NAME" -CAfile "$P/ca.crt")
CURL=(curl -sS -o /dev/null --max-time 8 --cacert "$P/ca.crt" --resolve "$NAME:443:$SRV")
GCLI=(gnutls-cli -p 443 "$SRV" --sni-hostname "$NAME" --verify-hostname "$NAME")
REQ="GET / HTTP/1.1\r\nHost: $NAME\r\nConnection: close\r\n\r\n"

# kind: what the client does (the schedule below runs them in this order)
run_kind() {
    local kind=$1
    local -a x=(timeout 15 ip netns exec "$NETNS_CLI")
    {
        echo "== $kind"
        case $kind in
        # ---- accepted
        curl-tls13) "${x[@]}" "${CURL[@]}" "https://$NAME/" ;;
        curl-tls12) "${x[@]}" "${CURL[@]}" --tlsv1.2 --tls-max 1.2 "https://$NAME/" ;;
        gnutls-default) "${x[@]}" "${GCLI[@]}" --x509cafile "$P/ca.crt" </dev/null ;;
        # ---- no common version: only TLS 1.0/1.1 offered
        ossl-tls11) "${x[@]}" "${OSSL[@]}" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' </dev/null ;;
        curl-tls10-11) "${x[@]}" "${CURL[@]}" --tlsv1.0 --tls-max 1.1 --ciphers 'DEFAULT@SECLEVEL=0' "https://$NAME/" ;;
        gnutls-tls10) "${x[@]}" "${GCLI[@]}" --x509cafile "$P/ca.crt" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.0' </dev/null ;;
        # ---- no common cipher: CBC-only TLS 1.2 clients, and a TLS 1.3-only client with CCM
        ossl-cbc12) "${x[@]}" "${OSSL[@]}" -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:AES128-SHA:AES256-SHA' </dev/null ;;
        curl-cbc12) "${x[@]}" "${CURL[@]}" --tlsv1.2 --tls-max 1.2 --ciphers 'ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA' "https://$NAME/" ;;
        ossl-tls13-ccm) "${x[@]}" "${OSSL[@]}" -tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256 </dev/null ;;
        # ---- no common group: only secp521r1 / ffdhe2048 offered
        ossl-p521) printf "$REQ" | "${x[@]}" "${OSSL[@]}" -groups secp521r1 -quiet ;;
        ossl-ffdhe13) "${x[@]}" "${OSSL[@]}" -tls1_3 -groups ffdhe2048 </dev/null ;;
        # ---- acceptable hello, the client does not trust the certificate
        ossl-untrusted) "${x[@]}" openssl s_client -connect "$SRV:443" -servername "$NAME" \
            -CAfile "$P/rogue-ca.crt" -verify_return_error </dev/null ;;
        *) echo "unknown kind $kind" >&2; return 2 ;;
        esac
    } >>"$WORK/log/clients.log" 2>&1 || true
}
SCHEDULE="curl-tls13 ossl-tls11 curl-tls10-11 gnutls-tls10 curl-tls12 ossl-cbc12 curl-cbc12
ossl-tls13-ccm ossl-p521 ossl-ffdhe13 gnutls-default ossl-untrusted"

capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/raw.pcapng" "tcp port 443"
: >"$WORK/notes"
n=0
for kind in $SCHEDULE; do
    n=$((n + 1))
    printf '%s\t%s\n' "$(date +%s.%N)" "conversation $n: $kind" >>"$WORK/notes"
    run_kind "$kind"
    sleep 0.3
done
capture_stop "$CAPTURE_PID"

tshark -r "$WORK/raw.pcapng" -T fields -e frame.number -e frame.time_epoch 2>/dev/null >"$WORK/times"
mapfile -t CMT < <(awk -F'\t' 'NR == FNR { t[NR] = $1; c[NR] = $2; n = NR; next }
    { while (k < n && $2 + 0 >= t[k + 1] + 0) { k++; printf "%s:%s\n", $1, c[k] } }' "$WORK/notes" "$WORK/times")
args=()
for c in "${CMT[@]}"; do args+=(-a "$c"); done
editcap --capture-comment "tlsalerts test capture elb-policy: ClientHellos against an ELB-like policy (TLS13-1-2-Res-2021-06, groups x25519/secp256r1/secp384r1), real TLS stacks in network namespaces, see captures/README.md" \
    "${args[@]}" "$WORK/raw.pcapng" "$OUT"
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"
echo "   nginx's reasons (error log):"
grep -E "SSL_do_handshake|no shared|unsupported protocol|alert" "$WORK/log/nginx-error.log" |
    sed -E 's/^[0-9\/: ]+\[[a-z]+\] [0-9#]+: \*[0-9]+ //; s/, client: .*//' | sed 's/^/     /' || true

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" elb-policy
fi
