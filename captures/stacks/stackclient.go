// stackclient.go — a minimal HTTPS client on Go's crypto/tls, for the client-stack captures
// (make-client-stacks.sh). It connects, sends one HTTP/1.0 GET, reads the answer and closes,
// or fails the handshake when the server's certificate does not verify.
//
//   stackclient HOST PORT SERVERNAME 1.2|1.3 CAFILE [KEYLOGFILE]
//
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	if len(os.Args) < 6 {
		fmt.Fprintln(os.Stderr, "usage: stackclient HOST PORT SERVERNAME 1.2|1.3 CAFILE [KEYLOGFILE]")
		os.Exit(2)
	}
	host, port, name, version, cafile := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	pem, err := os.ReadFile(cafile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	v := uint16(tls.VersionTLS13)
	if version == "1.2" {
		v = tls.VersionTLS12
	}
	cfg := &tls.Config{ServerName: name, RootCAs: roots, MinVersion: v, MaxVersion: v}
	if len(os.Args) > 6 {
		f, err := os.OpenFile(os.Args[6], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0600)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer f.Close()
		cfg.KeyLogWriter = f
	}
	conn, err := tls.Dial("tcp", net.JoinHostPort(host, port), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "handshake:", err)
		os.Exit(1)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", name)
	n, err := io.Copy(io.Discard, conn)
	fmt.Printf("read %d bytes (%v), version %x, suite %x\n", n, err, conn.ConnectionState().Version,
		conn.ConnectionState().CipherSuite)
}
