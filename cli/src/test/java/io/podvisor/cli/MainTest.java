package io.podvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.cli.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void versionPrintsPodvisorAndKubernetesVersions() {
        CliRun.Output r = CliRun.run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("podvisor ").contains("Kubernetes v1.33.0");
    }

    @Test
    void unknownCommandFails() {
        assertThat(CliRun.run("no-such-command").code()).isNotZero();
    }

    @Test
    void serverRefusesMaxPodsBelowOne() {
        CliRun.Output r = CliRun.run("server", "--data-dir", dir.toString(), "--runtime", "fake", "--max-pods", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("podvisor: --max-pods must be at least 1, not 0\n");
    }

    @Test
    void agentRefusesABadPortAndAKubeconfigItCannotJoinWith() throws Exception {
        CliRun.Output port = CliRun.run("agent", "--kubeconfig", "x", "--data-dir", dir.toString(), "--runtime", "fake",
                "--kubelet-port", "70000");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).isEqualTo("podvisor: --kubelet-port must be between 0 and 65535, not 70000\n");

        java.nio.file.Path missing = dir.resolve("missing");
        CliRun.Output none = CliRun.run("agent", "--kubeconfig", missing.toString(), "--data-dir", dir.toString(),
                "--runtime", "fake");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("podvisor: " + missing + ": no such file\n");

        java.nio.file.Path noCa = java.nio.file.Files.writeString(dir.resolve("no-ca"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443"}
                users:
                - name: u
                  user: {token: secret-token}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                current-context: x
                """);
        CliRun.Output unchecked = CliRun.run("agent", "--kubeconfig", noCa.toString(), "--data-dir", dir.toString(),
                "--runtime", "fake");
        assertThat(unchecked.code()).isEqualTo(1);
        assertThat(unchecked.err()).isEqualTo("podvisor: " + noCa + ": names no certificate authority; the kubelet lets "
                + "in only client certificates signed by the cluster's CA\n");
        assertThat(unchecked.err() + unchecked.out()).doesNotContain("secret-token");
    }
}
