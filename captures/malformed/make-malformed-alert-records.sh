#!/bin/bash
# make-malformed-alert-records.sh — captures/malformed-alert-records.pcapng:
# deliberately malformed alert records (unknown levels, unassigned codes, a
# truncated record, two alerts in one record) over real TCP between two
# network namespaces. Robustness input, not traffic any TLS stack sends.
# Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
captures=$(dirname "$here")
# shellcheck source=../lib/netns.sh
. "$captures/lib/netns.sh"
# shellcheck source=../lib/packages.sh
. "$captures/lib/packages.sh"
trap netns_cleanup EXIT

need_packages iproute2 tshark python3

out=$captures/malformed-alert-records.pcapng
tmp=$(mktemp -d)
netns_pair tlsa-mal 10.99.90
capture_start "$NETNS_SRV" "$SRV_IF" "$tmp/raw.pcapng" "tcp port 443"
bg_start "$NETNS_SRV" "$tmp/server.log" python3 "$here/alert_records_peer.py" server "$SRV_IP" 443
srv=$BG_PID
wait_port "$NETNS_SRV" tcp 443
nsx "$NETNS_CLI" python3 "$here/alert_records_peer.py" client "$SRV_IP" 443 \
    "$(python3 "$here/alert_records_peer.py" cases)"
wait "$srv"
capture_stop
mv "$tmp/raw.pcapng" "$out"
rm -rf "$tmp"
echo "wrote $out"
