#!/usr/bin/env bash
# Regenerates ../dtls13.pcapng: DTLS 1.3 with a real stack (issue 14 part 6).
#
#   sudo ./make-dtls13.sh [--root DIR] [--no-check]
#
# No Debian 12 or 13 TLS stack speaks DTLS 1.3 (OpenSSL 3.x, GnuTLS 3.8, mbedTLS 3.6 do not;
# wolfSSL 5.5 and 5.7 are built without it). Debian unstable's wolfSSL (5.9, libwolfssl-dev)
# is built with WOLFSSL_DTLS13, so the peers (dtls13peer.c, one client or server connection)
# are built and run in a Debian unstable root file system:
#   --root DIR   use DIR (a Debian unstable root; libwolfssl-dev and gcc are installed into it
#                with apt-get when missing); default: a temporary copy of the test matrix's
#                cached sid chroot ($TLSALERTS_MATRIX_CACHE, default /var/cache/tlsalerts-matrix)
#                when there is one, else a new one made with debootstrap. A temporary root is
#                removed at the end.
# The network namespaces, the capture (dumpcap) and the PKI (lib/pki.sh, openssl) are this
# machine's; the peers run inside the namespaces with chroot.
#
# Scenarios (client 10.93.0.1 -> server 10.93.0.2, UDP 4433, no key log):
#   1 completed handshake (X25519 only on both sides, the server's cookie exchange off: no
#     HelloRetryRequest), one message each way, close_notify both ways
#   2 the client's key share is P-256, the server takes X25519 only: HelloRetryRequest, then
#     the same as 1
#   3 as 1, but the server certificate is signed by a CA the client does not trust: the client's alert
#     (bad_certificate, encrypted with the handshake keys) ends it
#   4 both sides' defaults: the server answers the first ClientHello with a HelloRetryRequest
#     carrying a cookie (stateless address check) and asking for its preferred group
#     (X25519MLKEM768, so the second ClientHello is fragmented), then the same as 1
# Expected result: ../expected/dtls13.{alerts,conv}.tsv.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES=$(dirname "$HERE")
# shellcheck source=../lib/capture_script.sh
. "$CAPTURES/lib/capture_script.sh" "$@"

CHECK=1 ROOT='' TEMP_ROOT=0
while [ $# -gt 0 ]; do
    case $1 in
        --no-check) CHECK=0 ;;
        --root) ROOT=$2; shift ;;
        *) echo "usage: make-dtls13.sh [--root DIR] [--no-check]" >&2; exit 2 ;;
    esac
    shift
done
if [ "$(id -u)" != 0 ]; then
    echo "make-dtls13.sh: run as root (network namespaces, chroot, packet capture)" >&2
    exit 1
fi
need_packages iproute2 ethtool openssl tshark python3 coreutils util-linux
unset SSLKEYLOGFILE

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tlsalerts-dtls13.XXXXXX")
MOUNTS=()
cleanup() {
    netns_cleanup
    local i
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -R "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
    done
    if [ "$TEMP_ROOT" = 1 ] && [ -n "$ROOT" ]; then
        rm -rf --one-file-system "$ROOT"
    elif [ -n "$ROOT" ]; then
        rm -rf "$ROOT/tlsalerts-dtls13"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the Debian unstable root with wolfSSL ------------------------------------------------
if [ -z "$ROOT" ]; then
    cache=${TLSALERTS_MATRIX_CACHE:-/var/cache/tlsalerts-matrix}
    ROOT=$(mktemp -d "${TMPDIR:-/var/tmp}/tlsalerts-dtls13-root.XXXXXX")
    TEMP_ROOT=1
    if [ -x "$cache/sid/usr/bin/apt-get" ]; then
        echo "== copying $cache/sid"
        # the matrix holds this lock while it uses the chroot
        flock "$cache/sid.lock" cp -a "$cache/sid/." "$ROOT/"
    else
        need_packages debootstrap
        echo "== debootstrap sid"
        debootstrap --variant=minbase sid "$ROOT" "${TLSALERTS_DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
            >"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log" >&2; exit 1; }
    fi
fi
in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
mount -t proc proc "$ROOT/proc" && MOUNTS+=("$ROOT/proc")
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" && MOUNTS+=("$ROOT/dev")
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
# shellcheck disable=SC2016
if ! in_root dpkg-query -W -f='${Status}\n' libwolfssl-dev gcc libc6-dev 2>/dev/null | grep -c 'install ok installed' | grep -qx 3; then
    echo "== apt-get install libwolfssl-dev gcc in the sid root"
    in_root apt-get update >"$WORK/apt.log" 2>&1 || true
    in_root apt-get install -y --no-install-recommends libwolfssl-dev gcc libc6-dev >>"$WORK/apt.log" 2>&1 ||
        { tail -n 20 "$WORK/apt.log" >&2; exit 1; }
fi
if ! grep -q '^#define WOLFSSL_DTLS13' "$ROOT/usr/include/wolfssl/options.h"; then
    echo "make-dtls13.sh: this wolfSSL is built without DTLS 1.3" >&2
    exit 1
fi
# shellcheck disable=SC2016
WOLFSSL_VERSION=$(in_root dpkg-query -W -f='${Version}' libwolfssl-dev)
echo "   wolfSSL $WOLFSSL_VERSION (Debian $(cat "$ROOT/etc/debian_version"))"
IN=/tlsalerts-dtls13          # the work folder as seen inside the root
D=$ROOT$IN
mkdir -p "$D"
cp "$HERE/dtls13peer.c" "$D/"
in_root gcc -Wall -Wextra -O2 -o "$IN/dtls13peer" "$IN/dtls13peer.c" -lwolfssl
make_pki "$D/pki"

# --- scenarios -----------------------------------------------------------------------------
netns_pair tlsa-dtls13 10.93.0
for ns in "$NETNS_CLI" "$NETNS_SRV"; do
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
SRV=$SRV_IP PORT=4433
NOTES=$WORK/notes NSCEN=0
: >"$NOTES"
scen() {
    NSCEN=$((NSCEN + 1))
    printf '%s\t%s\n' "$(date +%s.%N)" "scenario $NSCEN: $*" >>"$NOTES"
    echo "   $NSCEN. $*"
}
peer() { # NS ARGS...   run dtls13peer in NS inside the root
    local ns=$1; shift
    timeout 20 ip netns exec "$ns" chroot "$ROOT" "$IN/dtls13peer" "$@"
}
run() { # SERVER-ARGS -- CLIENT-ARGS
    local sargs=() cargs=() pid
    while [ "$1" != -- ]; do sargs+=("$1"); shift; done
    shift
    cargs=("$@")
    peer "$NETNS_SRV" server "$PORT" "${sargs[@]}" >"$WORK/srv.$NSCEN.log" 2>&1 &
    pid=$!
    wait_port "$NETNS_SRV" udp "$PORT"
    peer "$NETNS_CLI" client "$SRV" "$PORT" "${cargs[@]}" 2>&1 | sed 's/^/      /' || true
    wait "$pid" || true
    sed 's/^/      /' "$WORK/srv.$NSCEN.log"
    sleep 0.5
}

capture_start "$NETNS_CLI" "$CLI_IF" "$WORK/raw.pcapng" "udp port $PORT"
P=$IN/pki
scen "wolfSSL DTLS 1.3: completed handshake, one message each way, close_notify both ways"
run "$P/server.crt" "$P/server.key" x25519 nocookie -- "$P/ca.crt" server.test x25519
scen "wolfSSL DTLS 1.3: client key share P-256, server X25519 only: HelloRetryRequest, then completed, one message each way, close_notify both ways"
run "$P/server.crt" "$P/server.key" x25519 nocookie -- "$P/ca.crt" server.test p256,x25519
scen "wolfSSL DTLS 1.3: server certificate from a CA the client does not trust: the client's encrypted alert"
run "$P/untrusted.crt" "$P/untrusted.key" x25519 nocookie -- "$P/ca.crt" server.test x25519
scen "wolfSSL DTLS 1.3: both sides default (server: HelloRetryRequest with a cookie, asking for an X25519MLKEM768 key share), then completed, one message each way, close_notify both ways"
run "$P/server.crt" "$P/server.key" - cookie -- "$P/ca.crt" server.test
capture_stop "$CAPTURE_PID"

args=()
while IFS=$'\t' read -r t text; do
    frame=$(tshark -r "$WORK/raw.pcapng" -Y "frame.time_epoch >= $t" -T fields -e frame.number 2>/dev/null | head -n 1)
    [ -n "$frame" ] && args+=(-a "$frame:$text")
done <"$NOTES"
OUT=$CAPTURES/dtls13.pcapng
editcap --capture-comment "tlsalerts test capture dtls13: DTLS 1.3 with wolfSSL $WOLFSSL_VERSION (Debian unstable) in network namespaces, no key log; see captures/README.md" \
    "${args[@]}" "$WORK/raw.pcapng" "$OUT"
chmod 644 "$OUT"
echo "   -> $(basename "$OUT"): $(tshark -r "$OUT" 2>/dev/null | wc -l) frames, $(stat -c %s "$OUT") bytes"

if [ "$CHECK" = 1 ]; then
    "$CAPTURES/check-expected.sh" dtls13
fi
