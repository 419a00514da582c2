package io.podvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionPrintsPodvisorAndKubernetesVersions() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Main.run("version");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("podvisor ").contains("Kubernetes v1.33.0");
    }

    @Test
    void unknownCommandFails() {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            assertThat(Main.run("no-such-command")).isNotZero();
        } finally {
            System.setErr(oldErr);
        }
    }
}
