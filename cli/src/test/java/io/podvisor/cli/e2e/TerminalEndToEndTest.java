package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.testing.BusyboxImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive kubectl on runc, typed through a real pseudo-terminal ({@code script}): {@code run
 * --rm -it} with a shell, {@code exec -it} seeing the terminal's size, {@code attach -it} to a
 * {@code stdin}/{@code tty} pod that stays Running, and {@code run --rm -i} with piped input.
 */
class TerminalEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        assumeTrue(HostCommand.onPath("script"), "needs util-linux script");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        BusyboxImage.install(node.images, "busybox:1.36");
    }

    @AfterAll
    static void stop() throws IOException {
        RealNode.closeLeavingNothing(node);
    }

    @Test
    void runRmItRunsTypedCommandsAndThePodIsGoneAfterExit() throws Exception {
        try (Terminal t = new Terminal(node.kubectl.startInTerminal("stty rows 24 cols 80", "run", "shell", "--rm", "-it", "--restart=Never",
                "--image=busybox:1.36", "--", "sh"))) {
            t.awaitShown("If you don't see a command prompt");
            t.type("echo $((6*7))\n");
            t.awaitLine("42");
            t.type("exit\n");
            assertThat(t.awaitExit()).as("kubectl's exit code; it showed:\n%s", t.shown()).isZero();
            assertThat(t.shown()).contains("pod \"shell\" deleted");
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> node.kubectl.run("get", "pod", "shell").err(), err -> err.contains("pods \"shell\" not found"));
    }

    @Test
    void execItAnswersSttySizeWithTheTerminalsSize() throws Exception {
        apply("sleeper", "command: [sleep, '3600']");
        try (Terminal t = new Terminal(node.kubectl.startInTerminal("stty rows 33 cols 101", "exec", "-it", "sleeper",
                "--", "sh"))) {
            t.awaitShown("/ # "); // typed at the prompt, as a user does: kubectl sends the size first then
            t.type("stty size; tty\n");
            t.awaitLine("33 101");
            assertThat(t.shown()).contains("/dev/pts/");
            t.type("exit 3\n");
            assertThat(t.awaitExit()).isEqualTo(3);
        }
    }

    @Test
    void attachItReachesTheShellOfAStdinTtyPodWhichStaysRunning() throws Exception {
        apply("console", "command: [sh]\n    stdin: true\n    tty: true");
        try (Terminal t = new Terminal(node.kubectl.startInTerminal("stty rows 24 cols 80", "attach", "-it",
                "console"))) {
            t.awaitShown("If you don't see a command prompt");
            t.type("echo $((6*7))\n");
            t.awaitLine("42");
        }
        // the client went away; a container without stdinOnce keeps its shell
        assertThat(node.kubectl.run("get", "pod", "console", "-o",
                "jsonpath={.status.phase} {.status.containerStatuses[0].restartCount}").assertOk().out())
                .isEqualTo("Running 0");
    }

    @Test
    void pipedInputReachesCatInRunRmI() {
        Kubectl.Result r = node.kubectl.run("hi\n", 90, "run", "catter", "--rm", "-i", "--image=busybox:1.36", "--",
                "cat");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("hi\n");
    }

    private static void apply(String name, String containerFields) throws IOException {
        Path manifest = tmp.resolve(name + ".yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: busybox:1.36
                    %s
                """.formatted(name, containerFields));
        node.kubectl.run("apply", "-f", manifest.toString()).assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> node.kubectl.run("get", "pod", name, "-o", "jsonpath={.status.phase}").out(),
                        "Running"::equals);
    }

    /** A kubectl on a terminal: what is typed, what is shown. */
    private static final class Terminal implements AutoCloseable {
        private final Process process;
        private final OutputStream keys;
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

        Terminal(Process process) {
            this.process = process;
            this.keys = process.getOutputStream();
            Thread.ofPlatform().daemon().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (screen) {
                            screen.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the terminal closed
                }
            });
        }

        String shown() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        void awaitShown(String text) {
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> shown().contains(text));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the terminal did not show " + text.replace("\r", "\\r").replace("\n", "\\n")
                        + "; it shows:\n" + shown().replace("\r", "\\r").replace("\n", "\\n\n"), e);
            }
        }

        /**
         * Waits for {@code text} shown as a whole line, its end as a terminal writes it (CR LF from the
         * container's terminal, one more CR where the client's own terminal post-processes output).
         */
        void awaitLine(String text) {
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("(^|\n)" + java.util.regex.Pattern.quote(text)
                    + "\r+\n");
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> line.matcher(shown()).find());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the terminal did not show the line " + text + "; it shows:\n"
                        + shown().replace("\r", "\\r").replace("\n", "\\n\n"), e);
            }
        }

        int awaitExit() throws InterruptedException {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !process.isAlive());
            return process.waitFor();
        }

        @Override
        public void close() {
            process.destroy();
            process.descendants().forEach(ProcessHandle::destroy);
        }
    }
}
