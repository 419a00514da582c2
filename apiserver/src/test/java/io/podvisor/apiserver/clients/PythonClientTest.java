package io.podvisor.apiserver.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.apiserver.fuzz.FuzzNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python client (Debian's {@code python3-kubernetes} under the system's
 * {@code /usr/bin/python3}) against a node's API over HTTPS with the node's kubeconfig. Its watch
 * reports each event before the next one happens: the test makes the next change only once the
 * client has printed the previous event, so a client that stays one event behind times out.
 * Skipped where Python or the package is missing, unless {@code PODVISOR_CLIENTS=required} (as
 * {@code .ci/run} sets it, having installed them).
 */
class PythonClientTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private FuzzNode node;
    private Process python;

    @BeforeEach
    void start() throws Exception {
        boolean usable = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import kubernetes")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        if (!usable && "required".equals(System.getenv("PODVISOR_CLIENTS"))) {
            fail("PODVISOR_CLIENTS=required, but " + PYTHON + " cannot import kubernetes (apt-get install python3-kubernetes)");
        }
        assumeTrue(usable, "no " + PYTHON + " with the kubernetes package");
        node = new FuzzNode();
    }

    @AfterEach
    void stop() {
        if (python != null) {
            python.destroyForcibly();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aWatchSeesAddedModifiedAndDeletedEachWithoutWaitingForTheNext() throws Exception {
        BlockingQueue<String> lines = run("watch_pods.py", node.kubeconfig().toString(), "default");
        assertThat(next(lines)).isEqualTo("READY");
        await(lines, "ADDED", "watched", "1", () -> send("POST", "/api/v1/namespaces/default/pods",
                "application/json", pod("1")));
        await(lines, "MODIFIED", "watched", "2", () -> send("PATCH", "/api/v1/namespaces/default/pods/watched",
                "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"step\":\"2\"}}}"));
        await(lines, "DELETED", "watched", "2", () -> send("DELETE", "/api/v1/namespaces/default/pods/watched",
                "application/json", "{\"gracePeriodSeconds\":0}"));
        assertThat(python.waitFor(EVENT_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the script ends after DELETED").isTrue();
        assertThat(python.exitValue()).isZero();
    }

    private interface Action {
        void run() throws Exception;
    }

    /**
     * Does {@code action} and waits for the client to print that event. The watch may first print
     * an ADDED for a pod it lists; no other event is expected in between.
     */
    private void await(BlockingQueue<String> lines, String type, String name, String step, Action action) throws Exception {
        action.run();
        assertThat(next(lines)).as("the client reports the %s event without waiting for another one", type)
                .isEqualTo(type + " " + name + " " + step);
    }

    private void send(String method, String path, String contentType, String body) throws Exception {
        HttpResponse<String> r = node.send(method, path, contentType, body, "application/json", EVENT_DEADLINE);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    private static String pod(String step) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"watched\",\"labels\":{\"step\":\"" + step
                + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    }

    private String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(EVENT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("the Python client printed nothing within " + EVENT_DEADLINE + (python.isAlive() ? "" : "; it ended"));
        }
        return line;
    }

    /** Starts a script of the test resources; its standard output's lines (and error's) go to a queue. */
    private BlockingQueue<String> run(String script, String... args) throws IOException {
        Path file = dir.resolve(script);
        try (InputStream in = PythonClientTest.class.getResourceAsStream("/clients/" + script)) {
            Files.copy(in, file);
        }
        String[] command = new String[args.length + 3];
        command[0] = PYTHON.toString();
        command[1] = "-u";
        command[2] = file.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        python = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output unreadable: " + e + ")");
            }
        });
        return lines;
    }
}
