package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificates between an API server and kubelets, paired as upstream's defaults pair them: a
 * kubelet serves a self-signed certificate of its own ({@code kubelet.crt}/{@code kubelet.key}
 * under its directory, as upstream's kubelet keeps them in {@code /var/lib/kubelet/pki}) and asks
 * for a client certificate signed by the cluster CA; the API server presents
 * {@code apiserver-kubelet-client.crt} (CN {@value #API_SERVER_CLIENT_CN}, kubeadm's name), minted
 * by its own CA in {@code pki/}, and does not check the kubelet's certificate (kube-apiserver
 * without {@code --kubelet-certificate-authority}). Keys and certificates are written 0600.
 */
public final class KubeletCertificates {

    /** The common name of the API server's client certificate towards kubelets. */
    public static final String API_SERVER_CLIENT_CN = "kube-apiserver-kubelet-client";

    /** A private key with its certificate chain (leaf first). */
    public record Credential(List<X509Certificate> chain, PrivateKey key) {
        public Credential {
            chain = List.copyOf(chain);
        }

        public X509Certificate certificate() {
            return chain.getFirst();
        }

        /** An in-memory key store holding the key and chain under alias {@code key}. */
        public KeyStore keyStore(char[] password) {
            try {
                KeyStore ks = KeyStore.getInstance("JKS");
                ks.load(null, null);
                ks.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
                return ks;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build key store", e);
            }
        }
    }

    private KubeletCertificates() {}

    /**
     * The API server's client certificate towards kubelets in {@code dataDir/pki}, signed by the CA
     * there ({@link Pki#loadOrCreate} must have run); minted when missing, expired or not signed by
     * that CA.
     */
    public static Credential apiServerClient(Path dataDir, Instant now) throws IOException {
        Path dir = dataDir.resolve("pki");
        X509Certificate caCert = Pem.certificate(Files.readString(dir.resolve("ca.crt")));
        Path crt = dir.resolve("apiserver-kubelet-client.crt");
        Path key = dir.resolve("apiserver-kubelet-client.key");
        Credential kept = load(crt, key, now);
        if (kept != null && signedBy(kept.certificate(), caCert)) {
            return kept;
        }
        CertificateMinter.Issuer ca = new CertificateMinter.Issuer(caCert, Pem.privateKey(Files.readString(dir.resolve("ca.key"))));
        KeyPair keys = CertificateMinter.newKeyPair();
        X509Certificate cert = CertificateMinter.newClientCertificate(ca, keys,
                "O=kubeadm:cluster-admins,CN=" + API_SERVER_CLIENT_CN, now);
        SecretFiles.writePrivate(key, Pem.encode(keys.getPrivate()));
        SecretFiles.writePrivate(crt, Pem.encode(cert));
        return new Credential(List.of(cert), keys.getPrivate());
    }

    /**
     * A kubelet's self-signed serving certificate in {@code dir} ({@code kubelet.crt}: the
     * certificate then the CA that signed it, {@code kubelet.key}), for {@code address} and
     * {@code hostName}; minted when missing or expired, named as upstream's kubelet names its own
     * ({@code <host>@<unix seconds>}, its CA {@code <host>-ca@<unix seconds>}).
     */
    public static Credential kubeletServing(Path dir, String hostName, String address, Instant now) throws IOException {
        Files.createDirectories(dir);
        Path crt = dir.resolve("kubelet.crt");
        Path key = dir.resolve("kubelet.key");
        Credential kept = load(crt, key, now);
        if (kept != null) {
            return kept;
        }
        long stamp = now.getEpochSecond();
        CertificateMinter.Issuer ca = CertificateMinter.newCa(hostName + "-ca@" + stamp, now);
        KeyPair keys = CertificateMinter.newKeyPair();
        List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
        if (address != null && !address.isBlank() && !ips.contains(address) && !address.equals("0.0.0.0")) {
            ips.add(address);
        }
        X509Certificate cert = CertificateMinter.newServingCertificate(ca, keys, hostName + "@" + stamp, ips,
                List.of(hostName), now);
        SecretFiles.writePrivate(key, Pem.encode(keys.getPrivate()));
        SecretFiles.writePrivate(crt, Pem.encode(cert) + Pem.encode(ca.certificate()));
        return new Credential(List.of(cert, ca.certificate()), keys.getPrivate());
    }

    /**
     * A TLS context presenting {@code credential} and accepting whatever certificate the peer
     * presents: the caller checks a client's certificate itself (a kubelet answers 401 rather than
     * failing the handshake), and the API server does not check a kubelet's.
     */
    public static SSLContext acceptingAnyPeer(Credential credential) {
        try {
            char[] password = new char[] {'k'};
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(credential.keyStore(password), password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new AnyPeer()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /**
     * A client TLS context without a certificate that accepts whatever certificate the server
     * presents, as kube-apiserver's transport to pods ({@code InsecureSkipVerify}) for
     * {@code https:} pod and service proxies.
     */
    public static SSLContext acceptingAnyServer() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new AnyPeer()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** Whether {@code chain}'s leaf is signed by {@code ca} and valid at {@code now}. */
    public static boolean verifiedBy(X509Certificate[] chain, X509Certificate ca, Instant now) {
        if (chain == null || chain.length == 0) {
            return false;
        }
        X509Certificate leaf = chain[0];
        return signedBy(leaf, ca) && !now.isBefore(leaf.getNotBefore().toInstant())
                && now.isBefore(leaf.getNotAfter().toInstant());
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Credential load(Path crt, Path key, Instant now) {
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
            return null;
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            try (var in = Files.newInputStream(crt)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    chain.add((X509Certificate) c);
                }
            }
            if (chain.isEmpty()) {
                return null;
            }
            X509Certificate leaf = chain.getFirst();
            if (now.isBefore(leaf.getNotBefore().toInstant()) || !now.isBefore(leaf.getNotAfter().toInstant())) {
                return null;
            }
            return new Credential(chain, Pem.privateKey(Files.readString(key)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null; // unreadable: minted again
        }
    }

    /** Trusts every peer; only for the uses {@link #acceptingAnyPeer} and {@link #acceptingAnyServer} name. */
    private static final class AnyPeer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
