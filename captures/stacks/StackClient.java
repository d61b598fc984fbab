// StackClient.java — a minimal HTTPS client on Java's SSLSocket (JSSE), for the client-stack
// captures (make-client-stacks.sh). Run with the source launcher (java StackClient.java ...).
// It trusts only CAFILE, connects, sends one HTTP/1.0 GET, reads the answer and closes, or
// fails the handshake when the server's certificate does not verify.
//
//   java StackClient.java HOST PORT SERVERNAME 1.2|1.3 CAFILE
//
// SPDX-License-Identifier: GPL-2.0-or-later
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class StackClient {
    public static void main(String[] args) throws Exception {
        String host = args[0], name = args[2], version = "TLSv" + args[3];
        int port = Integer.parseInt(args[1]);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = new FileInputStream(args[4])) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("ca", ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {version});
            p.setServerNames(List.of(new SNIHostName(name)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            try {
                s.startHandshake();
            } catch (Exception e) {
                System.err.println("handshake: " + e);
                System.exit(1);
            }
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + name + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long n = 0;
            byte[] buf = new byte[4096];
            for (int r; (r = s.getInputStream().read(buf)) > 0; )
                n += r;
            System.out.println("read " + n + " bytes, " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
        }
    }
}
