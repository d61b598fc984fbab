#!/usr/bin/env bash
# Regenerate every capture in this folder from real TLS stacks, then check all of them against
# expected/ (tshark fields only). Run as root:   sudo captures/regenerate.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "regenerate.sh: run as root (network namespaces, packet capture)" >&2
    exit 1
fi
START=$(date +%s)
bash "$HERE/scenarios.sh" --no-check
for script in alb/make-alb-mirror.sh impaired/make-impaired.sh malformed/make-malformed-alert-records.sh \
              malformed/make-malformed-alert-flood.sh malformed/make-malformed-hostile-sni.sh \
              policy/make-elb-policy.sh outcomes/make-outcome-order.sh \
              tunnel/make-vxlan-underlay.sh partial/make-partial.sh stacks/make-client-stacks.sh \
              undecoded/make-undecoded-tls.sh eaptls/make-eap-tls.sh dtls13/make-dtls13.sh; do
    if [ -f "$HERE/$script" ]; then
        echo "== $script"
        bash "$HERE/$script"
    fi
done
echo "== check-expected.sh (all captures)"
"$HERE/check-expected.sh"
echo "regenerated in $(($(date +%s) - START)) s"
