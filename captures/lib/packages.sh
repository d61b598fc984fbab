# shellcheck shell=bash
# Package helper for the capture scripts. Source this file (bash, as root).
#
#   need_packages PKG...   apt-get install whichever of the Debian packages is not
#                          installed yet (no recommends); runs apt-get update and
#                          tries again if the first install fails (stale lists).

need_packages() {
    local p missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "installing: ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; then
        apt-get update >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    fi
}
