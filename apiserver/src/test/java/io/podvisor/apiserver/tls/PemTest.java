package io.podvisor.apiserver.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PemTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void certificatesAndPkcs8KeysRoundTrip() throws Exception {
        CertificateMinter.Issuer ca = CertificateMinter.newCa("test-ca", NOW);

        String certPem = Pem.encode(ca.certificate());
        String keyPem = Pem.encode(ca.key());

        assertThat(certPem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.certificate(certPem)).isEqualTo(ca.certificate());
        assertThat(Pem.privateKey(keyPem)).isEqualTo(ca.key());
    }

    @Test
    void aTraditionalEcKeyIsReadToo() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/openssl").canExecute(), "needs openssl");
        Process p = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout").start();
        String sec1 = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(p.waitFor()).isZero();
        assertThat(sec1).contains("-----BEGIN EC PRIVATE KEY-----"); // SEC 1, as openssl writes it

        assertThat(Pem.privateKey(sec1).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void otherContentIsRefused() {
        assertThatThrownBy(() -> Pem.certificate("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("not a PEM certificate");
        assertThatThrownBy(() -> Pem.privateKey("hello")).isInstanceOf(IOException.class);
    }
}
