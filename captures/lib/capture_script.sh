# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2034 # CHECK and ARGS are for the caller
# The start every capture script shares. Source it right after
# `set -euo pipefail`, with the script's arguments:
#
#   HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
#   CAPTURES=$(dirname "$HERE")
#   # shellcheck source=../lib/capture_script.sh
#   . "$CAPTURES/lib/capture_script.sh" "$@"
#
# It sources the libraries (network namespaces and capture sessions, the test
# PKI, nginx as an ALB stand-in, Debian packages) and reads a leading
# --no-check: CHECK is 0 with it (the script then leaves out its
# check-expected run), 1 without; ARGS holds the arguments after it.

_CAPTURE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$_CAPTURE_LIB/netns.sh"
# shellcheck source=pki.sh
. "$_CAPTURE_LIB/pki.sh"
# shellcheck source=nginx_elb.sh
. "$_CAPTURE_LIB/nginx_elb.sh"
# shellcheck source=packages.sh
. "$_CAPTURE_LIB/packages.sh"

CHECK=1
ARGS=("$@")
if [ "${ARGS[0]:-}" = --no-check ]; then
    CHECK=0
    ARGS=("${ARGS[@]:1}")
fi
