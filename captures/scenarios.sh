#!/usr/bin/env bash
# Regenerates the real-stack TLS/DTLS/QUIC alert captures in this folder.
#
#   sudo ./scenarios.sh                 all families, then check-expected.sh on them
#   sudo ./scenarios.sh pki mtls        only these families, then check them
#   sudo ./scenarios.sh --no-check ...  the same without the check (regenerate.sh checks at the end)
#
# Real TLS stacks from Debian 12 packages (OpenSSL s_server/s_client, GnuTLS gnutls-serv/gnutls-cli,
# nginx, curl, Python's ssl module, ngtcp2's GnuTLS examples) talk through a veth pair between two
# network namespaces; dumpcap captures on the client side. Nothing leaves the namespaces.
# One pcapng per family; where TLS 1.3 alerts must be readable the clients' key log is embedded
# (editcap --inject-secrets). Every scenario's first packet carries a packet comment saying
# what it is. Expected results: expected/NAME.{alerts,conv}.tsv, checked by check-expected.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE
# shellcheck source=lib/netns.sh
. "$HERE/lib/netns.sh"
# shellcheck source=lib/pki.sh
. "$HERE/lib/pki.sh"
# shellcheck source=lib/packages.sh
. "$HERE/lib/packages.sh"

ALL_FAMILIES=(pki negotiation mtls closure client-rejected-nokeys aborts malformed-clienthello dtls quic)

capture_session scenarios

# ---------------------------------------------------------------- packages
need_packages iproute2 ethtool openssl gnutls-bin nginx curl python3 ngtcp2-client ngtcp2-server tshark coreutils
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
PEER="$HERE/lib/tlspeer.py"

# ---------------------------------------------------------------- setup
START=$(date +%s)
ETC_NETNS=
cleanup_extra() {
    if [ -n "$ETC_NETNS" ]; then rm -rf "$ETC_NETNS"; rmdir /etc/netns 2>/dev/null || true; fi
}

make_pki "$WORK/pki"
P=$WORK/pki
mkdir -p "$WORK/log" "$WORK/nginx"
HOLD=$WORK/hold # a FIFO opened read-write: stdin that never reaches EOF (s_server quits on EOF)
mkfifo "$HOLD"

netns_pair "${TLSA_NS_PREFIX:-tlsa}" 10.99.0
SRV=$SRV_IP

FAM='' KEYS='' NSCEN=0 SRV_PID=''

fam_begin() { # NAME PROTO PORT
    FAM=$1
    KEYS=$WORK/$FAM.keys
    : >"$KEYS"
    : >"$WORK/$FAM.notes"
    NSCEN=0
    echo "== $FAM"
    capture_start "$NETNS_CLI" "$CLI_IF" "$WORK/$FAM.raw.pcapng" "$2 port $3"
}

fam_end() {
    capture_stop "$CAPTURE_PID"
    local raw=$WORK/$FAM.raw.pcapng step=$WORK/$FAM.step.pcapng out=$OUT/$FAM.pcapng
    # comment the first packet of every scenario
    local -a args=()
    local t text frame
    while IFS=$'\t' read -r t text; do
        frame=$(tshark -r "$raw" -Y "frame.time_epoch >= $t" -T fields -e frame.number 2>/dev/null | head -n 1)
        [ -n "$frame" ] && args+=(-a "$frame:$text")
    done <"$WORK/$FAM.notes"
    editcap --capture-comment "tlsalerts test capture $FAM: real TLS stacks in network namespaces, see captures/README.md" \
        "${args[@]}" "$raw" "$step"
    if [ -s "$KEYS" ]; then
        editcap --inject-secrets "tls,$KEYS" "$step" "$out"
    else
        cp "$step" "$out"
    fi
    chmod 644 "$out"
    echo "   -> $(basename "$out"): $(tshark -r "$out" 2>/dev/null | wc -l) frames, $(stat -c %s "$out") bytes"
}

scen() { # one-line description, also the packet comment of the scenario's first packet
    NSCEN=$((NSCEN + 1))
    printf '%s\t%s\n' "$(date +%s.%N)" "scenario $NSCEN: $*" >>"$WORK/$FAM.notes"
    echo "   $NSCEN. $*"
}

srv() { # PROTO PORT CMD...  start a server in the server namespace, wait until it listens
    local proto=$1 port=$2; shift 2
    # shellcheck disable=SC2016
    bg_start "$NETNS_SRV" "$WORK/log/$FAM.$NSCEN.srv.log" bash -c 'f=$1; shift; exec "$@" <>"$f"' _ "$HOLD" "$@"
    SRV_PID=$BG_PID
    wait_port "$NETNS_SRV" "$proto" "$port"
}

srv_stop() {
    sleep 0.2
    bg_stop "$SRV_PID"
    SRV_PID=
    sleep 0.1
}

# Clients: their exit status is ignored (failing is the point); output goes to the log.
cli() { # [VAR=value...] CMD...
    timeout 15 ip netns exec "$NETNS_CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 </dev/null || true
}
cli_in() { # TEXT [VAR=value...] CMD...   TEXT (printf format) on stdin, then EOF
    local text=$1; shift
    # shellcheck disable=SC2059
    printf "$text" | timeout 15 ip netns exec "$NETNS_CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 || true
}
cli_feed() { # TEXT SECS [VAR=value...] CMD...   TEXT on stdin, EOF only SECS seconds later
    local text=$1 secs=$2; shift 2
    # shellcheck disable=SC2059
    { printf "$text"; sleep "$secs"; } | timeout 15 ip netns exec "$NETNS_CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 || true
}
cli_hold() { # SECS [VAR=value...] CMD...   stdin stays open SECS seconds (client waits for the peer)
    local secs=$1; shift
    sleep "$secs" | timeout 15 ip netns exec "$NETNS_CLI" env "$@" >>"$WORK/log/$FAM.$NSCEN.cli.log" 2>&1 || true
}

nginx_conf() { # NAME CERT KEY [extra directives for server.test [ssl_protocols line]]  -> config path
    local name=$1 cert=$2 key=$3 extra=${4:-} protocols=${5-ssl_protocols TLSv1.2 TLSv1.3;}
    local d=$WORK/nginx/$name
    mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 64; }
http {
    access_log $d/access.log;
    client_body_temp_path $d; proxy_temp_path $d; fastcgi_temp_path $d;
    uwsgi_temp_path $d; scgi_temp_path $d;
    $protocols
    # strict SNI: a handshake for any other name (or none) is refused
    server {
        listen 443 ssl default_server;
        ssl_reject_handshake on;
    }
    server {
        listen 443 ssl http2;
        server_name server.test;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        $extra
        location / { return 200 "ok\n"; }
    }
}
EOF
    echo "$d/nginx.conf"
}
nginx_run() { # CONF
    srv tcp 443 nginx -e "$(dirname "$1")/error.log" -c "$1"
}

OSRV=(openssl s_server -accept 443 -www)
GSRV=(gnutls-serv -p 443)
CURL=(curl -sS -o /dev/null --cacert "$P/ca.crt" --resolve "server.test:443:$SRV")
GCLI=(gnutls-cli -p 443 "$SRV" --sni-hostname server.test --verify-hostname server.test)

NGX_MAIN=$(nginx_conf main "$P/server.crt" "$P/server.key")
NGX_WRONG=$(nginx_conf wrongname "$P/wrongname.crt" "$P/wrongname.key")
NGX_UNTRUSTED=$(nginx_conf untrusted "$P/untrusted.crt" "$P/untrusted.key")
# nginx 1.22's default ssl_protocols is TLSv1 TLSv1.1 TLSv1.2 (no TLS 1.3), and the default server's
# setting decides the version before SNI selects server.test
NGX_DEFAULTS=$(nginx_conf defaults "$P/server.crt" "$P/server.key" "ssl_protocols TLSv1.2 TLSv1.3;" "")
NGX_MTLS=$(nginx_conf mtls "$P/server.crt" "$P/server.key" "ssl_verify_client on; ssl_client_certificate $P/ca.crt;")

# ---------------------------------------------------------------- families
fam_pki() {
    fam_begin pki tcp 443
    scen "openssl s_client TLS1.3 -> openssl s_server, server cert from an untrusted CA"
    srv tcp 443 "${OSRV[@]}" -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_in '' openssl s_client -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error -keylogfile "$KEYS"
    srv_stop

    scen "openssl s_client TLS1.2 -> openssl s_server, server cert from an untrusted CA"
    srv tcp 443 "${OSRV[@]}" -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_in '' openssl s_client -tls1_2 -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error
    srv_stop

    scen "gnutls-cli TLS1.3 -> openssl s_server, server cert from an untrusted CA (encrypted alert, key log embedded)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_hold 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.3 -> openssl s_server, expired server cert"
    srv tcp 443 "${OSRV[@]}" -cert "$P/expired.crt" -key "$P/expired.key"
    cli_in '' openssl s_client -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error -keylogfile "$KEYS"
    srv_stop

    scen "gnutls-cli TLS1.3 -> gnutls-serv, expired server cert (encrypted alert, key log embedded)"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/expired.crt" --x509keyfile "$P/expired.key"
    cli_hold 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.3 -crl_check -> openssl s_server, revoked server cert"
    srv tcp 443 "${OSRV[@]}" -cert "$P/revoked.crt" -key "$P/revoked.key"
    cli_in '' openssl s_client -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -CRL "$P/ca.crl" -crl_check -verify_return_error -keylogfile "$KEYS"
    srv_stop

    scen "openssl s_client TLS1.3 -> openssl s_server, server cert with extendedKeyUsage clientAuth only"
    srv tcp 443 "${OSRV[@]}" -cert "$P/client.crt" -key "$P/client.key"
    cli_in '' openssl s_client -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error -keylogfile "$KEYS"
    srv_stop

    scen "openssl s_client TLS1.3 -verify_hostname -> openssl s_server, cert for another name"
    srv tcp 443 "${OSRV[@]}" -cert "$P/wrongname.crt" -key "$P/wrongname.key"
    cli_in '' openssl s_client -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error -verify_hostname server.test -keylogfile "$KEYS"
    srv_stop

    scen "python3 ssl TLS1.3 (check_hostname) -> gnutls-serv, cert for another name"
    srv tcp 443 "${GSRV[@]}" --http --x509certfile "$P/wrongname.crt" --x509keyfile "$P/wrongname.key"
    cli SSLKEYLOGFILE="$KEYS" "$PY" "$PEER" get "$SRV" 443 server.test --cafile "$P/ca.crt"
    srv_stop

    scen "curl TLS1.3 -> nginx, cert for another name (curl checks the name after the handshake)"
    nginx_run "$NGX_WRONG"
    cli SSLKEYLOGFILE="$KEYS" "${CURL[@]}" https://server.test/
    srv_stop
    fam_end
}

fam_negotiation() {
    fam_begin negotiation tcp 443
    scen "openssl s_client TLS1.0 (SECLEVEL=0) -> openssl s_server with Debian defaults"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli_in '' openssl s_client -tls1 -cipher 'DEFAULT@SECLEVEL=0' -connect "$SRV:443" -servername server.test
    srv_stop

    scen "openssl s_client TLS1.1 (SECLEVEL=0) -> openssl s_server -min_protocol TLSv1.2"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" -min_protocol TLSv1.2 -cipher 'DEFAULT@SECLEVEL=0'
    cli_in '' openssl s_client -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' -connect "$SRV:443" -servername server.test
    srv_stop

    scen "gnutls-cli TLS1.0 only -> gnutls-serv without TLS1.0/1.1"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" --priority 'NORMAL:-VERS-TLS1.0:-VERS-TLS1.1'
    cli_in '' "${GCLI[@]}" --insecure --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.0:%VERIFY_ALLOW_SIGN_WITH_SHA1'
    srv_stop

    scen "openssl s_client TLS1.0 (SECLEVEL=0) -> nginx ssl_protocols TLSv1.2 TLSv1.3"
    nginx_run "$NGX_MAIN"
    cli_in '' openssl s_client -tls1 -cipher 'DEFAULT@SECLEVEL=0' -connect "$SRV:443" -servername server.test
    srv_stop

    scen "gnutls-cli TLS1.3 only -> openssl s_server -tls1_2"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" -tls1_2
    cli_in '' "${GCLI[@]}" --insecure --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3'
    srv_stop

    scen "openssl s_client TLS1.2 CBC-only -> openssl s_server ECDHE-ECDSA-AES-GCM only"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" -tls1_2 -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'
    cli_in '' openssl s_client -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:AES128-SHA' -connect "$SRV:443" -servername server.test
    srv_stop

    scen "gnutls-cli TLS1.2 CBC-only -> gnutls-serv AES-GCM only"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM'
    cli_in '' "${GCLI[@]}" --insecure --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC'
    srv_stop

    scen "openssl s_client ALPN foo/1 -> nginx (h2, http/1.1)"
    nginx_run "$NGX_MAIN"
    cli_in '' openssl s_client -alpn foo/1 -connect "$SRV:443" -servername server.test
    srv_stop

    scen "gnutls-cli ALPN foo/1 -> gnutls-serv --alpn h2 --alpn-fatal"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" --alpn h2 --alpn-fatal
    cli_in '' "${GCLI[@]}" --insecure --alpn foo/1
    srv_stop

    scen "openssl s_client SNI unknown.test -> nginx with ssl_reject_handshake default server"
    nginx_run "$NGX_MAIN"
    cli_in '' openssl s_client -connect "$SRV:443" -servername unknown.test
    srv_stop

    scen "openssl s_client without SNI -> nginx with ssl_reject_handshake default server"
    nginx_run "$NGX_MAIN"
    cli_in '' openssl s_client -connect "$SRV:443" -noservername
    srv_stop

    scen "openssl s_client SNI other.test -> openssl s_server -servername server.test -servername_fatal"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" -cert2 "$P/server.crt" -key2 "$P/server.key" -servername server.test -servername_fatal
    cli_in '' openssl s_client -connect "$SRV:443" -servername other.test
    srv_stop

    scen "python3 ssl TLS1.3-only -> nginx whose default server keeps nginx 1.22's default ssl_protocols (no TLSv1.3)"
    nginx_run "$NGX_DEFAULTS"
    cli "$PY" "$PEER" get "$SRV" 443 server.test --tls13 --cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.2 with TLS_FALLBACK_SCSV -> openssl s_server that speaks TLS1.3"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli_in '' openssl s_client -tls1_2 -fallback_scsv -connect "$SRV:443" -servername server.test
    srv_stop
    fam_end
}

fam_mtls() {
    fam_begin mtls tcp 443
    local req=(-Verify 1 -verify_return_error -CAfile "$P/ca.crt")
    local greq=(--require-client-cert --verify-client-cert --x509cafile "$P/ca.crt")
    scen "openssl s_client TLS1.2 without client cert -> openssl s_server -Verify"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" "${req[@]}" -tls1_2
    cli_hold 1 openssl s_client -connect "$SRV:443" -servername server.test
    srv_stop

    scen "openssl s_client TLS1.3 without client cert -> openssl s_server -Verify (encrypted alert, key log embedded)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" "${req[@]}"
    cli_hold 1 openssl s_client -connect "$SRV:443" -servername server.test -keylogfile "$KEYS"
    srv_stop

    scen "gnutls-cli TLS1.3 without client cert -> gnutls-serv --require-client-cert (encrypted alert, key log embedded)"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" "${greq[@]}"
    cli_hold 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.2 with client cert from a rogue CA -> openssl s_server -Verify"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" "${req[@]}" -tls1_2
    cli_hold 1 openssl s_client -connect "$SRV:443" -servername server.test -cert "$P/rogue-client.crt" -key "$P/rogue-client.key"
    srv_stop

    scen "openssl s_client TLS1.3 with client cert from a rogue CA -> openssl s_server -Verify (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key" "${req[@]}"
    cli_hold 1 openssl s_client -connect "$SRV:443" -servername server.test -cert "$P/rogue-client.crt" -key "$P/rogue-client.key" -keylogfile "$KEYS"
    srv_stop

    scen "gnutls-cli TLS1.3 with client cert from a rogue CA -> gnutls-serv --require-client-cert (key log embedded)"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key" "${greq[@]}"
    cli_hold 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/ca.crt" --x509certfile "$P/rogue-client.crt" --x509keyfile "$P/rogue-client.key"
    srv_stop

    scen "curl TLS1.3 without client cert -> nginx ssl_verify_client on (no alert: nginx answers HTTP 400)"
    nginx_run "$NGX_MTLS"
    cli SSLKEYLOGFILE="$KEYS" "${CURL[@]}" --http1.1 https://server.test/
    srv_stop
    fam_end
}

fam_closure() {
    fam_begin closure tcp 443
    # TLS 1.2 sessions: no key log, their close_notify stays an encrypted alert.
    scen "curl HTTP/1.1 TLS1.2 -> nginx, clean close (no key log)"
    nginx_run "$NGX_MAIN"
    cli "${CURL[@]}" --http1.1 --tls-max 1.2 https://server.test/
    srv_stop

    scen "python3 ssl TLS1.2 -> gnutls-serv --http, clean close (no key log)"
    srv tcp 443 "${GSRV[@]}" --http --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli "$PY" "$PEER" get "$SRV" 443 server.test --tls12 --cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client TLS1.2 -> openssl s_server -www, clean close (no key log)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli_in 'GET / HTTP/1.0\r\n\r\n' openssl s_client -tls1_2 -ign_eof -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error
    srv_stop

    # TLS 1.3 sessions: key log embedded, close_notify readable.
    scen "openssl s_client TLS1.3 -> openssl s_server -www, clean close (key log embedded)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli_in 'GET / HTTP/1.0\r\n\r\n' openssl s_client -ign_eof -connect "$SRV:443" -servername server.test -CAfile "$P/ca.crt" -verify_return_error -keylogfile "$KEYS"
    srv_stop

    scen "gnutls-cli TLS1.3 -> nginx, clean close (key log embedded)"
    nginx_run "$NGX_MAIN"
    cli_feed 'GET / HTTP/1.0\r\nHost: server.test\r\n\r\n' 1 SSLKEYLOGFILE="$KEYS" "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop

    scen "curl TLS1.3 -> gnutls-serv --http, clean close (key log embedded)"
    srv tcp 443 "${GSRV[@]}" --http --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli SSLKEYLOGFILE="$KEYS" "${CURL[@]}" https://server.test/
    srv_stop

    scen "python3 ssl TLS1.3 -> nginx, clean close (key log embedded)"
    nginx_run "$NGX_MAIN"
    cli SSLKEYLOGFILE="$KEYS" "$PY" "$PEER" get "$SRV" 443 server.test --tls13 --cafile "$P/ca.crt"
    srv_stop

    scen "curl HTTP/2 TLS1.3 -> nginx, closed with FIN and no close_notify at all (key log embedded)"
    nginx_run "$NGX_MAIN"
    cli SSLKEYLOGFILE="$KEYS" "${CURL[@]}" https://server.test/
    srv_stop
    fam_end
}

fam_client-rejected-nokeys() {
    fam_begin client-rejected-nokeys tcp 443
    scen "gnutls-cli TLS1.3 -> openssl s_server, server cert from an untrusted CA (encrypted alert, NO key log)"
    srv tcp 443 "${OSRV[@]}" -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_hold 1 "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop

    scen "gnutls-cli TLS1.3 -> nginx, server cert from an untrusted CA (encrypted alert, NO key log)"
    nginx_run "$NGX_UNTRUSTED"
    cli_hold 1 "${GCLI[@]}" --x509cafile "$P/ca.crt"
    srv_stop
    fam_end
}

fam_aborts() {
    fam_begin aborts tcp 443
    scen "python3 ssl client resets (RST) right after its ClientHello; python3 ssl server slow to answer"
    srv tcp 443 "$PY" "$PEER" slow-server "$SRV" 443 "$P/server.crt" "$P/server.key" 0.5
    cli "$PY" "$PEER" rst-after-hello "$SRV" 443 server.test
    sleep 0.5
    srv_stop

    scen "python3 ssl TLS1.3 client resets after the server flight of openssl s_server"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli "$PY" "$PEER" rst-after-flight "$SRV" 443 server.test --tls13
    srv_stop

    scen "python3 ssl TLS1.2 client resets after the server flight of nginx"
    nginx_run "$NGX_MAIN"
    cli "$PY" "$PEER" rst-after-flight "$SRV" 443 server.test --tls12
    srv_stop

    scen "curl plain HTTP to nginx's TLS port 443"
    nginx_run "$NGX_MAIN"
    cli curl -sS -o /dev/null "http://$SRV:443/"
    srv_stop

    scen "curl plain HTTP to openssl s_server's TLS port 443"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli curl -sS -o /dev/null "http://$SRV:443/"
    srv_stop

    scen "curl plain HTTP to gnutls-serv's TLS port 443 (the server's unexpected_message alert is dissected as HTTP)"
    srv tcp 443 "${GSRV[@]}" --http --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli curl -sS -o /dev/null "http://$SRV:443/"
    srv_stop
    fam_end
}

fam_malformed-clienthello() {
    fam_begin malformed-clienthello tcp 443
    scen "DELIBERATELY MALFORMED: real python3 ClientHello, extensions length +1 -> openssl s_server"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli "$PY" "$PEER" malformed "$SRV" 443 server.test ext-len
    srv_stop

    scen "DELIBERATELY MALFORMED: real python3 ClientHello, handshake length -1 -> gnutls-serv"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli "$PY" "$PEER" malformed "$SRV" 443 server.test hs-len
    srv_stop

    scen "DELIBERATELY MALFORMED: real python3 ClientHello, length of the last extension +1 -> openssl s_server"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli "$PY" "$PEER" malformed "$SRV" 443 server.test last-ext-len
    srv_stop

    scen "DELIBERATELY MALFORMED: real python3 ClientHello, server_name list length +1 -> nginx"
    nginx_run "$NGX_MAIN"
    cli "$PY" "$PEER" malformed "$SRV" 443 server.test sni-len
    srv_stop

    scen "DELIBERATELY MALFORMED: real python3 ClientHello, compression method 1 instead of 0 -> gnutls-serv"
    srv tcp 443 "${GSRV[@]}" --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli "$PY" "$PEER" malformed "$SRV" 443 server.test comp-method
    srv_stop

    scen "PROTOCOL VIOLATION: real python3 TLS1.2 ClientHello sent again after the server flight -> openssl s_server"
    srv tcp 443 "${OSRV[@]}" -cert "$P/server.crt" -key "$P/server.key"
    cli "$PY" "$PEER" hello-twice "$SRV" 443 server.test --tls12
    srv_stop
    fam_end
}

fam_dtls() {
    fam_begin dtls udp 4433
    scen "openssl s_client -dtls -> openssl s_server -dtls, server cert from an untrusted CA"
    srv udp 4433 openssl s_server -dtls -accept 4433 -cert "$P/untrusted.crt" -key "$P/untrusted.key"
    cli_in '' openssl s_client -dtls -connect "$SRV:4433" -servername server.test -CAfile "$P/ca.crt" -verify_return_error
    srv_stop

    scen "gnutls-cli --udp -> gnutls-serv --udp, server cert from an untrusted CA"
    srv udp 4433 gnutls-serv --udp -p 4433 --x509certfile "$P/untrusted.crt" --x509keyfile "$P/untrusted.key"
    cli_in '' gnutls-cli --udp -p 4433 "$SRV" --sni-hostname server.test --verify-hostname server.test --x509cafile "$P/ca.crt"
    srv_stop

    scen "openssl s_client -dtls -> openssl s_server -dtls, one line of data, clean close (no key log)"
    srv udp 4433 openssl s_server -dtls -accept 4433 -cert "$P/server.crt" -key "$P/server.key"
    cli_in 'hello\n' openssl s_client -dtls -connect "$SRV:4433" -servername server.test -CAfile "$P/ca.crt" -verify_return_error
    srv_stop

    scen "gnutls-cli --udp -> gnutls-serv --udp --echo, one line of data, clean close (no key log)"
    srv udp 4433 gnutls-serv --udp --echo -p 4433 --x509certfile "$P/server.crt" --x509keyfile "$P/server.key"
    cli_in 'hello\n' gnutls-cli --udp -p 4433 "$SRV" --sni-hostname server.test --verify-hostname server.test --x509cafile "$P/ca.crt"
    srv_stop
    fam_end
}

fam_quic() {
    fam_begin quic udp 443
    local tls13='NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL'
    # The GnuTLS ngtcp2 client takes its SNI from HOST ("localhost" for an IP address; --sni is
    # ignored), so server.test must resolve inside the client namespace: ip netns exec bind-mounts
    # /etc/netns/NS/hosts over /etc/hosts.
    ETC_NETNS=/etc/netns/$NETNS_CLI
    mkdir -p "$ETC_NETNS"
    printf '127.0.0.1 localhost\n%s server.test\n' "$SRV" >"$ETC_NETNS/hosts"
    local qcli=(gtlsclient -q --exit-on-all-streams-close --timeout=3s --handshake-timeout=3s)
    scen "ngtcp2 client (GnuTLS) without client cert -> ngtcp2 server --verify-client (key log embedded)"
    srv udp 443 gtlsserver -q --verify-client "$SRV" 443 "$P/server.key" "$P/server.crt"
    cli SSLKEYLOGFILE="$KEYS" "${qcli[@]}" server.test 443 https://server.test/
    srv_stop

    scen "ngtcp2 client offering only CHACHA20-POLY1305 -> ngtcp2 server accepting only AES-128-GCM (key log embedded)"
    srv udp 443 gtlsserver -q --ciphers "$tls13:+AES-128-GCM" "$SRV" 443 "$P/server.key" "$P/server.crt"
    cli SSLKEYLOGFILE="$KEYS" "${qcli[@]}" --ciphers "$tls13:+CHACHA20-POLY1305" server.test 443 https://server.test/
    srv_stop

    scen "ngtcp2 client -> ngtcp2 server, HTTP/3 GET, clean close (key log embedded)"
    srv udp 443 gtlsserver -q "$SRV" 443 "$P/server.key" "$P/server.crt"
    cli SSLKEYLOGFILE="$KEYS" "${qcli[@]}" server.test 443 https://server.test/
    srv_stop
    fam_end
}

# ---------------------------------------------------------------- run
DO_CHECK=1
if [ "${1:-}" = --no-check ]; then DO_CHECK=0; shift; fi
if [ $# -gt 0 ]; then families=("$@"); else families=("${ALL_FAMILIES[@]}"); fi
for f in "${families[@]}"; do
    if ! declare -F "fam_$f" >/dev/null; then
        echo "unknown family $f (known: ${ALL_FAMILIES[*]})" >&2
        exit 2
    fi
    "fam_$f"
done

echo "scenarios done in $(($(date +%s) - START)) s"
if [ "$DO_CHECK" = 1 ]; then
    "$HERE/check-expected.sh" "${families[@]}"
fi
