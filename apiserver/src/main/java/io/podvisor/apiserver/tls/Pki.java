package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API server's certificates in {@code <dataDir>/pki}: {@code ca.crt}/{@code ca.key} (minted
 * once, kept until they expire) and {@code apiserver.crt}/{@code apiserver.key} (re-minted when
 * expired, no longer signed by the CA, or when the wanted subject alternative names changed).
 * Keys are written with mode 0600.
 *
 * @param ca the CA certificate clients trust
 * @param serving the serving certificate
 * @param servingKey its private key
 */
public record Pki(X509Certificate ca, X509Certificate serving, PrivateKey servingKey) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Loads the material under {@code dataDir/pki}, minting what is missing or stale. */
    public static Pki loadOrCreate(Path dataDir, String bindAddress, Instant now) throws IOException {
        Path dir = dataDir.resolve("pki");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dataDir);
            SecretFiles.createPrivateDirectory(dir); // 0700: it holds the CA's key
        }
        CertificateMinter.Issuer ca = loadCa(dir, now);
        if (ca == null) {
            ca = CertificateMinter.newCa("podvisor-ca", now);
            SecretFiles.writePrivate(dir.resolve("ca.key"), Pem.encode(ca.key()));
            SecretFiles.writePublic(dir.resolve("ca.crt"), Pem.encode(ca.certificate()));
        }
        List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
        List<String> dns = new ArrayList<>(List.of("localhost"));
        addBindAddress(bindAddress, ips, dns);
        Pki existing = loadServing(dir, ca, ips, dns, now);
        if (existing != null) {
            return existing;
        }
        KeyPair keys = CertificateMinter.newKeyPair();
        X509Certificate cert = CertificateMinter.newServingCertificate(ca, keys, "podvisor-apiserver", ips, dns, now);
        SecretFiles.writePrivate(dir.resolve("apiserver.key"), Pem.encode(keys.getPrivate()));
        SecretFiles.writePublic(dir.resolve("apiserver.crt"), Pem.encode(cert));
        return new Pki(ca.certificate(), cert, keys.getPrivate());
    }

    /**
     * An in-memory key store holding the serving key and chain under alias {@code apiserver}. JKS:
     * it never leaves memory, and PKCS#12's password-based key encryption (thousands of hash
     * rounds each way) would cost start-up time for nothing.
     */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("JKS");
            ks.load(null, null);
            ks.setKeyEntry("apiserver", servingKey, password, new Certificate[] {serving, ca});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build key store", e);
        }
    }

    private static void addBindAddress(String bind, List<String> ips, List<String> dns) {
        if (bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            return;
        }
        String host = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        if (isIpLiteral(host)) {
            if (!normalize(ips).contains(normalizeIp(host))) {
                ips.add(host);
            }
        } else if (!dns.contains(host)) {
            dns.add(host);
        }
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    private static CertificateMinter.Issuer loadCa(Path dir, Instant now) throws IOException {
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (!Files.exists(crt) || !Files.exists(key)) {
            return null;
        }
        X509Certificate cert = Pem.certificate(Files.readString(crt));
        if (!validAt(cert, now)) {
            return null;
        }
        return new CertificateMinter.Issuer(cert, Pem.privateKey(Files.readString(key)));
    }

    private static Pki loadServing(Path dir, CertificateMinter.Issuer ca, List<String> ips, List<String> dns, Instant now)
            throws IOException {
        Path crt = dir.resolve("apiserver.crt");
        Path key = dir.resolve("apiserver.key");
        if (!Files.exists(crt) || !Files.exists(key)) {
            return null;
        }
        X509Certificate cert = Pem.certificate(Files.readString(crt));
        try {
            cert.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return null;
        }
        if (!validAt(cert, now) || !sans(cert).equals(wanted(ips, dns))) {
            return null;
        }
        return new Pki(ca.certificate(), cert, Pem.privateKey(Files.readString(key)));
    }

    private static boolean validAt(X509Certificate cert, Instant now) {
        return !now.isBefore(cert.getNotBefore().toInstant()) && now.isBefore(cert.getNotAfter().toInstant());
    }

    /** The subject alternative names of {@code cert}, as {@code ip:<addr>} and {@code dns:<name>}. */
    public static Set<String> sans(X509Certificate cert) {
        Set<String> out = new HashSet<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return out;
            }
            for (List<?> n : names) {
                int type = (Integer) n.get(0);
                String value = String.valueOf(n.get(1));
                if (type == 7) {
                    out.add("ip:" + normalizeIp(value));
                } else if (type == 2) {
                    out.add("dns:" + value);
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return out;
    }

    private static Set<String> wanted(List<String> ips, List<String> dns) {
        Set<String> out = new HashSet<>();
        ips.forEach(ip -> out.add("ip:" + normalizeIp(ip)));
        dns.forEach(d -> out.add("dns:" + d));
        return out;
    }

    private static Set<String> normalize(List<String> ips) {
        Set<String> out = new LinkedHashSet<>();
        ips.forEach(ip -> out.add(normalizeIp(ip)));
        return out;
    }

    private static String normalizeIp(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
