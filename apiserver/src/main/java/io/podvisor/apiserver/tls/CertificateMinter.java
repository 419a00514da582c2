package io.podvisor.apiserver.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints EC P-256 keys, a self-signed CA certificate and serving certificates signed by it, with
 * BouncyCastle. Validity starts an hour before {@code now} to tolerate small clock skew.
 */
public final class CertificateMinter {

    /** How long a minted CA is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** How long a minted serving certificate is valid. */
    public static final Duration SERVING_VALIDITY = Duration.ofDays(365);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private CertificateMinter() {}

    /** A CA's certificate and key. */
    public record Issuer(X509Certificate certificate, PrivateKey key) {}

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    /** A self-signed CA valid for {@link #CA_VALIDITY} from {@code now}. */
    public static Issuer newCa(String commonName, Instant now) {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), notBefore(now),
                    Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issuer(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot mint CA", e);
        }
    }

    /**
     * A serving certificate for {@code ipAddresses} and {@code dnsNames}, signed by {@code ca},
     * valid for {@link #SERVING_VALIDITY} from {@code now}; its key is {@code keys}.
     */
    public static X509Certificate newServingCertificate(Issuer ca, KeyPair keys, String commonName,
            List<String> ipAddresses, List<String> dnsNames, Instant now) {
        GeneralName[] names = new GeneralName[ipAddresses.size() + dnsNames.size()];
        int i = 0;
        for (String ip : ipAddresses) {
            names[i++] = new GeneralName(GeneralName.iPAddress, ip);
        }
        for (String dns : dnsNames) {
            names[i++] = new GeneralName(GeneralName.dNSName, dns);
        }
        return leaf(ca, keys, "CN=" + commonName, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names), now);
    }

    /**
     * A client certificate (TLS client authentication) for {@code subject}, e.g.
     * {@code CN=system:node:node-1,O=system:nodes} as upstream's node certificates name their node,
     * signed by {@code ca}, valid for {@link #SERVING_VALIDITY} from {@code now}; its key is {@code keys}.
     */
    public static X509Certificate newClientCertificate(Issuer ca, KeyPair keys, String subject, Instant now) {
        return leaf(ca, keys, subject, KeyPurposeId.id_kp_clientAuth, null, now);
    }

    private static X509Certificate leaf(Issuer ca, KeyPair keys, String subject, KeyPurposeId purpose, GeneralNames names,
            Instant now) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), notBefore(now),
                    Date.from(now.plus(SERVING_VALIDITY)), new X500Name(subject), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (names != null) {
                b.addExtension(Extension.subjectAlternativeName, false, names);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, ca.key());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot mint certificate for " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static Date notBefore(Instant now) {
        return Date.from(now.minus(Duration.ofHours(1)));
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
