#!/bin/bash
# make-malformed-hostile-sni.sh — captures/malformed-hostile-sni.pcapng: three
# real TCP connections between two network namespaces whose ClientHellos carry
# hostile server names (terminal escapes, a spreadsheet formula, 16,000 bytes),
# each refused with unrecognized_name. Robustness input: the names are written
# into real ClientHellos on purpose (hostile_sni_peer.py). Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
captures=$(dirname "$here")
# shellcheck source=../lib/netns.sh
. "$captures/lib/netns.sh"
# shellcheck source=../lib/packages.sh
. "$captures/lib/packages.sh"
trap netns_cleanup EXIT

need_packages iproute2 ethtool tshark python3

out=$captures/malformed-hostile-sni.pcapng
tmp=$(mktemp -d)
netns_pair tlsa-sni 10.99.92
capture_start "$NETNS_SRV" "$SRV_IF" "$tmp/raw.pcapng" "tcp port 443"
bg_start "$NETNS_SRV" "$tmp/server.log" python3 "$here/hostile_sni_peer.py" server "$SRV_IP" 443
srv=$BG_PID
wait_port "$NETNS_SRV" tcp 443
nsx "$NETNS_CLI" python3 "$here/hostile_sni_peer.py" client "$SRV_IP" 443
wait "$srv"
capture_stop
mv "$tmp/raw.pcapng" "$out"
rm -rf "$tmp"
echo "wrote $out"
