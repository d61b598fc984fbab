#!/usr/bin/env bash
# Regenerates ../eap-tls.pcapng: TLS outside TCP — EAP-TLS carried in RADIUS over UDP 1812,
# between FreeRADIUS 3.2 (the authentication server) and eapol_test (wpa_supplicant's test
# client, which plays both the supplicant and the RADIUS client), in two network namespaces.
#
#   sudo ./make-eap-tls.sh [--no-check]
#
# Scenarios (one eapol_test run each, so one UDP 5-tuple each, except scenario 5):
#   1 EAP-TLS with TLS 1.2, both certificates trusted: Access-Accept
#   2 the same with TLS 1.3 (RFC 9190; FreeRADIUS answers the first ClientHello with a
#     HelloRetryRequest): Access-Accept
#   3 TLS 1.2, the client does not trust the server's CA: unknown_ca (48) from the client,
#     then Access-Reject
#   4 TLS 1.2, the server does not trust the client's CA: FreeRADIUS sends no alert (it
#     answers a failed handshake with EAP-Failure in an Access-Reject only)
#   5 scenario 3 twice from the same client port (the client namespace's ephemeral port
#     range pinned to one port): two identical alerts from the client in one UDP 5-tuple,
#     which are two alerts, not a copy
#   6 TLS 1.3, the client does not trust the server's CA: OpenSSL's client has not switched
#     to its handshake keys yet, so its unknown_ca (48) is a plaintext record
#   7 scenario 3 with the server's first Access-Reject dropped (nft, server namespace): the
#     Access-Request carrying the alert is retransmitted, one alert in two frames
# eapol_test cannot write a key log, so no keys are embedded.
# Expected result: ../expected/eap-tls.{alerts,conv}.tsv.
#
# The server runs from a private copy of /etc/freeradius/3.0 made here (the machine's own
# configuration is only read), as root, in the foreground (freeradius -f -l stdout -d DIR).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

capture_session eaptls
need_packages iproute2 ethtool nftables openssl freeradius eapoltest tshark python3 coreutils
unset SSLKEYLOGFILE

SECRET=tlsalerts-test-secret
mkdir -p "$WORK/log" "$WORK/run" "$WORK/radlog" "$WORK/cli"
make_pki "$WORK/pki"
P=$WORK/pki

netns_pair tlsa-eap 10.96.0
SRV=$SRV_IP

# --- FreeRADIUS: a private copy of the packaged configuration ----------------------------
R=$WORK/raddb
cp -a /etc/freeradius/3.0 "$R"
# Paths of the copy, not of the machine; stay root (no user/group switch).
sed -i -E \
    -e "s|^raddbdir = .*|raddbdir = $R|" \
    -e "s|^logdir = .*|logdir = $WORK/radlog|" \
    -e "s|^run_dir = .*|run_dir = $WORK/run|" \
    -e 's%^(\s*)(user|group) = freerad%\1#\2 = freerad%' \
    "$R/radiusd.conf"
cat >"$R/clients.conf" <<EOF
client eapol_test {
	ipaddr = $CLI_IP
	secret = $SECRET
}
EOF
# EAP with TLS only; the server trusts the test root CA for client certificates.
rm -f "$R/mods-enabled/eap"
cat >"$R/mods-enabled/eap" <<EOF
eap {
	default_eap_type = tls
	timer_expire = 60
	ignore_unknown_eap_types = no
	cisco_accounting_username_bug = no
	max_sessions = \${max_requests}
	tls-config tls-common {
		private_key_file = $P/server.key
		certificate_file = $P/server-chain.crt
		ca_file = $P/ca.crt
		cipher_list = "DEFAULT"
		tls_min_version = "1.2"
		tls_max_version = "1.3"
		cache {
			enable = no
		}
		verify {
		}
		ocsp {
			enable = no
		}
	}
	tls {
		tls = tls-common
	}
}
EOF

echo "== FreeRADIUS $(freeradius -v 2>/dev/null | sed -n 's/.*Version \([0-9.]*\).*/\1/p' | head -n1), eapol_test (wpa_supplicant $(dpkg-query -W -f='${Version}' eapoltest))"
bg_start "$NETNS_SRV" "$WORK/log/radiusd.log" freeradius -f -l stdout -xx -d "$R"
RAD_PID=$BG_PID
if ! wait_port "$NETNS_SRV" udp 1812 20; then
    cat "$WORK/log/radiusd.log" >&2
    exit 1
fi

# --- eapol_test --------------------------------------------------------------------------
client_conf() { # NAME CA CERT TLS13(0|1)
    cat >"$WORK/cli/$1.conf" <<EOF
network={
	key_mgmt=WPA-EAP IEEE8021X
	eap=TLS
	identity="client.test"
	ca_cert="$P/$2.crt"
	client_cert="$P/$3.crt"
	private_key="$P/$3.key"
	phase1="tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=$((1 - $4))"
	eapol_flags=0
}
EOF
}
client_conf ok12 ca client 0
client_conf ok13 ca client 1
client_conf rogueca12 rogue-ca client 0
client_conf rogueclient12 ca rogue-client 0
client_conf rogueca13 rogue-ca client 1

: >"$WORK/notes"
NSCEN=0
scen() { # description; also the packet comment of the scenario's first packet
    NSCEN=$((NSCEN + 1))
    printf '%s\t%s\n' "$(date +%s.%N)" "scenario $NSCEN: $*" >>"$WORK/notes"
    echo "   $NSCEN. $*"
}
eap() { # CONF [eapol_test options...]: one eapol_test run; its result line
    local conf=$1 log
    shift
    log=$WORK/log/eapol.$NSCEN.log
    timeout 30 ip netns exec "$NETNS_CLI" eapol_test -c "$WORK/cli/$conf.conf" -a "$SRV" -s "$SECRET" \
        -t 8 "$@" >"$log" 2>&1 </dev/null || true
    grep -E "^(SUCCESS|FAILURE)|EAP: Status notification: remote certificate verification|OpenSSL: TX .*alert" "$log" |
        sed 's/^/      eapol_test: /' || true
}

capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/raw.pcapng" "udp port 1812"
scen "EAP-TLS, TLS 1.2, both certificates trusted"
eap ok12
scen "EAP-TLS, TLS 1.3, both certificates trusted"
eap ok13
scen "EAP-TLS, TLS 1.2, the client does not trust the server's CA (unknown_ca from the client)"
eap rogueca12
scen "EAP-TLS, TLS 1.2, the server does not trust the client's CA (FreeRADIUS: EAP-Failure, no alert)"
eap rogueclient12
PORTS=$(nsx "$NETNS_CLI" sysctl -n net.ipv4.ip_local_port_range)
nsx "$NETNS_CLI" sysctl -qw net.ipv4.ip_local_port_range="40000 40000"
scen "EAP-TLS, TLS 1.2, the client does not trust the server's CA, twice from client port 40000 (two alerts)"
eap rogueca12
sleep 1
eap rogueca12
nsx "$NETNS_CLI" sysctl -qw net.ipv4.ip_local_port_range="$PORTS"
scen "EAP-TLS, TLS 1.3, the client does not trust the server's CA (plaintext unknown_ca from the client)"
eap rogueca13
# The server's first Access-Reject is dropped on its way out (before the capture point), so
# eapol_test sends the Access-Request that carries its alert again (3 s later) and FreeRADIUS
# answers the copy from its duplicate cache.
scen "EAP-TLS, TLS 1.2, the client does not trust the server's CA; the first Access-Reject is lost, the Access-Request with the alert is retransmitted (one alert)"
printf '%s\n' 'table inet tlsa_eap {' ' chain out {' '  type filter hook output priority 0; policy accept;' \
    '  udp sport 1812 @th,64,8 3 counter drop' ' }' '}' | nsx "$NETNS_SRV" nft -f -
eap rogueca12 &
EAP_PID=$!
for _ in $(seq 1 200); do
    nsx "$NETNS_SRV" nft list chain inet tlsa_eap out | grep -q "counter packets [1-9]" && break
    sleep 0.05
done
nsx "$NETNS_SRV" nft delete table inet tlsa_eap
wait "$EAP_PID"
capture_stop "$CAPTURE_PID"
bg_stop "$RAD_PID"

echo "   FreeRADIUS:"
grep -E "Login (OK|incorrect)|ERROR: .*(OpenSSL|verif)|Certificate chain validation failed|Sending Access-(Accept|Reject)" "$WORK/log/radiusd.log" |
    sed -E 's/^[A-Za-z]{3} [A-Za-z]{3} +[0-9]+ [0-9:]+ [0-9]+ : //; s/^[A-Za-z]+: //' | sed 's/^/     /' || true

OUT=$CAPTURES/eap-tls.pcapng
tshark -r "$WORK/raw.pcapng" -T fields -e frame.number -e frame.time_epoch 2>/dev/null >"$WORK/times"
args=()
mapfile -t cmts < <(awk -F'\t' 'NR == FNR { t[NR] = $1; c[NR] = $2; n = NR; next }
    { while (k < n && $2 + 0 >= t[k + 1] + 0) { k++; printf "%s:%s\n", $1, c[k] } }' \
    "$WORK/notes" "$WORK/times")
for c in "${cmts[@]}"; do args+=(-a "$c"); done
editcap --capture-comment "tlsalerts test capture eap-tls: EAP-TLS in RADIUS over UDP 1812, FreeRADIUS 3.2 and eapol_test in network namespaces, no keys; see captures/README.md" \
    "${args[@]}" "$WORK/raw.pcapng" "$OUT"
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" eap-tls
fi
