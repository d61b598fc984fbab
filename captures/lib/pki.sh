# shellcheck shell=bash
# Test PKI for the capture scenarios. Source this file, then call make_pki DIR.
# Everything is throw-away: keys and certificates are regenerated each run.
#
# DIR/ca.{key,crt}           trusted root ("tlsalerts Test Root CA")
# DIR/rogue-ca.{key,crt}     a second root that no client trusts
# DIR/server.{key,crt}       leaf for server.test (+ SAN localhost, 10.*.*.*), signed by ca
# DIR/untrusted.{key,crt}    leaf for server.test signed by rogue-ca
# DIR/expired.{key,crt}      leaf for server.test signed by ca, validity in the past
# DIR/wrongname.{key,crt}    leaf for other.invalid signed by ca
# DIR/client.{key,crt}       client-auth leaf signed by ca
# DIR/rogue-client.{key,crt} client-auth leaf signed by rogue-ca
# DIR/revoked.{key,crt}      leaf for server.test signed by ca, revoked in DIR/ca.crl
# DIR/ca.crl                 CRL of ca (revoked.crt listed, reason keyCompromise)

_pki_leaf() { # dir name cn signer san extkeyusage [days|expired]
    local d=$1 name=$2 cn=$3 signer=$4 san=$5 eku=$6 when=${7:-30}
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$d/$name.key" -subj "/CN=$cn" -out "$d/$name.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$san" "$eku" >"$d/$name.ext"
    if [ "$when" = expired ]; then
        # openssl x509 cannot back-date; openssl ca can (-startdate/-enddate).
        local cadir="$d/ca-$name"
        mkdir -p "$cadir"; : >"$cadir/index.txt"; echo 01 >"$cadir/serial"
        cat >"$cadir/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $cadir/index.txt
serial = $cadir/serial
new_certs_dir = $cadir
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
[p]
commonName = supplied
CNF
        openssl ca -batch -config "$cadir/ca.cnf" -cert "$d/$signer.crt" -keyfile "$d/$signer.key" \
            -startdate 20200101000000Z -enddate 20210101000000Z -extfile "$d/$name.ext" \
            -in "$d/$name.csr" -out "$d/$name.crt" -notext 2>/dev/null
    else
        openssl x509 -req -in "$d/$name.csr" -CA "$d/$signer.crt" -CAkey "$d/$signer.key" \
            -CAcreateserial -days "$when" -sha256 -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null
    fi
}

_pki_revoked() { # dir: revoked.{key,crt} (leaf for server.test signed by ca) and ca.crl revoking it
    local d=$1
    local cadir="$d/ca-crl"
    _pki_leaf "$d" revoked server.test ca "DNS:server.test,DNS:localhost,IP:127.0.0.1" serverAuth
    mkdir -p "$cadir"; : >"$cadir/index.txt"; echo 1000 >"$cadir/crlnumber"
    cat >"$cadir/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $cadir/index.txt
crlnumber = $cadir/crlnumber
default_md = sha256
default_crl_days = 30
CNF
    openssl ca -config "$cadir/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" -revoke "$d/revoked.crt" \
        -crl_reason keyCompromise 2>/dev/null
    openssl ca -config "$cadir/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" -gencrl -out "$d/ca.crl" 2>/dev/null
}

make_pki() {
    local d=$1
    mkdir -p "$d"
    local ca
    for ca in ca rogue-ca; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
            -keyout "$d/$ca.key" -out "$d/$ca.crt" -subj "/CN=tlsalerts Test $ca" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    done
    local san="DNS:server.test,DNS:localhost,IP:127.0.0.1"
    _pki_leaf "$d" server       server.test  ca       "$san" serverAuth
    _pki_leaf "$d" untrusted    server.test  rogue-ca "$san" serverAuth
    _pki_leaf "$d" expired      server.test  ca       "$san" serverAuth expired
    _pki_leaf "$d" wrongname    other.invalid ca      "DNS:other.invalid" serverAuth
    _pki_leaf "$d" client       client.test  ca       "DNS:client.test" clientAuth
    _pki_leaf "$d" rogue-client client.test  rogue-ca "DNS:client.test" clientAuth
    _pki_revoked "$d"
    cat "$d/server.crt" "$d/ca.crt" >"$d/server-chain.crt"
}

# make_app_pki DIR NAME: make_pki DIR, plus the site certificate DIR/app.{key,crt}
# for NAME only (signed by ca), its chain DIR/app-chain.crt, all readable to
# the servers' unprivileged users.
make_app_pki() {
    local d=$1 name=$2
    make_pki "$d"
    _pki_leaf "$d" app "$name" ca "DNS:$name" serverAuth
    cat "$d/app.crt" "$d/ca.crt" >"$d/app-chain.crt"
    chmod -R a+rX "$d"
}
