#!/usr/bin/env bash
# Regenerates ../alb-mirror.pcapng: what an AWS VPC Traffic Mirroring target receives from an
# Application Load Balancer's ENI while many internet clients connect to it, some of them failing.
#
#   sudo ./make-alb-mirror.sh [--no-check]
#
# Everything is real and local: network namespaces, veth links, a Linux bridge and router, nginx
# (OpenSSL 3.0) as the "ALB" with an ELB-style TLS policy, curl / openssl s_client / gnutls-cli /
# Python ssl clients, and a kernel VXLAN tunnel (UDP 4789, VNI 4242) fed by tc mirred on the ALB's
# interface, exactly like a mirror session copies the ENI's packets. dumpcap runs on the mirror
# target's underlay interface, so the file holds outer Ethernet/IPv4/UDP/VXLAN around the inner
# Ethernet/IPv4/TCP/TLS. Nothing leaves the namespaces.
#
#   client hosts (31 namespaces)          "inet" (IGW/VPC router)           "alb" (ALB node)
#   198.51.100.x / 203.0.113.x / 192.0.2.x -- br0 .1 | vpc0 10.0.1.1 ------- eth0 10.0.1.25:443 nginx
#                                                                            | tc clsact on eth0:
#                                                                            | ingress tcp dport 443,
#                                                                            | egress  tcp sport 443
#                                                                            |  -> mirred -> vxlan0
#                                                                            v   (VNI 4242)
#   mirror target: mir0 10.0.99.100 (dumpcap here, "udp port 4789") <----- mir0 10.0.99.25 (the ENI)
#
# The clients run one at a time, in a fixed order, spread over about 2.5 minutes (ALB_SPACING
# seconds apart, default 2.3), so the conversation list is deterministic. Only the GnuTLS client
# whose encrypted alert should be readable writes a TLS key log; it is embedded in the pcapng.
# Expected result: ../expected/alb-mirror.{alerts,conv}.tsv (written from the schedule below).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
OUT=$CAPTURES/alb-mirror.pcapng
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session alb

# ---------------------------------------------------------------- packages
need_packages iproute2 ethtool openssl gnutls-bin nginx curl python3 tshark util-linux coreutils
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
PEER=$CAPTURES/lib/tlspeer.py
unset SSLKEYLOGFILE

# ---------------------------------------------------------------- parameters
NS=${ALB_NS_PREFIX:-tlsa-alb}
SPACING=${ALB_SPACING:-2.3}
VNI=4242
ALB_IP=10.0.1.25 # the ALB node's address in the VPC subnet (inner destination)
RTR_IP=10.0.1.1  # VPC router
ENI_UL=10.0.99.25 # outer source: the mirror source (ENI) on the underlay
TGT_UL=10.0.99.100 # mirror target
NAME=app.example.test

START=$(date +%s)
mkdir -p "$WORK/log" "$WORK/html" "$WORK/nginx-tmp"

# ---------------------------------------------------------------- PKI
# the site certificate: app.example.test only (www.example.test is served too, but was forgotten
# in the certificate: the hostname-mismatch clients)
make_app_pki "$WORK/pki" "$NAME"
P=$WORK/pki

# ---------------------------------------------------------------- hosts
# name  address  (client hosts; h* only ever succeed, f* fail)
HOSTS="
h01 198.51.100.10
h02 198.51.100.11
h03 198.51.100.12
h04 198.51.100.13
h05 198.51.100.14
h06 198.51.100.15
h07 198.51.100.16
h08 198.51.100.17
h09 203.0.113.10
h10 203.0.113.11
h11 203.0.113.12
h12 203.0.113.13
h13 203.0.113.14
h14 203.0.113.15
h15 203.0.113.16
h16 203.0.113.17
f01 192.0.2.31
f02 192.0.2.32
f03 192.0.2.33
f04 203.0.113.41
f05 198.51.100.42
f06 203.0.113.43
f07 198.51.100.44
f08 203.0.113.45
f09 198.51.100.46
f10 203.0.113.47
f11 198.51.100.48
f12 192.0.2.49
f13 203.0.113.50
f14 198.51.100.51
f15 192.0.2.52
"
# what each host runs (see run_kind)
declare -A KIND=(
    [h01]=curl13-h2 [h02]=curl13-h2 [h03]=curl13-h2
    [h04]=curl12 [h05]=curl12 [h06]=curl12
    [h07]=py13 [h08]=py13 [h09]=py13
    [h10]=py12 [h11]=py12
    [h12]=ossl12 [h13]=ossl12
    [h14]=ossl13 [h15]=ossl13 [h16]=ossl13
    [f01]=py-old-ca-bundle [f02]=py-old-ca-bundle [f03]=py-old-ca-bundle
    [f04]=ossl12-untrusted [f05]=py-www-name
    [f06]=ossl-tls11 [f07]=gnutls-tls10
    [f08]=ossl-rsa-cbc [f09]=curl-ecdhe-cbc
    [f10]=ossl-alpn-spdy [f11]=ossl-sni-legacy [f12]=curl-by-ip
    [f13]=gnutls13-untrusted-keys [f14]=gnutls13-untrusted
    [f15]=py-rst-after-hello
)
# The order in which hosts connect: 66 conversations, 48 healthy, 18 failing. Minute 1 has the
# usual background of old clients; minute 2 a spike (a client fleet with an outdated CA bundle,
# retrying); minute 3 calms down.
SCHEDULE="
h01 h07 h12 h04 f06 h14 h10 h02 h08 f08 h15 h05 h13 f15 h09 h03 h11 f12 h16 h06 h01 f07 h07 h12 h04 h14
h10 f01 h02 f02 f03 h08 f05 h15 f13 h05 f01 h13 f02 h09 f04 f03 h03 f14 h11 f10 h16 h06 f09 h01 h07 h12
h04 h14 f11 h10 h02 h08 h15 h05 h13 h09 h03 h11 h16 h06
"

# ---------------------------------------------------------------- topology
ipn() { ip -n "$@"; }
offloads_off() { # NS IF: no segmentation offloads (netns_link) and no checksum offload either,
    # so the mirrored copies carry complete checksums
    nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true
}
netns_add "$NS-inet"
netns_add "$NS-alb"
netns_add "$NS-tgt"
netns_ipv4_only "$NS-inet" "$NS-alb" "$NS-tgt"
nsx "$NS-inet" sysctl -qw net.ipv4.ip_forward=1
ipn "$NS-inet" link add br0 type bridge
ipn "$NS-inet" link set br0 address 0a:00:00:00:00:01 up
for a in 198.51.100.1/24 203.0.113.1/24 192.0.2.1/24; do ipn "$NS-inet" addr add "$a" dev br0; done

# the ALB node: eth0 towards the VPC router, mir0 = the mirror source's underlay
netns_link "$NS-alb" eth0 "$ALB_IP/24" "$NS-inet" vpc0 "$RTR_IP/24"
ipn "$NS-alb" link set eth0 address 0a:1b:2c:3d:4e:5f
ipn "$NS-inet" link set vpc0 address 0a:00:00:00:00:02
ipn "$NS-alb" route add default via "$RTR_IP"
offloads_off "$NS-alb" eth0
offloads_off "$NS-inet" vpc0
netns_link "$NS-alb" mir0 "$ENI_UL/24" "$NS-tgt" mir0 "$TGT_UL/24"
ipn "$NS-alb" link set mir0 address 0a:1b:2c:3d:4e:60 mtu 9001
ipn "$NS-tgt" link set mir0 address 0a:9f:00:00:00:64 mtu 9001
offloads_off "$NS-alb" mir0
offloads_off "$NS-tgt" mir0
# the mirror session: VXLAN to the target, UDP 4789
vxlan_add "$NS-alb" vxlan0 "$VNI" "$ENI_UL" "$TGT_UL" mir0
ipn "$NS-alb" link set vxlan0 mtu 8950
# the target listens on 4789 like the blog post's capture0 (no ICMP port unreachable back)
vxlan_add "$NS-tgt" capture0 "$VNI" "$TGT_UL" "$ENI_UL" mir0
# the mirror filter: client->ALB TCP to 443 (ingress), ALB->client TCP from 443 (egress)
nsx "$NS-alb" tc qdisc add dev eth0 clsact
nsx "$NS-alb" tc filter add dev eth0 ingress protocol ip prio 10 u32 \
    match ip protocol 6 0xff match ip dport 443 0xffff action mirred egress mirror dev vxlan0
nsx "$NS-alb" tc filter add dev eth0 egress protocol ip prio 10 u32 \
    match ip protocol 6 0xff match ip sport 443 0xffff action mirred egress mirror dev vxlan0

declare -A IP_OF=()
i=0
while read -r h addr; do
    [ -n "$h" ] || continue
    i=$((i + 1))
    IP_OF[$h]=$addr
    netns_add "$NS-$h"
    netns_ipv4_only "$NS-$h"
    netns_link "$NS-$h" eth0 "$addr/24" "$NS-inet" "p$h" -
    ipn "$NS-inet" link set "p$h" master br0
    ipn "$NS-$h" link set eth0 address "$(printf '02:00:5e:10:00:%02x' "$i")"
    offloads_off "$NS-$h" eth0
    offloads_off "$NS-inet" "p$h"
    ipn "$NS-$h" route add default via "${addr%.*}.1"
done <<<"$HOSTS"

# ---------------------------------------------------------------- the ALB (nginx)
echo "<html><body>app</body></html>" >"$WORK/html/index.html"
chmod -R a+rX "$WORK/html"
NCPU=$(nproc)
cat >"$WORK/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/log/nginx-error.log info;
events { worker_connections 128; }
http {
    log_format tls '\$remote_addr \$ssl_server_name \$ssl_protocol \$ssl_cipher "\$request" \$status';
    access_log $WORK/log/nginx-access.log tls;
    client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp;
    fastcgi_temp_path $WORK/nginx-tmp; uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
    # ELB-style policy: TLS 1.2 + 1.3, ECDHE key exchange, AEAD ciphers only
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers on;
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    # strict SNI: names this listener does not serve (or no SNI at all) are refused
    server {
        listen $ALB_IP:443 ssl default_server;
        ssl_reject_handshake on;
    }
    server {
        listen $ALB_IP:443 ssl http2;
        server_name $NAME www.example.test;
        ssl_certificate $P/app-chain.crt;
        ssl_certificate_key $P/app.key;
        root $WORK/html;
    }
}
EOF
# nginx on the last CPU, the resetting client on the first: the reset must reach nginx before it
# can answer the ClientHello (aborted after the ClientHello, not after the server's flight)
PIN_SRV=() PIN_CLI=()
if [ "$NCPU" -ge 2 ]; then
    PIN_SRV=(taskset -c $((NCPU - 1)))
    PIN_CLI=(taskset -c 0)
fi
bg_start "$NS-alb" "$WORK/log/nginx.out" "${PIN_SRV[@]}" nginx -e "$WORK/log/nginx-error.log" -c "$WORK/nginx.conf"
wait_port "$NS-alb" tcp 443

# ---------------------------------------------------------------- clients
KEYS=$WORK/keys.log
: >"$KEYS"
CURL=(curl -sS -o /dev/null --max-time 8 --cacert "$P/ca.crt" --resolve "$NAME:443:$ALB_IP")
REQ="GET / HTTP/1.1\r\nHost: $NAME\r\nConnection: close\r\n\r\n"
OSSL=(openssl s_client -connect "$ALB_IP:443")
GCLI=(gnutls-cli -p 443 "$ALB_IP" --sni-hostname "$NAME" --verify-hostname "$NAME")

run_kind() { # HOST KIND   (exit status ignored: failing is the point)
    local h=$1 kind=$2 log=$WORK/log/$1.log
    local -a x=(timeout 15 ip netns exec "$NS-$h")
    {
        echo "== $kind"
        case $kind in
        # ---- healthy
        curl13-h2) "${x[@]}" "${CURL[@]}" "https://$NAME/" ;;
        curl12) "${x[@]}" "${CURL[@]}" --tlsv1.2 --tls-max 1.2 --http1.1 "https://$NAME/" ;;
        py13) "${x[@]}" "$PY" "$PEER" get "$ALB_IP" 443 "$NAME" --tls13 --cafile "$P/ca.crt" ;;
        py12) "${x[@]}" "$PY" "$PEER" get "$ALB_IP" 443 "$NAME" --tls12 --cafile "$P/ca.crt" ;;
        ossl12 | ossl13)
            # shellcheck disable=SC2059
            printf "$REQ" | "${x[@]}" "${OSSL[@]}" -servername "$NAME" "-tls1_${kind#ossl1}" \
                -CAfile "$P/ca.crt" -verify_return_error -quiet ;;
        # ---- failing
        py-old-ca-bundle) "${x[@]}" "$PY" "$PEER" get "$ALB_IP" 443 "$NAME" --cafile "$P/rogue-ca.crt" ;;
        ossl12-untrusted) "${x[@]}" "${OSSL[@]}" -servername "$NAME" -tls1_2 -CAfile "$P/rogue-ca.crt" -verify_return_error </dev/null ;;
        py-www-name) "${x[@]}" "$PY" "$PEER" get "$ALB_IP" 443 www.example.test --cafile "$P/ca.crt" ;;
        ossl-tls11) "${x[@]}" "${OSSL[@]}" -servername "$NAME" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' </dev/null ;;
        gnutls-tls10) "${x[@]}" "${GCLI[@]}" --x509cafile "$P/ca.crt" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0' </dev/null ;;
        ossl-rsa-cbc) "${x[@]}" "${OSSL[@]}" -servername "$NAME" -tls1_2 -cipher 'AES128-SHA:AES256-SHA:AES128-SHA256' </dev/null ;;
        curl-ecdhe-cbc) "${x[@]}" "${CURL[@]}" --tlsv1.2 --tls-max 1.2 --ciphers 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA' "https://$NAME/" ;;
        ossl-alpn-spdy) "${x[@]}" "${OSSL[@]}" -servername "$NAME" -alpn spdy/3 </dev/null ;;
        ossl-sni-legacy) "${x[@]}" "${OSSL[@]}" -servername legacy.example.test </dev/null ;;
        curl-by-ip) "${x[@]}" "${CURL[@]}" "https://$ALB_IP/" ;;
        gnutls13-untrusted-keys) "${x[@]}" env SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/rogue-ca.crt" </dev/null ;;
        gnutls13-untrusted) "${x[@]}" "${GCLI[@]}" --x509cafile "$P/rogue-ca.crt" </dev/null ;;
        py-rst-after-hello) "${x[@]}" "${PIN_CLI[@]}" "$PY" "$PEER" rst-after-hello "$ALB_IP" 443 "$NAME" ;;
        *) echo "unknown kind $kind" >&2; return 2 ;;
        esac
    } >>"$log" 2>&1 || true
}

capture_start "$NS-tgt" mir0 "$WORK/raw.pcapng" "udp port 4789"
T0=$(date +%s.%N)
n=0
: >"$WORK/notes"
for h in $SCHEDULE; do
    n=$((n + 1))
    # start conversation n at T0 + (n-1)*SPACING
    wait_s=$(awk -v t0="$T0" -v now="$(date +%s.%N)" -v n="$n" -v s="$SPACING" \
        'BEGIN { w = t0 + (n - 1) * s - now; printf "%.3f", (w > 0 ? w : 0) }')
    sleep "$wait_s"
    printf '%s\t%s\n' "$(date +%s.%N)" "conversation $n: ${IP_OF[$h]} ${KIND[$h]}" >>"$WORK/notes"
    run_kind "$h" "${KIND[$h]}"
done
sleep 0.5
capture_stop "$CAPTURE_PID"
echo "   $n conversations in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}') s"

# ---------------------------------------------------------------- finish the file
# comment the first packet of every conversation, embed the GnuTLS client's key log
tshark -r "$WORK/raw.pcapng" -T fields -e frame.number -e frame.time_epoch 2>/dev/null >"$WORK/times"
mapfile -t CMT < <(awk -F'\t' 'NR == FNR { t[NR] = $1; c[NR] = $2; n = NR; next }
    { while (k < n && $2 + 0 >= t[k + 1] + 0) { k++; printf "%s:%s\n", $1, c[k] } }' "$WORK/notes" "$WORK/times")
args=()
for c in "${CMT[@]}"; do args+=(-a "$c"); done
editcap --capture-comment "tlsalerts test capture alb-mirror: VPC Traffic Mirroring view (VXLAN VNI $VNI) of an ALB-like nginx, real TLS stacks in network namespaces, see captures/README.md" \
    "${args[@]}" "$WORK/raw.pcapng" "$WORK/step.pcapng"
if [ -s "$KEYS" ]; then
    editcap --inject-secrets "tls,$KEYS" "$WORK/step.pcapng" "$OUT"
else
    echo "make-alb-mirror.sh: the GnuTLS client wrote no key log" >&2
    exit 1
fi
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"

# the reset client must have been answered by nothing (aborted_after_client_hello)
rst_ip=${IP_OF[f15]}
answered=$(tshark -r "$OUT" -Y "ip.dst == $rst_ip && tcp.len > 0" 2>/dev/null | wc -l)
if [ "$answered" != 0 ]; then
    echo "make-alb-mirror.sh: nginx answered the resetting client ($rst_ip) before its RST arrived;" \
        "the expected outcome aborted_after_client_hello does not hold - run again" >&2
    exit 1
fi
if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" alb-mirror
fi
echo "make-alb-mirror.sh: done in $(($(date +%s) - START)) s"
