#!/usr/bin/env bash
# Regenerates ../client-{nss,go,node,java}.pcapng: four more client stacks (issue 14 part 7), each
# in TLS 1.2 and 1.3, once accepting the server's certificate (trusted CA) and once rejecting it
# (a certificate from a CA the client does not trust), every case twice: first without keys,
# then again with its keys embedded in the file (the decrypted truth of the same behaviour).
#
#   sudo ./make-client-stacks.sh [--no-check] [nss|go|node|java ...]
#
# Stacks (Debian 12 packages, installed when missing):
#   nss   NSS tstclnt (libnss3-tools), a certificate database trusting the test CA
#   go    Go crypto/tls (golang-go): stackclient.go, built here
#   node  Node.js tls (nodejs): stackclient.js
#   java  Java JSSE (openjdk-17-jdk-headless): StackClient.java, run by the source launcher
# Server: openssl s_server -www on 443 (OpenSSL 3.0), its key log (-keylogfile) is the source of
# the embedded secrets, so every stack is decrypted the same way, Java included (JSSE writes no
# key log). Conversations per file, in order (keys: the key log of that connection is embedded):
#   1 TLS 1.2 accept          2 the same, keys
#   3 TLS 1.2 reject          4 the same, keys
#   5 TLS 1.3 accept          6 the same, keys
#   7 TLS 1.3 reject          8 the same, keys
# Client 10.91.0.1, server 10.91.0.2 (namespaces tlsa-stk-cli, tlsa-stk-srv), SNI server.test,
# capture on the server's interface. Expected: ../expected/client-STACK.{alerts,conv}.tsv.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

STACKS=("${ARGS[@]}")
[ ${#STACKS[@]} -gt 0 ] || STACKS=(nss go node java)
capture_session stacks
need_packages iproute2 ethtool openssl tshark python3 coreutils libnss3-tools golang-go nodejs \
    openjdk-17-jdk-headless
unset SSLKEYLOGFILE

mkdir -p "$WORK/log"
HOLD=$WORK/hold # a FIFO opened read-write: stdin that never reaches EOF (s_server quits on EOF)
mkfifo "$HOLD"

netns_pair tlsa-stk 10.91.0
netns_ipv4_only "$NETNS_CLI" "$NETNS_SRV"
SRV=$SRV_IP
NAME=server.test

make_pki "$WORK/pki"
P=$WORK/pki
# Leaves that also name the server's address: tstclnt and Java check the name they connect to.
_pki_leaf "$P" stk-ok "$NAME" ca "DNS:$NAME,IP:$SRV" serverAuth
_pki_leaf "$P" stk-rogue "$NAME" rogue-ca "DNS:$NAME,IP:$SRV" serverAuth
chmod -R a+rX "$P"

# NSS: a certificate database that trusts the test CA only.
NSSDB=$WORK/nssdb
mkdir -p "$NSSDB"
certutil -N -d "sql:$NSSDB" --empty-password
certutil -A -d "sql:$NSSDB" -n tlsalerts-test-ca -t "C,," -i "$P/ca.crt"

# Go: build the client once (private module and build caches in WORK).
if printf '%s\n' "${STACKS[@]}" | grep -qx go; then
    mkdir -p "$WORK/go"
    cp "$HERE/stackclient.go" "$WORK/go/"
    (cd "$WORK/go" && HOME=$WORK GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS=-mod=mod GO111MODULE=off \
        go build -o "$WORK/stackclient-go" stackclient.go)
fi

REQ=$'GET / HTTP/1.0\r\nHost: server.test\r\n\r\n'
SRV_PID=''
srv_start() { # CERT KEY KEYLOG
    # shellcheck disable=SC2016
    bg_start "$NETNS_SRV" "$WORK/log/srv.$STACK.$N.log" bash -c 'f=$1; shift; exec "$@" <>"$f"' _ "$HOLD" \
        openssl s_server -accept 443 -www -cert "$1" -key "$2" -keylogfile "$3"
    SRV_PID=$BG_PID
    wait_port "$NETNS_SRV" tcp 443
}
srv_stop() {
    sleep 0.3
    bg_stop "$SRV_PID"
    SRV_PID=
}
client() { # VERSION(1.2|1.3)
    local v=$1 log=$WORK/log/cli.$STACK.$N.log
    local -a cmd
    case $STACK in
        nss) cmd=(tstclnt -h "$SRV" -p 443 -a "$NAME" -d "sql:$NSSDB" -V "tls$v:tls$v") ;;
        go) cmd=("$WORK/stackclient-go" "$SRV" 443 "$NAME" "$v" "$P/ca.crt") ;;
        node) cmd=(node "$HERE/stackclient.js" "$SRV" 443 "$NAME" "$v" "$P/ca.crt") ;;
        java) cmd=(env HOME="$WORK" java -Xshare:auto "$HERE/StackClient.java" "$SRV" 443 "$NAME" "$v" "$P/ca.crt") ;;
    esac
    printf '%s' "$REQ" | timeout 10 ip netns exec "$NETNS_CLI" "${cmd[@]}" >>"$log" 2>&1 || true
}

for STACK in "${STACKS[@]}"; do
    OUT=$CAPTURES/client-$STACK.pcapng
    : >"$WORK/$STACK.notes"
    : >"$WORK/$STACK.srvkeys"
    echo "== $STACK"
    capture_start "$NETNS_SRV" "$SRV_IF" "$WORK/$STACK.raw.pcapng" "tcp port 443"
    N=0
    for v in 1.2 1.3; do
        for trust in accept reject; do
            if [ "$trust" = accept ]; then cert=stk-ok; else cert=stk-rogue; fi
            for keys in no yes; do
                N=$((N + 1))
                ca="the trusted" suffix=''
                [ "$trust" = accept ] || ca="an untrusted"
                [ "$keys" = no ] || suffix=', key log embedded'
                text="$STACK TLS $v, server certificate from $ca CA: the client should $trust it$suffix"
                printf '%s\t%s\t%s\n' "$(date +%s.%N)" "$keys" "scenario $N: $text" >>"$WORK/$STACK.notes"
                echo "   $N. $text"
                srv_start "$P/$cert.crt" "$P/$cert.key" "$WORK/$STACK.srvkeys"
                client "$v"
                srv_stop
                head -n 3 "$WORK/log/cli.$STACK.$N.log" | sed 's/^/      /'
            done
        done
    done
    capture_stop "$CAPTURE_PID"

    raw=$WORK/$STACK.raw.pcapng step=$WORK/$STACK.step.pcapng
    # The client random of every ClientHello, with the time of its frame.
    tshark -r "$raw" -Y "tls.handshake.type == 1" -T fields -e frame.time_epoch -e tls.handshake.random \
        >"$WORK/$STACK.randoms" 2>/dev/null
    # Comment each scenario's first packet; keep the secrets of the scenarios marked "keys".
    args=()
    : >"$WORK/$STACK.keep"
    mapfile -t notes <"$WORK/$STACK.notes"
    for i in "${!notes[@]}"; do
        IFS=$'\t' read -r t keys text <<<"${notes[$i]}"
        next=99999999999
        if [ $((i + 1)) -lt ${#notes[@]} ]; then next=$(cut -f1 <<<"${notes[$((i + 1))]}"); fi
        frame=$(tshark -r "$raw" -Y "frame.time_epoch >= $t" -T fields -e frame.number 2>/dev/null | head -n 1)
        [ -n "$frame" ] && args+=(-a "$frame:$text")
        if [ "$keys" = yes ]; then
            awk -v a="$t" -v b="$next" '$1 >= a && $1 < b { gsub(":", "", $2); print tolower($2) }' \
                "$WORK/$STACK.randoms" >>"$WORK/$STACK.keep"
        fi
    done
    awk 'NR == FNR { keep[$1] = 1; next } keep[tolower($2)]' "$WORK/$STACK.keep" "$WORK/$STACK.srvkeys" \
        >"$WORK/$STACK.keys"
    editcap --capture-comment "tlsalerts test capture client-$STACK: $STACK accepting and rejecting a server certificate in TLS 1.2 and 1.3, against openssl s_server; real TLS stacks in network namespaces, see captures/README.md" \
        "${args[@]}" "$raw" "$step"
    if [ -s "$WORK/$STACK.keys" ]; then
        editcap --inject-secrets "tls,$WORK/$STACK.keys" "$step" "$OUT"
    else
        echo "   no key kept for $STACK" >&2
        cp "$step" "$OUT"
    fi
    chmod 644 "$OUT"
    echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes," \
        "$(wc -l <"$WORK/$STACK.keys") secrets of $(wc -l <"$WORK/$STACK.keep") connections"
done

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" "${STACKS[@]/#/client-}"
fi
