package io.podvisor.client.https;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The TLS context a {@link Kubeconfig} describes: whom to trust, and the client certificate to show. */
final class TlsContexts {

    private TlsContexts() {}

    static SSLContext of(Kubeconfig config) throws IOException {
        try {
            TrustManager[] trust = null;
            if (config.insecureSkipTlsVerify()) {
                trust = new TrustManager[] {TRUST_ALL};
            } else if (config.caPem() != null) {
                KeyStore ks = emptyStore();
                int i = 0;
                for (Certificate c : certificates(config.caPem())) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = null;
            if (config.clientCertPem() != null && config.clientKeyPem() != null) {
                KeyStore ks = emptyStore();
                char[] none = new char[0];
                ks.setKeyEntry("client", privateKey(config.clientKeyPem()), none,
                        certificates(config.clientCertPem()).toArray(Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
                keys = kmf.getKeyManagers();
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, trust, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) {
            throw new IOException("no PEM certificate found");
        }
        return certs;
    }

    /** PKCS#8, PKCS#1 (RSA) or SEC 1 (EC) PEM, unencrypted, as kubeconfigs carry them. */
    private static PrivateKey privateKey(String pem) throws IOException {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            o = p.readObject();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        throw new IOException("the client key is not an unencrypted PEM private key");
    }

    /** {@code insecure-skip-tls-verify: true}: any server certificate is accepted. */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
