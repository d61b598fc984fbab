# shellcheck shell=bash
# Network-namespace helpers for the capture scenarios. Source this file (bash, as root).
#
# Everything created through these functions is remembered and removed by netns_cleanup,
# so a script only needs:   trap netns_cleanup EXIT
#
# Interfaces (kept stable; other capture scripts rely on them):
#
#   netns_add NS                      create namespace NS with lo up (deleted first if it exists)
#   netns_del NS                      delete namespace NS (killing what still runs in it)
#   netns_link NS_A IF_A ADDR_A NS_B IF_B ADDR_B
#                                     veth pair IF_A (in NS_A) <-> IF_B (in NS_B), both up;
#                                     ADDR_* are CIDR ("10.99.0.1/24") or "-" for no address.
#                                     Offloads (tso/gso/gro) are switched off when ethtool is
#                                     installed, so captured segments are the on-wire sizes.
#   netns_pair PREFIX NET             convenience: namespaces PREFIX-cli and PREFIX-srv joined by
#                                     veth cli0 (NET.1/24) <-> srv0 (NET.2/24), NET like 10.99.0.
#                                     Sets NETNS_CLI NETNS_SRV CLI_IF SRV_IF CLI_IP SRV_IP.
#   nsx NS CMD...                     run CMD inside NS (foreground)
#   bg_start NS LOG CMD...            run CMD inside NS in the background, stdin /dev/null,
#                                     stdout+stderr to LOG; sets BG_PID (the command's own pid)
#                                     and remembers it.
#   bg_stop PID...                    SIGTERM, then SIGKILL after 2 s, and reap; silent if gone.
#   wait_port NS tcp|udp PORT [SECS]  wait (default 10 s) until something listens on PORT in NS;
#                                     returns 1 on timeout.
#   capture_start NS IF FILE FILTER   start dumpcap in NS on IF, full snaplen, pcapng to FILE,
#                                     capture filter FILTER (BPF); returns once capturing;
#                                     sets CAPTURE_PID.
#   capture_stop [PID]                let in-flight packets arrive, stop the capture (SIGINT),
#                                     wait until the file is complete, then drop the capturing
#                                     host's CPU/kernel description from it (lib/pcapng_scrub.py).
#                                     Default PID: CAPTURE_PID.
#   netns_cleanup                     stop every remembered process, delete every namespace made
#                                     with netns_add. Safe to call several times.

_NETNS_LIST=()
_NETNS_PIDS=()
declare -gA _CAPTURE_LOG=()
declare -gA _CAPTURE_FILE=()
_NETNS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# capture_session TAG [WHAT-ROOT-IS-FOR]: what every capture script does first.
# Refuses to run unless root; makes WORK, a private folder (mode 755: servers
# that drop privileges read their certificates there); on exit (also on
# failure or interruption) calls the script's cleanup_extra if it has one,
# removes every namespace and process of this library, and WORK.
capture_session() {
    local tag=$1 why=${2:-network namespaces, packet capture}
    if [ "$(id -u)" != 0 ]; then
        echo "$(basename "$0"): run as root ($why)" >&2
        exit 1
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/tlsalerts-$tag.XXXXXX")
    chmod 755 "$WORK"
    trap _capture_session_cleanup EXIT
    trap 'exit 130' INT TERM
}

_capture_session_cleanup() {
    if declare -F cleanup_extra >/dev/null; then
        cleanup_extra || true
    fi
    netns_cleanup
    if [ -n "${WORK:-}" ]; then
        rm -rf "$WORK"
    fi
}

# netns_ipv4_only NS...: no IPv6 in these namespaces (no router solicitations
# or MLD reports in the captures).
netns_ipv4_only() {
    local ns
    for ns in "$@"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
}

# vxlan_add NS DEV VNI LOCAL REMOTE UNDERLAY: a VXLAN device on UDP 4789 over
# the UNDERLAY interface, up.
vxlan_add() {
    local ns=$1 dev=$2 vni=$3 local_ip=$4 remote=$5 underlay=$6
    ip -n "$ns" link add "$dev" type vxlan id "$vni" local "$local_ip" remote "$remote" dstport 4789 dev "$underlay"
    ip -n "$ns" link set "$dev" up
}

netns_add() {
    local ns=$1
    if ip netns list | awk '{print $1}' | grep -qx -- "$ns"; then
        netns_del "$ns"
    fi
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    _NETNS_LIST+=("$ns")
}

netns_del() {
    local ns=$1 pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    fi
    ip netns del "$ns" 2>/dev/null || true
}

netns_link() {
    local nsa=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
    ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" netns "$nsb"
    local ns ifn addr
    for ns in "$nsa:$ifa:$addra" "$nsb:$ifb:$addrb"; do
        IFS=: read -r ns ifn addr <<<"$ns"
        if [ "$addr" != "-" ]; then
            ip -n "$ns" addr add "$addr" dev "$ifn"
        fi
        ip -n "$ns" link set "$ifn" up
        if command -v ethtool >/dev/null 2>&1; then
            ip netns exec "$ns" ethtool -K "$ifn" tso off gso off gro off >/dev/null 2>&1 || true
        fi
    done
}

netns_pair() {
    local prefix=$1 net=$2
    NETNS_CLI=$prefix-cli
    NETNS_SRV=$prefix-srv
    CLI_IF=cli0
    SRV_IF=srv0
    CLI_IP=$net.1
    SRV_IP=$net.2
    netns_add "$NETNS_CLI"
    netns_add "$NETNS_SRV"
    netns_link "$NETNS_CLI" "$CLI_IF" "$CLI_IP/24" "$NETNS_SRV" "$SRV_IF" "$SRV_IP/24"
    # wait until both ends report carrier (LOWER_UP)
    local _
    for _ in $(seq 1 50); do
        if ip -n "$NETNS_CLI" link show "$CLI_IF" | grep -q LOWER_UP &&
            ip -n "$NETNS_SRV" link show "$SRV_IF" | grep -q LOWER_UP; then
            return 0
        fi
        sleep 0.1
    done
    echo "netns_pair: $CLI_IF/$SRV_IF have no carrier" >&2
    return 1
}

nsx() {
    local ns=$1; shift
    ip netns exec "$ns" "$@"
}

bg_start() {
    local ns=$1 log=$2; shift 2
    ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
    BG_PID=$!
    _NETNS_PIDS+=("$BG_PID")
}

bg_stop() {
    local pid _
    for pid in "$@"; do
        [ -n "$pid" ] || continue
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

wait_port() {
    local ns=$1 proto=$2 port=$3 secs=${4:-10} opt _
    case $proto in
        tcp) opt=-Hltn ;;
        udp) opt=-Hlun ;;
        *) echo "wait_port: proto must be tcp or udp" >&2; return 2 ;;
    esac
    for _ in $(seq 1 $((secs * 20))); do
        if ip netns exec "$ns" ss $opt "sport = :$port" 2>/dev/null | grep -q .; then
            return 0
        fi
        # UDP sockets that are connected or not bound with -l semantics: fall back to -a
        if [ "$proto" = udp ] && ip netns exec "$ns" ss -Huan "sport = :$port" 2>/dev/null | grep -q .; then
            return 0
        fi
        sleep 0.05
    done
    echo "wait_port: nothing on $proto/$port in $ns after ${secs}s" >&2
    return 1
}

capture_start() {
    local ns=$1 ifn=$2 file=$3 filter=$4 log _
    log=$(mktemp "${TMPDIR:-/tmp}/dumpcap.XXXXXX")
    rm -f "$file"
    ip netns exec "$ns" dumpcap -q -i "$ifn" -s 0 -f "$filter" -w "$file" >"$log" 2>&1 </dev/null &
    CAPTURE_PID=$!
    _NETNS_PIDS+=("$CAPTURE_PID")
    _CAPTURE_LOG[$CAPTURE_PID]=$log
    _CAPTURE_FILE[$CAPTURE_PID]=$file
    for _ in $(seq 1 100); do
        if grep -q "Capturing on" "$log" 2>/dev/null && [ -s "$file" ]; then
            sleep 0.2
            return 0
        fi
        if ! kill -0 "$CAPTURE_PID" 2>/dev/null; then
            echo "capture_start: dumpcap failed:" >&2; cat "$log" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "capture_start: dumpcap not ready after 5 s" >&2
    cat "$log" >&2
    return 1
}

capture_stop() {
    local pid=${1:-${CAPTURE_PID:-}} _
    [ -n "$pid" ] || return 0
    sleep 0.5
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -n "${_CAPTURE_LOG[$pid]:-}" ]; then
        rm -f "${_CAPTURE_LOG[$pid]}"
        unset "_CAPTURE_LOG[$pid]"
    fi
    local file=${_CAPTURE_FILE[$pid]:-} py
    if [ -n "$file" ] && [ -s "$file" ]; then
        py=/usr/bin/python3
        [ -x "$py" ] || py=$(command -v python3 || true)
        if [ -n "$py" ]; then
            "$py" "$_NETNS_LIB/pcapng_scrub.py" "$file" || echo "capture_stop: could not scrub $file" >&2
        fi
        unset "_CAPTURE_FILE[$pid]"
    fi
}

netns_cleanup() {
    local pid ns
    for pid in "${_NETNS_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    _NETNS_PIDS=()
    for ns in "${_NETNS_LIST[@]}"; do
        netns_del "$ns"
    done
    _NETNS_LIST=()
}
