#!/bin/bash
# make-malformed-alert-flood.sh — captures/malformed-alert-flood.pcapng: one
# real TCP connection between two network namespaces whose server answers a
# real ClientHello with 3 segments of 9,000 warning close_notify records each,
# then a fatal unexpected_message. Robustness input (an alert flood packed
# into single frames), not traffic any TLS stack sends. Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
captures=$(dirname "$here")
# shellcheck source=../lib/netns.sh
. "$captures/lib/netns.sh"
# shellcheck source=../lib/packages.sh
. "$captures/lib/packages.sh"
trap netns_cleanup EXIT

need_packages iproute2 ethtool tshark python3

# FLOOD_SEGMENTS and FLOOD_OUT make bigger floods elsewhere (bench/floods).
segments=${FLOOD_SEGMENTS:-3} alerts=9000
out=${FLOOD_OUT:-$captures/malformed-alert-flood.pcapng}
tmp=$(mktemp -d)
netns_pair tlsa-flood 10.99.91
# Large frames, so that each burst of 9,000 records is one segment.
ip -n "$NETNS_CLI" link set "$CLI_IF" mtu 65000
ip -n "$NETNS_SRV" link set "$SRV_IF" mtu 65000
# ... and windows open from the start (no slow start, a wide receive window).
ip -n "$NETNS_CLI" route replace 10.99.91.0/24 dev "$CLI_IF" initrwnd 64 initcwnd 64
ip -n "$NETNS_SRV" route replace 10.99.91.0/24 dev "$SRV_IF" initrwnd 64 initcwnd 64
capture_start "$NETNS_SRV" "$SRV_IF" "$tmp/raw.pcapng" "tcp port 443"
bg_start "$NETNS_SRV" "$tmp/server.log" python3 "$here/alert_flood_peer.py" server "$SRV_IP" 443 "$segments" "$alerts"
srv=$BG_PID
wait_port "$NETNS_SRV" tcp 443
nsx "$NETNS_CLI" python3 "$here/alert_flood_peer.py" client "$SRV_IP" 443
wait "$srv"
capture_stop
mv "$tmp/raw.pcapng" "$out"
rm -rf "$tmp"
echo "wrote $out"
