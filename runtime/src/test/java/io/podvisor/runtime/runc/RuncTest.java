package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheVersion() {
        assertThat(Runc.parseVersion("runc version 1.1.5+ds1\ncommit: x\nspec: 1.0.2-dev\n")).isEqualTo("1.1.5+ds1");
        assertThat(Runc.parseVersion("garbage")).isEqualTo("unknown");
    }

    @Test
    void theErrorComesFromTheJsonLogWithoutRuncsPrefix() throws Exception {
        Path log = dir.resolve("runc.log");
        Files.writeString(log, """
                {"level":"warning","msg":"something minor","time":"2024-01-01T00:00:00Z"}
                {"level":"error","msg":"runc run failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH","time":"2024-01-01T00:00:00Z"}
                """);
        assertThat(Runc.errorMessage(log, "ignored")).isEqualTo(
                "unable to start container process: exec: \"nosuch\": executable file not found in $PATH");
        assertThat(Runc.errorMessage(dir.resolve("none"), "runc run failed: boom\n")).isEqualTo("boom");
        assertThat(Runc.errorMessage(dir.resolve("none"), "")).isEqualTo("runc failed without a message");
    }
}
