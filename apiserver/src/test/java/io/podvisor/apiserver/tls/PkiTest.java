package io.podvisor.apiserver.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

    static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void mintsACaAndAServingCertificateWithTheLoopbackNames() throws Exception {
        Pki pki = Pki.loadOrCreate(dir, "127.0.0.1", NOW);
        assertThat(Pki.sans(pki.serving())).containsExactlyInAnyOrder("ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "dns:localhost");
        pki.serving().verify(pki.ca().getPublicKey());
        pki.ca().verify(pki.ca().getPublicKey());
        assertThat(pki.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(pki.serving().getBasicConstraints()).isEqualTo(-1);
        assertThat(pki.serving().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(Duration.between(NOW, pki.ca().getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));
        assertThat(Duration.between(NOW, pki.serving().getNotAfter().toInstant())).isEqualTo(Duration.ofDays(365));
        for (String f : new String[] {"ca.key", "apiserver.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pki").resolve(f))))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("pki/ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("pki/apiserver.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        KeyStore ks = pki.keyStore("pw".toCharArray());
        assertThat(ks.getCertificateChain("apiserver")).hasSize(2);
    }

    @Test
    void reusesEverythingOnRestart() throws Exception {
        Pki first = Pki.loadOrCreate(dir, "127.0.0.1", NOW);
        Pki second = Pki.loadOrCreate(dir, "127.0.0.1", NOW.plus(Duration.ofDays(30)));
        assertThat(second.ca()).isEqualTo(first.ca());
        assertThat(second.serving()).isEqualTo(first.serving());
        assertThat(second.servingKey()).isEqualTo(first.servingKey());
    }

    @Test
    void reMintsTheServingCertificateWhenNamesChangeOrItExpires() throws Exception {
        Pki first = Pki.loadOrCreate(dir, "127.0.0.1", NOW);
        Pki other = Pki.loadOrCreate(dir, "10.1.2.3", NOW);
        assertThat(other.ca()).isEqualTo(first.ca());
        assertThat(other.serving()).isNotEqualTo(first.serving());
        assertThat(Pki.sans(other.serving())).contains("ip:10.1.2.3", "ip:127.0.0.1", "dns:localhost");
        Pki named = Pki.loadOrCreate(dir, "node.example", NOW);
        assertThat(Pki.sans(named.serving())).contains("dns:node.example");
        Pki wildcard = Pki.loadOrCreate(dir, "0.0.0.0", NOW);
        assertThat(Pki.sans(wildcard.serving())).containsExactlyInAnyOrder("ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "dns:localhost");

        Instant later = NOW.plus(Duration.ofDays(400));
        Pki renewed = Pki.loadOrCreate(dir, "0.0.0.0", later);
        assertThat(renewed.ca()).isEqualTo(first.ca());
        assertThat(renewed.serving()).isNotEqualTo(wildcard.serving());
        assertThat(renewed.serving().getNotAfter().toInstant()).isAfter(later);
    }

    @Test
    void tokenIsRandomHexKeptPrivateAndReused() throws Exception {
        Credentials c = Credentials.loadOrCreate(dir);
        assertThat(c.token()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token")))).isEqualTo("rw-------");
        assertThat(Credentials.loadOrCreate(dir).token()).isEqualTo(c.token());
        assertThat(c.matches(c.token())).isTrue();
        assertThat(c.matches(c.token().substring(1))).isFalse();
        assertThat(c.matches(null)).isFalse();
        Path other = dir.resolve("other");
        assertThat(Credentials.loadOrCreate(other).token()).isNotEqualTo(c.token());
    }

    @Test
    void kubeconfigNamesClusterUserAndContext() throws Exception {
        Path file = Kubeconfig.write(dir, Kubeconfig.serverUrl("127.0.0.1", 6443), "PEM", "tok");
        String text = Files.readString(file);
        assertThat(text).contains("server: https://127.0.0.1:6443")
                .contains("certificate-authority-data: " + Base64.getEncoder().encodeToString("PEM".getBytes()))
                .contains("token: tok").contains("current-context: podvisor").contains("namespace: default")
                .contains("- name: podvisor\n  cluster:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Kubeconfig.serverUrl("0.0.0.0", 1)).isEqualTo("https://127.0.0.1:1");
        assertThat(Kubeconfig.serverUrl("10.0.0.5", 1)).isEqualTo("https://10.0.0.5:1");
        assertThat(Kubeconfig.serverUrl("::1", 1)).isEqualTo("https://[::1]:1");
    }
}
