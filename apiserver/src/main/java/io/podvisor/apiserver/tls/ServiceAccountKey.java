package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The key that signs service-account tokens, {@code <dataDir>/pki/sa.key} (RSA 2048, PKCS#8,
 * mode 0600), as kubeadm's {@code sa.key}; minted once and kept across restarts. Its key id is
 * upstream's: the unpadded base64url SHA-256 of the public key's DER (PKIX) form.
 */
public record ServiceAccountKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey, String keyId) {

    /** Reads {@code pki/sa.key}, or mints and writes it when it is missing. */
    public static ServiceAccountKey loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("pki").resolve("sa.key");
        try {
            PrivateKey key;
            if (Files.exists(file)) {
                key = Pem.privateKey(Files.readString(file));
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                key = g.generateKeyPair().getPrivate();
                SecretFiles.writePrivate(file, Pem.encode(key));
            }
            if (!(key instanceof RSAPrivateCrtKey rsa)) {
                throw new IOException(file + " does not hold an RSA private key");
            }
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            String kid = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()));
            return new ServiceAccountKey(rsa, pub, kid);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load or make the service-account key " + file + ": " + e.getMessage(), e);
        }
    }
}
