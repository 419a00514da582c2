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
}
