#!/usr/bin/env bash
# Compare captures with their expected results, using tshark's own fields only (not the plugin).
#
#   ./check-expected.sh                 every *.pcapng under this folder
#   ./check-expected.sh pki mtls        captures by name (NAME.pcapng here or in a subfolder)
#   ./check-expected.sh --show NAME     print what tshark shows instead of comparing
#
# Exit status 1 if any capture differs from expected/NAME.alerts.tsv / expected/NAME.conv.tsv.
# The rules (innermost IP, client = ClientHello sender, encrypted alerts, QUIC CRYPTO_ERROR,
# de-duplication) are described in lib/check_expected.py and expected/FORMAT.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
exec "$PY" "$HERE/lib/check_expected.py" "$@"
