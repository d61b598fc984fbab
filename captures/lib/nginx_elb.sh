# shellcheck shell=bash
# An nginx with an ELB-like TLS policy, for the capture scenarios and tests/oracle. Source this
# file (bash, as root, after lib/netns.sh), then:
#
#   nginx_elb_start WORK NS ADDR CHAIN KEY CA NAME
#       writes WORK/nginx.conf and starts nginx in namespace NS, error log at info level in
#       WORK/log/nginx-error.log (one line per failed handshake), listening on ADDR:
#         443   TLS 1.2 + 1.3, ECDHE with AES-GCM or ChaCha20 (like
#               ELBSecurityPolicy-TLS13-1-2-Res-2021-06, plus ChaCha20)
#         8443  the same without session tickets (none sent: NumTickets 0) and with
#               TLS_AES_256_GCM_SHA384 only: a TLS 1.3 server whose only answer to the
#               client's Finished may be its FIN
#         9443  mutual TLS: client certificates verified against CA (ssl_verify_client on)
#       WORK/log and WORK/html must exist. Returns once all three ports listen.

nginx_elb_start() {
    local work=$1 ns=$2 addr=$3 chain=$4 key=$5 ca=$6 name=$7 port
    mkdir -p "$work/tmp"
    echo "<html><body>app</body></html>" >"$work/html/index.html"
    chmod -R a+rX "$work/html"
    cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/log/nginx-error.log info;
events { worker_connections 128; }
http {
    access_log $work/log/nginx-access.log;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    client_header_timeout 5s;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers on;
    ssl_certificate $chain;
    ssl_certificate_key $key;
    root $work/html;
    server {
        listen $addr:443 ssl;
        server_name $name;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    }
    server {
        listen $addr:8443 ssl;
        server_name $name;
        ssl_session_tickets off;
        ssl_session_cache off;
        ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384;
        ssl_conf_command NumTickets 0;
    }
    server {
        listen $addr:9443 ssl;
        server_name $name;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
        ssl_client_certificate $ca;
        ssl_verify_client on;
    }
}
CONF
    bg_start "$ns" "$work/log/nginx.out" nginx -e "$work/log/nginx-error.log" -c "$work/nginx.conf"
    for port in 443 8443 9443; do
        if ! wait_port "$ns" tcp "$port"; then
            cat "$work/log/nginx.out" "$work/log/nginx-error.log" >&2
            return 1
        fi
    done
}
