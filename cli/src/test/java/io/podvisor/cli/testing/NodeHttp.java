package io.podvisor.cli.testing;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS clients for a node's API. */
public final class NodeHttp {

    private NodeHttp() {}

    /** A client that trusts the CA in {@code dataDir/pki/ca.crt} and nothing else. */
    public static HttpClient trustingServerCa(Path dataDir) throws Exception {
        byte[] pem = Files.readAllBytes(dataDir.resolve("pki/ca.crt"));
        var cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("podvisor-ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
