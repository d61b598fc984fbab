// stackclient.js — a minimal HTTPS client on Node.js's tls module, for the client-stack captures
// (make-client-stacks.sh). It trusts only CAFILE, connects, sends one HTTP/1.0 GET, reads the
// answer and closes, or fails when the server's certificate does not verify.
//
//   node stackclient.js HOST PORT SERVERNAME 1.2|1.3 CAFILE [KEYLOGFILE]
//
// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const fs = require('fs');
const tls = require('tls');

const [host, port, servername, version, cafile, keylog] = process.argv.slice(2);
const v = 'TLSv' + version;
const socket = tls.connect({host, port: Number(port), servername, ca: fs.readFileSync(cafile),
                            minVersion: v, maxVersion: v}, () => {
    socket.write('GET / HTTP/1.0\r\nHost: ' + servername + '\r\n\r\n');
});
if (keylog)
    socket.on('keylog', (line) => fs.appendFileSync(keylog, line, {mode: 0o600}));
let n = 0;
socket.on('data', (d) => { n += d.length; });
socket.on('end', () => console.log('read ' + n + ' bytes, ' + socket.getProtocol() + ' ' + socket.getCipher().name));
socket.on('error', (e) => { console.error('handshake: ' + e.message); process.exitCode = 1; });
