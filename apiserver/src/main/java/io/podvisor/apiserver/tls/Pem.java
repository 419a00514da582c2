package io.podvisor.apiserver.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM encoding and decoding of certificates and private keys (PKCS#8), by the JDK; BouncyCastle
 * only reads traditional (SEC 1 / PKCS#1) keys. A restart therefore loads no BouncyCastle class.
 */
public final class Pem {

    private Pem() {}

    /** The certificate as a {@code CERTIFICATE} block (RFC 7468: base64 in lines of 64). */
    public static String encode(X509Certificate cert) {
        try {
            return block("CERTIFICATE", cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    public static String encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("cannot encode a " + key.getFormat() + " private key as PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** The first certificate in {@code pem}. Read by the JDK: loading a kept data dir needs no BouncyCastle. */
    public static X509Certificate certificate(String pem) throws IOException {
        try {
            Certificate c = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (c instanceof X509Certificate x509) {
                return x509;
            }
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate: " + e.getMessage(), e);
        }
        throw new IOException("not a PEM certificate");
    }

    /**
     * The private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}, what {@link #encode(PrivateKey)}
     * writes) is read by the JDK; a traditional EC or RSA key through BouncyCastle.
     */
    public static PrivateKey privateKey(String pem) throws IOException {
        byte[] pkcs8 = pkcs8(pem);
        if (pkcs8 != null) {
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
            for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // not this algorithm: try the next
                }
            }
        }
        Object o = read(pem);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
            return conv.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
            return conv.getPrivateKey(pair.getPrivateKeyInfo()); // the public half may be absent
        }
        throw new IOException("not a PEM private key");
    }

    /** The DER bytes of an unencrypted PKCS#8 block, or null when {@code pem} holds something else. */
    private static byte[] pkcs8(String pem) {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object read(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o == null) {
                throw new IOException("no PEM object found");
            }
            return o;
        }
    }
}
