#!/usr/bin/env bash
# Regenerates the impaired-network captures: alerts that a capture shows twice, in pieces, several
# in one frame, or on ports Wireshark does not associate with TLS.
#
#   sudo ./make-impaired.sh                       every family, then check-expected.sh on them
#   sudo ./make-impaired.sh [--no-check] FAMILY...
#
# Families (one pcapng each in .., duplicated writes two):
#   retransmitted   retransmitted-alert.pcapng       an nftables rule drops the first copy of an
#                                                    alert segment after the capture point: the
#                                                    kernel retransmits it
#   duplicated      duplicated-alert.pcapng          the same conversations captured at both ends
#                                                    and merged with mergecap
#                   duplicated-alert-vxlan.pcapng    the same conversations mirrored by two VXLAN
#                                                    mirror sessions (VNI 101: client ENI, VNI 102:
#                                                    server ENI) into one target capture
#   split           split-alert.pcapng               one alert record in two TCP segments
#   multi           multi-alert.pcapng               two alert records in one TCP segment
#   ports           nonstandard-port.pcapng          TLS alerts on 8443, 4433, 9999, 8080
#   corrupted       corrupted-record.pcapng          an nftables rule zeroes one byte of a record
#                                                    after the capture point: bad_record_mac,
#                                                    decrypt_error (the "hardware" group)
#
# Real parts only: OpenSSL 3.0 (s_server, s_client, Python's ssl module), GnuTLS 3.7
# (gnutls-serv, gnutls-cli), the kernel's TCP, veth links, a Linux bridge as the wire, nftables for
# the losses and the corruption, kernel VXLAN + tc mirred for the mirror sessions; dumpcap captures. alertpeer.py
# (next to this script) drives OpenSSL through memory BIOs when the application must choose how
# the stack's bytes are cut into segments. Nothing leaves the namespaces.
#
#   NS-cli eth0 10.99.40.1 --- pc [br0 in NS-tap] ps --- eth0 10.99.40.2 NS-srv
#                                          ^ dumpcap on "ps" (the wire) for most families
#   duplicated: dumpcap on both eth0; and tc mirred of both eth0 into vxlan101 / vxlan102 ->
#   ul0 10.99.41.11 / 10.99.41.12 --- br0 10.99.41.100 in NS-tgt (dumpcap here, "udp port 4789")
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
OUT=$CAPTURES
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

ALL_FAMILIES=(retransmitted duplicated split multi ports corrupted)
CHECK=1
FAMILIES=()
for a in "$@"; do
    case $a in
    --no-check) CHECK=0 ;;
    -h | --help) sed -n '2,34p' "$0"; exit 0 ;;
    *) FAMILIES+=("$a") ;;
    esac
done
[ ${#FAMILIES[@]} -gt 0 ] || FAMILIES=("${ALL_FAMILIES[@]}")
capture_session impaired "network namespaces, packet capture, nftables"

# ---------------------------------------------------------------- packages
need_packages iproute2 ethtool nftables openssl gnutls-bin python3 tshark coreutils
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
AP=$HERE/alertpeer.py
unset SSLKEYLOGFILE

# ---------------------------------------------------------------- setup
NS=${IMPAIRED_NS_PREFIX:-tlsa-imp}
CLI=$NS-cli SRV=$NS-srv TAP=$NS-tap TGT=$NS-tgt
CLI_IP=10.99.40.1 SRV_IP=10.99.40.2
START=$(date +%s)
mkdir -p "$WORK/log"
make_pki "$WORK/pki"
P=$WORK/pki
HOLD=$WORK/hold # stdin for servers that quit on EOF: a FIFO opened read-write never ends
mkfifo "$HOLD"

for ns in "$CLI" "$SRV" "$TAP" "$TGT"; do
    netns_add "$ns"
    netns_ipv4_only "$ns"
done
# the wire: a bridge in its own namespace, a capture point between the two hosts
ip -n "$TAP" link add br0 type bridge
ip -n "$TAP" link set br0 up
netns_link "$CLI" eth0 "$CLI_IP/24" "$TAP" pc -
netns_link "$SRV" eth0 "$SRV_IP/24" "$TAP" ps -
ip -n "$TAP" link set pc master br0
ip -n "$TAP" link set ps master br0
ip -n "$CLI" link set eth0 address 02:00:00:00:40:01
ip -n "$SRV" link set eth0 address 02:00:00:00:40:02
# checksums computed in software too, so captured and mirrored copies carry complete ones
for x in "$CLI eth0" "$SRV eth0" "$TAP pc" "$TAP ps"; do
    # shellcheck disable=SC2086
    set -- $x
    nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true
done
# static neighbours: no ARP on the wire
ip -n "$CLI" neigh replace "$SRV_IP" lladdr 02:00:00:00:40:02 dev eth0 nud permanent
ip -n "$SRV" neigh replace "$CLI_IP" lladdr 02:00:00:00:40:01 dev eth0 nud permanent
# the VXLAN mirror sessions' underlay and target (used by the duplicated family)
ip -n "$TGT" link add br0 type bridge
ip -n "$TGT" addr add 10.99.41.100/24 dev br0
ip -n "$TGT" link set br0 address 02:00:00:00:41:64 up
netns_link "$CLI" ul0 10.99.41.11/24 "$TGT" uc -
netns_link "$SRV" ul0 10.99.41.12/24 "$TGT" us -
ip -n "$TGT" link set uc master br0
ip -n "$TGT" link set us master br0
for x in "$CLI ul0" "$SRV ul0" "$TGT uc" "$TGT us"; do
    # shellcheck disable=SC2086
    set -- $x
    ip -n "$1" link set "$2" mtu 9001
    nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true
done
ip -n "$TGT" link set br0 mtu 9001
ip -n "$CLI" link set ul0 address 02:00:00:00:41:0b
ip -n "$SRV" link set ul0 address 02:00:00:00:41:0c
ip -n "$CLI" neigh replace 10.99.41.100 lladdr 02:00:00:00:41:64 dev ul0 nud permanent
ip -n "$SRV" neigh replace 10.99.41.100 lladdr 02:00:00:00:41:64 dev ul0 nud permanent
# the target listens on 4789 (one device per session), so nothing answers ICMP port unreachable
for v in 101 102; do
    ip -n "$TGT" link add "vxlan$v" type vxlan id "$v" local 10.99.41.100 dstport 4789 dev br0 nolearning
    ip -n "$TGT" link set "vxlan$v" up
done

OSRV=(openssl s_server -www)
GSRV=(gnutls-serv)

FAM='' KEYS='' NSCEN=0 SRV_PID='' CAPS=() CAP_PIDS=()

fam_begin() { # NAME [NS IF FILTER]...   (default capture point: the wire, port ps, "tcp")
    FAM=$1
    shift
    KEYS=$WORK/$FAM.keys
    : >"$KEYS"
    : >"$WORK/$FAM.notes"
    NSCEN=0
    CAPS=() CAP_PIDS=()
    echo "== $FAM"
    [ $# -gt 0 ] || set -- "$TAP" ps tcp
    local k=0
    while [ $# -gt 0 ]; do
        k=$((k + 1))
        capture_start "$1" "$2" "$WORK/$FAM.$k.pcapng" "$3"
        CAPS+=("$WORK/$FAM.$k.pcapng")
        CAP_PIDS+=("$CAPTURE_PID")
        shift 3
    done
}

fam_stop() {
    local pid
    for pid in "${CAP_PIDS[@]}"; do capture_stop "$pid"; done
}

finish() { # RAW OUT-NAME [DESCRIPTION]: comment each scenario's first packet, embed keys
    local raw=$1 out=$OUT/$2.pcapng step=$WORK/$2.step.pcapng desc=${3:-$2}
    tshark -r "$raw" -T fields -e frame.number -e frame.time_epoch 2>/dev/null >"$WORK/times"
    local -a cmts args=()
    mapfile -t cmts < <(awk -F'\t' 'NR == FNR { t[NR] = $1; c[NR] = $2; n = NR; next }
        { while (k < n && $2 + 0 >= t[k + 1] + 0) { k++; printf "%s:%s\n", $1, c[k] } }' \
        "$WORK/$FAM.notes" "$WORK/times")
    local c
    for c in "${cmts[@]}"; do args+=(-a "$c"); done
    editcap --capture-comment "tlsalerts test capture $2: $desc; real TLS stacks in network namespaces, see captures/README.md" \
        "${args[@]}" "$raw" "$step"
    if [ -s "$KEYS" ]; then
        editcap --inject-secrets "tls,$KEYS" "$step" "$out"
    else
        cp "$step" "$out"
    fi
    # mergecap writes the capturing machine's kernel into the section header: drop it again
    "$PY" "$CAPTURES/lib/pcapng_scrub.py" "$out"
    chmod 644 "$out"
    echo "   -> $(basename "$out"): $(tshark -r "$out" 2>/dev/null | wc -l) frames, $(stat -c %s "$out") bytes"
}

scen() { # description; also the packet comment of the scenario's first packet
    NSCEN=$((NSCEN + 1))
    printf '%s\t%s\n' "$(date +%s.%N)" "scenario $NSCEN: $*" >>"$WORK/$FAM.notes"
    echo "   $NSCEN. $*"
}

srv() { # PROTO PORT CMD...   start a server in NS-srv, wait until it listens
    local proto=$1 port=$2
    shift 2
    # shellcheck disable=SC2016
    bg_start "$SRV" "$WORK/log/$FAM.$NSCEN.srv.log" bash -c 'f=$1; shift; exec "$@" <>"$f"' _ "$HOLD" "$@"
    SRV_PID=$BG_PID
    wait_port "$SRV" "$proto" "$port"
}

srv_stop() {
    sleep 0.3
    bg_stop "$SRV_PID"
    SRV_PID=
    sleep 0.2
}

srv_wait() { # the server exits by itself (alertpeer.py serves one connection)
    local _
    for _ in $(seq 1 50); do
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.1
    done
    bg_stop "$SRV_PID"
    SRV_PID=
}

# Clients: exit status ignored (failing is the point); output to the log.
cli() { # [VAR=value...] CMD...   stdin: nothing (EOF at once)
    timeout 15 ip netns exec "$CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 </dev/null || true
}
cli_in() { # TEXT SECS [VAR=value...] CMD...   TEXT (printf format) on stdin, EOF SECS seconds later
    local text=$1 secs=$2
    shift 2
    # shellcheck disable=SC2059
    { printf "$text"; sleep "$secs"; } | timeout 15 ip netns exec "$CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 || true
}

# nftables losses. The TCP header is 32 bytes (timestamps), so an IPv4 packet carrying one
# plaintext alert record (7 bytes) is 59 bytes long, one TLS 1.3 alert record (24 bytes) 76.
loss() { # NS HOOK BYTES RULE...   (re)create table inet impair with one chain on HOOK and this
    # rule. The rule's named quota "once" holds BYTES: the first matching packet (shorter than
    # BYTES) passes it, a second one (the two together at least BYTES) no longer does.
    local ns=$1 hook=$2 bytes=$3
    shift 3
    nsx "$ns" nft delete table inet impair 2>/dev/null || true
    nsx "$ns" nft -f - <<EOF
table inet impair {
    quota once { $bytes bytes }
    chain c {
        type filter hook $hook priority -300; policy accept;
        $*
    }
}
EOF
}
loss_report() { # NS: log what the rule dropped, remove it
    nsx "$1" nft list table inet impair 2>/dev/null | grep -E 'counter packets' | sed 's/^[[:space:]]*/      nft: /' || true
    nsx "$1" nft delete table inet impair 2>/dev/null || true
}

OCLI=(openssl s_client -servername server.test)
GCLI=(gnutls-cli --sni-hostname server.test --verify-hostname server.test)

# ---------------------------------------------------------------- families
fam_retransmitted() {
    fam_begin retransmitted-alert

    scen "openssl s_client TLS1.3 -> openssl s_server, untrusted server cert: the client's unknown_ca is lost once at the server's ingress; its FIN follows at once, so the kernel retransmits fast (SACK)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    loss "$SRV" prerouting 100 "tcp dport 443 ip length 59 quota name \"once\" counter drop"
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -CAfile "$P/ca.crt" -verify_return_error
    srv_stop
    loss_report "$SRV"

    scen "python3 ssl (alertpeer) TLS1.2 -> openssl s_server, untrusted server cert: unknown_ca lost once at the server's ingress; the client keeps the socket open 1 s, so the retransmission comes from the retransmission timer"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    loss "$SRV" prerouting 100 "tcp dport 443 ip length 59 quota name \"once\" counter drop"
    cli "$PY" "$AP" client "$SRV_IP" 443 server.test --tls12 --cafile "$P/ca.crt" --hold 1
    srv_stop
    loss_report "$SRV"

    scen "openssl s_client TLS1.1 -> openssl s_server -min_protocol TLSv1.2: the server's protocol_version is lost once at the client's ingress (FIN right behind it)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key" -min_protocol TLSv1.2 -cipher 'DEFAULT@SECLEVEL=0'
    loss "$CLI" prerouting 100 "tcp sport 443 ip length 59 quota name \"once\" counter drop"
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
    srv_stop
    loss_report "$CLI"

    scen "openssl s_client TLS1.3 without client cert -> openssl s_server -Verify 1: the server's encrypted certificate_required is lost once at the client's ingress (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key" -Verify 1
    loss "$CLI" prerouting 100 "tcp sport 443 ip length 76 quota name \"once\" counter drop"
    cli_in '' 1 "${OCLI[@]}" -connect "$SRV_IP:443" -CAfile "$P/ca.crt" -keylogfile "$KEYS"
    srv_stop
    loss_report "$CLI"

    scen "gnutls-cli TLS1.3 -> openssl s_server, untrusted server cert: the encrypted bad_certificate (+FIN) is lost at the server's ingress and never retransmitted: GnuTLS resets the connection right after it (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    loss "$SRV" prerouting 100 "tcp dport 443 ip length 76 quota name \"once\" counter drop"
    cli_in '' 2 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" -p 443 "$SRV_IP" --x509cafile "$P/ca.crt"
    srv_stop
    loss_report "$SRV"

    fam_stop
    finish "${CAPS[0]}" retransmitted-alert "alert segments lost after the capture point and retransmitted by the kernel"
}

fam_duplicated() {
    # one run, three capture points: both hosts' interfaces (merged: duplicated-alert) and the
    # mirror target of two VXLAN mirror sessions (duplicated-alert-vxlan)
    local v ns
    for v in "$CLI:101" "$SRV:102"; do
        ns=${v%:*}
        ip -n "$ns" link add vxlan0 type vxlan id "${v#*:}" remote 10.99.41.100 dstport 4789 dev ul0
        ip -n "$ns" link set vxlan0 mtu 8950 up
        nsx "$ns" tc qdisc add dev eth0 clsact
        nsx "$ns" tc filter add dev eth0 ingress protocol ip prio 10 u32 match ip protocol 6 0xff action mirred egress mirror dev vxlan0
        nsx "$ns" tc filter add dev eth0 egress protocol ip prio 10 u32 match ip protocol 6 0xff action mirred egress mirror dev vxlan0
    done
    fam_begin duplicated "$CLI" eth0 tcp "$SRV" eth0 tcp "$TGT" br0 "udp port 4789"

    scen "openssl s_client TLS1.3 -> openssl s_server, untrusted server cert: unknown_ca from the client (plaintext)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -CAfile "$P/ca.crt" -verify_return_error
    srv_stop

    scen "openssl s_client TLS1.1 -> openssl s_server -min_protocol TLSv1.2: protocol_version from the server"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key" -min_protocol TLSv1.2 -cipher 'DEFAULT@SECLEVEL=0'
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
    srv_stop

    scen "gnutls-cli TLS1.3 -> openssl s_server, untrusted server cert: encrypted bad_certificate from the client (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_in '' 2 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" -p 443 "$SRV_IP" --x509cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.2 -> openssl s_server -www, one GET: close_notify both ways (encrypted, no key log)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    cli_in 'GET / HTTP/1.0\r\n\r\n' 2 "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_2 -CAfile "$P/ca.crt" -ign_eof
    srv_stop

    fam_stop
    for ns in "$CLI" "$SRV"; do
        nsx "$ns" tc qdisc del dev eth0 clsact
        ip -n "$ns" link del vxlan0
    done
    # client side + server side: every frame twice, microseconds apart
    local ends=$WORK/duplicated.ends.pcapng
    mergecap -w "$ends" "${CAPS[0]}" "${CAPS[1]}"
    finish "$ends" duplicated-alert "the same conversations captured on the client's and on the server's interface, merged with mergecap (every frame twice)"
    # the mirror target: the client ENI's session (VNI 101) and the server ENI's (VNI 102)
    finish "${CAPS[2]}" duplicated-alert-vxlan "two VXLAN mirror sessions (VNI 101 on the client's interface, VNI 102 on the server's) seen by one mirror target (every frame twice)"
}

fam_split() {
    fam_begin split-alert

    scen "python3 ssl (alertpeer) TLS1.3 -> openssl s_server, untrusted server cert: unknown_ca record sent as 5 + 2 bytes (header | body), 0.3 s apart"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli "$PY" "$AP" client "$SRV_IP" 443 server.test --tls13 --cafile "$P/ca.crt" --split 5
    srv_stop

    scen "openssl s_client TLS1.1 -> python3 ssl server (alertpeer, minimum TLS1.2): protocol_version record sent as 3 + 4 bytes (inside the header)"
    srv tcp 443 "$PY" "$AP" server 0.0.0.0 443 "$P/server.crt" "$P/server.key" --min-tls12 --split 3
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
    srv_wait

    scen "python3 ssl (alertpeer) TLS1.2 -> openssl s_server -www, one GET: the client's encrypted close_notify (31 bytes) sent as 1 + 30 bytes (no key log)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    cli "$PY" "$AP" client "$SRV_IP" 443 server.test --tls12 --cafile "$P/ca.crt" --get --split 1
    srv_stop

    scen "python3 ssl (alertpeer) TLS1.3 -> openssl s_server -www, one GET: the client's close_notify (24 bytes, key log embedded) sent as 10 + 14 bytes"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    cli SSLKEYLOGFILE="$KEYS" "$PY" "$AP" client "$SRV_IP" 443 server.test --tls13 --cafile "$P/ca.crt" --get --split 10
    srv_stop

    fam_stop
    finish "${CAPS[0]}" split-alert "alert records split across two TCP segments"
}

fam_multi() {
    fam_begin multi-alert

    scen "gnutls-cli TLS1.2 with a client cert from a rogue CA -> gnutls-serv --require-client-cert --verify-client-cert: access_denied and bad_certificate, written separately by GnuTLS; an egress rule on the server drops the first one, so the kernel sends both in one segment"
    srv tcp 443 "${GSRV[@]}" -p 443 --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" --x509cafile "$P/ca.crt" --require-client-cert --verify-client-cert
    loss "$SRV" output 100 "tcp sport 443 ip length 59 counter drop"
    cli_in '' 2 "${GCLI[@]}" -p 443 "$SRV_IP" --x509cafile "$P/ca.crt" --x509certfile "$P/rogue-client.crt" --x509keyfile "$P/rogue-client.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2'
    srv_stop
    loss_report "$SRV"

    scen "the same in TLS1.3: two encrypted alerts in one segment (key log embedded)"
    srv tcp 443 "${GSRV[@]}" -p 443 --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" --x509cafile "$P/ca.crt" --require-client-cert --verify-client-cert
    loss "$SRV" output 100 "tcp sport 443 ip length 76 counter drop"
    cli_in '' 2 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" -p 443 "$SRV_IP" --x509cafile "$P/ca.crt" --x509certfile "$P/rogue-client.crt" --x509keyfile "$P/rogue-client.key"
    srv_stop
    loss_report "$SRV"

    scen "openssl s_client TLS1.2 asks to renegotiate (R) -> python3 ssl server (alertpeer, SSL_OP_NO_RENEGOTIATION): warning no_renegotiation + close_notify in one send(), then the client's fatal handshake_failure (server key log embedded)"
    srv tcp 443 "$PY" "$AP" server 0.0.0.0 443 "$P/server.crt" "$P/server.key" --no-renegotiation --keylog "$KEYS"
    cli_in '' 0.5 sh -c "{ sleep 0.5; echo R; sleep 1.5; } | openssl s_client -servername server.test -connect $SRV_IP:443 -tls1_2 -CAfile $P/ca.crt"
    srv_wait

    scen "the same without key log: two encrypted alerts in one frame, then the client's encrypted alert"
    srv tcp 443 "$PY" "$AP" server 0.0.0.0 443 "$P/server.crt" "$P/server.key" --no-renegotiation --keylog "$WORK/multi.nokeys.log"
    cli_in '' 0.5 sh -c "{ sleep 0.5; echo R; sleep 1.5; } | openssl s_client -servername server.test -connect $SRV_IP:443 -tls1_2 -CAfile $P/ca.crt"
    srv_wait

    fam_stop
    finish "${CAPS[0]}" multi-alert "several alert records in one TCP segment"
}

fam_ports() {
    fam_begin nonstandard-port
    local port
    for port in 8443 4433 9999 8080; do
        scen "openssl s_client TLS1.3 -> openssl s_server on port $port, untrusted server cert: unknown_ca from the client"
        srv tcp "$port" "${OSRV[@]}" -accept "$port" -cert "$P/untrusted.crt" -key "$P/untrusted.key"
        cli "${OCLI[@]}" -connect "$SRV_IP:$port" -CAfile "$P/ca.crt" -verify_return_error
        srv_stop
    done
    scen "openssl s_client TLS1.1 -> openssl s_server -min_protocol TLSv1.2 on port 4433: protocol_version from the server"
    srv tcp 4433 "${OSRV[@]}" -accept 4433 -cert "$P/server.crt" -key "$P/server.key" -min_protocol TLSv1.2 -cipher 'DEFAULT@SECLEVEL=0'
    cli "${OCLI[@]}" -connect "$SRV_IP:4433" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
    srv_stop

    scen "gnutls-cli TLS1.3 -> openssl s_server on port 8443, untrusted server cert: encrypted bad_certificate (key log embedded)"
    srv tcp 8443 "${OSRV[@]}" -accept 8443 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_in '' 2 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" -p 8443 "$SRV_IP" --x509cafile "$P/ca.crt"
    srv_stop

    fam_stop
    finish "${CAPS[0]}" nonstandard-port "TLS alerts on ports Wireshark does not register for TLS"
}

fam_corrupted() {
    fam_begin corrupted-record
    # one byte of a record is zeroed by an nftables rule at the receiver's ingress, after the
    # capture point: the capture has the intact bytes, the receiving stack sees the damage. The
    # veth marks received packets CHECKSUM_UNNECESSARY, so TCP does not notice (like a NIC that
    # corrupts after verifying the checksum). "!= 0x00" makes the change certain.
    local appdata='ip length > 80 @ih,0,8 0x17 @ih,160,8 != 0x00 quota name "once" counter @ih,160,8 set 0x00'

    scen "openssl s_client TLS1.2, one GET -> openssl s_server -www: a byte of the client's request record is zeroed at the server's ingress: bad_record_mac from the server (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    loss "$SRV" prerouting 150 "tcp dport 443 $appdata"
    cli_in 'GET / HTTP/1.0\r\n\r\n' 1 "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_2 -CAfile "$P/ca.crt" -ign_eof -keylogfile "$KEYS"
    srv_stop
    loss_report "$SRV"

    scen "the same in TLS1.3: bad_record_mac from the server, encrypted (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    loss "$SRV" prerouting 150 "tcp dport 443 $appdata"
    cli_in 'GET / HTTP/1.0\r\n\r\n' 1 "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_3 -CAfile "$P/ca.crt" -ign_eof -keylogfile "$KEYS"
    srv_stop
    loss_report "$SRV"

    scen "openssl s_client TLS1.3 (no request) -> openssl s_server -www: a byte of the server's first record after its flight (a NewSessionTicket) is zeroed at the client's ingress: bad_record_mac from the client (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    loss "$CLI" prerouting 500 "tcp sport 443 $appdata"
    cli_in '' 1 "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_3 -CAfile "$P/ca.crt" -ign_eof -keylogfile "$KEYS"
    srv_stop
    loss_report "$CLI"

    scen "gnutls-cli TLS1.3 (no request) -> openssl s_server -www, the same damage: GnuTLS sends no alert, just FIN (then RST); OpenSSL s_server answers the unexpected EOF with decode_error (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    loss "$CLI" prerouting 500 "tcp sport 443 $appdata"
    cli_in '' 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" -p 443 "$SRV_IP" --x509cafile "$P/ca.crt"
    srv_stop
    loss_report "$CLI"

    scen "openssl s_client TLS1.2 -> openssl s_server: a byte of the server certificate's serial number is zeroed at the client's ingress, so its signature no longer verifies: decrypt_error from the client"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    # server flight: ServerHello record (70 bytes for this client), Certificate record header (5),
    # handshake header (4), list length (3), certificate length (3): the leaf starts at byte 85,
    # its serial (02 14 + 20 bytes) at byte 98; the rule checks that layout and zeroes serial byte 10
    loss "$CLI" prerouting 2000 "tcp sport 443 @ih,0,8 0x16 @ih,680,16 0x3082 @ih,784,16 0x0214 @ih,872,8 != 0x00 quota name \"once\" counter @ih,872,8 set 0x00"
    cli "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_2 -CAfile "$P/ca.crt" -verify_return_error
    srv_stop
    loss_report "$CLI"

    scen "openssl s_client TLS1.2, one GET -> openssl s_server -www, as in 1 without key log: an encrypted alert from the server"
    srv tcp 443 "${OSRV[@]}" -accept 443 -cert "$P/server.crt" -key "$P/server.key"
    loss "$SRV" prerouting 150 "tcp dport 443 $appdata"
    cli_in 'GET / HTTP/1.0\r\n\r\n' 1 "${OCLI[@]}" -connect "$SRV_IP:443" -tls1_2 -CAfile "$P/ca.crt" -ign_eof
    srv_stop
    loss_report "$SRV"

    fam_stop
    finish "${CAPS[0]}" corrupted-record "records corrupted after the capture point (hardware-group alerts)"
}

names=()
for f in "${FAMILIES[@]}"; do
    case $f in
    retransmitted) fam_retransmitted; names+=(retransmitted-alert) ;;
    duplicated) fam_duplicated; names+=(duplicated-alert duplicated-alert-vxlan) ;;
    split) fam_split; names+=(split-alert) ;;
    multi) fam_multi; names+=(multi-alert) ;;
    ports) fam_ports; names+=(nonstandard-port) ;;
    corrupted) fam_corrupted; names+=(corrupted-record) ;;
    *) echo "unknown family $f (have: ${ALL_FAMILIES[*]})" >&2; exit 2 ;;
    esac
done
if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" "${names[@]}"
fi
echo "make-impaired.sh: done in $(($(date +%s) - START)) s"
