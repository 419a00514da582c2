package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding and decoding of certificates and private keys (PKCS#8). */
public final class Pem {

    private Pem() {}

    public static String encode(X509Certificate cert) {
        return write(cert);
    }

    public static String encode(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    private static String write(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate certificate(String pem) throws IOException {
        Object o = read(pem);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IOException("not a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException("bad certificate: " + e.getMessage(), e);
        }
    }

    /** The private key in {@code pem} (PKCS#8, or a traditional EC/RSA key). */
    public static PrivateKey privateKey(String pem) throws IOException {
        Object o = read(pem);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
            return conv.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
            return conv.getKeyPair(pair).getPrivate();
        }
        throw new IOException("not a PEM private key");
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
