package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams.LogOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.fake.ContainerScript;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl logs} through the kubelet (spec 15.1, 15.2) in virtual time. */
class LogScenariosTest {

    static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: web
                image: nginx
            """;

    static final LogOptions ALL = LogOptions.DEFAULT;

    @TempDir
    Path dir;

    NodeHarness node() {
        return new NodeHarness(c -> c.withPodLogsDir(dir.resolve("pods")));
    }

    static LogOptions tail(long n) {
        return new LogOptions(false, false, false, n, null, null, null);
    }

    static LogOptions previous() {
        return new LogOptions(true, false, false, null, null, null, null);
    }

    /** Three lines at 0 s, 1.5 s and 3 s; an error line at 2 s. */
    static ContainerScript chatty() {
        return script().stdout(ofSeconds(0), "starting").stdout(ofMillis(1500), "listening on :80")
                .stderr(ofSeconds(2), "warning: no config").stdout(ofSeconds(3), "GET / 200");
    }

    @Test
    void currentLogIsWrittenInCriFormatUnderThePodsDirectoryAndReadBackAsPlainLines() throws Exception {
        NodeHarness h = node();
        h.script("web", chatty());
        Pod pod = h.apply(WEB);
        h.advanceSeconds(5);

        Path file = dir.resolve("pods/default_web_" + pod.getMetadata().getUid() + "/web/0.log");
        assertThat(Files.readAllLines(file)).containsExactly(
                "2026-01-01T00:00:00Z stdout F starting",
                "2026-01-01T00:00:01.5Z stdout F listening on :80",
                "2026-01-01T00:00:02Z stderr F warning: no config",
                "2026-01-01T00:00:03Z stdout F GET / 200");
        assertThat(h.logs("web", "web", ALL)).isEqualTo("starting\nlistening on :80\nwarning: no config\nGET / 200\n");
    }

    @Test
    void timestampsTailSinceAndLimitBytesShapeTheOutput() {
        NodeHarness h = node();
        h.script("web", chatty());
        h.apply(WEB);
        h.advanceSeconds(5);

        assertThat(h.logs("web", "web", new LogOptions(false, false, true, 2L, null, null, null))).isEqualTo(
                "2026-01-01T00:00:02.000000000Z warning: no config\n2026-01-01T00:00:03.000000000Z GET / 200\n");
        assertThat(h.logs("web", "web", tail(1))).isEqualTo("GET / 200\n");
        assertThat(h.logs("web", "web", tail(0))).isEmpty();
        // at 5 s, the last 3 s start at 2 s
        assertThat(h.logs("web", "web", new LogOptions(false, false, false, null, 3L, null, null)))
                .isEqualTo("warning: no config\nGET / 200\n");
        assertThat(h.logs("web", "web", new LogOptions(false, false, false, null, null,
                Instant.parse("2026-01-01T00:00:01Z"), null))).isEqualTo("listening on :80\nwarning: no config\nGET / 200\n");
        assertThat(h.logs("web", "web", new LogOptions(false, false, false, null, null, null, 12L))).isEqualTo("starting\nlis");
    }

    @Test
    void previousReadsTheInstanceBeforeTheNewestAndCrashLoopBackOffShowsTheLastRun() {
        NodeHarness h = node();
        h.runtime().script("web", attempt -> script().stdout(ofSeconds(0), "run " + attempt).exitAfter(ofSeconds(2), 1));
        h.apply(WEB);

        assertThatThrownBy(() -> h.logs("web", "web", previous())).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("previous terminated container \"web\" in pod \"web\" not found");
        h.advanceSeconds(3); // run 0 exited at 2 s, run 1 started at once
        assertThat(h.logs("web", "web", ALL)).isEqualTo("run 1\n");
        assertThat(h.logs("web", "web", previous())).isEqualTo("run 0\n");

        h.advanceSeconds(2); // run 1 exited at 4 s
        assertThat(h.kubectl("web")).isEqualTo("0/1 Error 1 (3s ago)");
        assertThat(h.logs("web", "web", ALL)).isEqualTo("run 1\n");

        h.advanceSeconds(22); // run 2 ran 14–16 s; the retry at 26 s shows the back-off of 20 s
        assertThat(h.kubectl("web")).isEqualTo("0/1 CrashLoopBackOff 2 (11s ago)");
        assertThat(h.logs("web", "web", ALL)).isEqualTo("run 2\n");
        assertThat(h.logs("web", "web", previous())).isEqualTo("run 2\n");
    }

    @Test
    void olderInstancesLoseTheirLogWhenTheyAreRemovedAndThePodsLogsGoWithThePod() {
        NodeHarness h = node();
        h.runtime().script("web", attempt -> script().stdout(ofSeconds(0), "run " + attempt).exitAfter(ofSeconds(1), 0));
        Pod pod = h.apply(WEB);
        Path podDir = dir.resolve("pods/default_web_" + pod.getMetadata().getUid());
        h.advanceSeconds(15); // run 0 exits at 1, run 1 starts at 1 and exits at 2, run 2 starts at 12
        assertThat(podDir.resolve("web/0.log")).doesNotExist();
        assertThat(podDir.resolve("web/1.log")).exists();
        assertThat(podDir.resolve("web/2.log")).exists();

        h.delete("web");
        h.advanceSeconds(1);
        assertThat(h.pod("web")).isNull();
        assertThat(podDir).doesNotExist();
    }

    @Test
    void containersThatHaveNotRunYetOrDoNotExistAreBadRequests() {
        NodeHarness h = node();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  initContainers:
                  - name: setup
                    image: busybox
                  containers:
                  - name: web
                    image: nginx
                """);
        assertThatThrownBy(() -> h.logs("web", "web", ALL)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("container \"web\" in pod \"web\" is waiting to start: PodInitializing");
        assertThatThrownBy(() -> h.logs("web", "nope", ALL)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("container \"nope\" in pod \"web\" is not available");
        Pod elsewhere = h.pod("web");
        elsewhere.getMetadata().setUid("not-on-this-node");
        assertThatThrownBy(() -> h.kubelet().streams().logs(elsewhere, "web", ALL, new ByteArrayOutputStream()))
                .isInstanceOf(ApiException.NotFound.class).hasMessage("pods \"web\" not found");
    }

    @Test
    void followStreamsNewLinesUntilTheInstanceExits() throws Exception {
        NodeHarness h = node();
        h.script("web", chatty().exitAfter(ofSeconds(4), 0));
        h.apply(WEB);
        Pod pod = h.pod("web");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogOptions follow = new LogOptions(false, true, false, null, null, null, null);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                h.kubelet().streams().logs(pod, "web", follow, out);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofVirtual().start(task)); // not the common pool: one thread on two cores
        // the follower picks the running instance when it starts: let it, before time moves on (at
        // 4 s the instance exits and a new one starts, which a late follower would follow instead)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString(StandardCharsets.UTF_8).equals("starting\n") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the follower wrote what was there").isEqualTo("starting\n");

        h.advanceSeconds(2);
        assertThat(done).isNotDone();
        h.advanceSeconds(1);
        assertThat(done).isNotDone();
        h.advanceSeconds(2); // exits at 4 s
        done.get(10, TimeUnit.SECONDS);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("starting\nlistening on :80\nwarning: no config\nGET / 200\n");
    }

    /** Waits (real time, 10 s at most) for a condition another thread makes true. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
    }

    @Test
    void aQuietFollowEndsAtTheNextTickOnceItsClientIsGone() throws Exception {
        NodeHarness h = node();
        h.script("web", script().stdout(ofSeconds(0), "starting"));
        h.apply(WEB);
        Pod pod = h.pod("web");
        AtomicBoolean clientGone = new AtomicBoolean();
        AtomicInteger flushes = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() throws IOException {
                flushes.incrementAndGet();
                if (clientGone.get()) {
                    throw new IOException("the client closed the connection");
                }
            }
        };
        LogOptions follow = new LogOptions(false, true, false, null, null, null, null);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                h.kubelet().streams().logs(pod, "web", follow, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        awaitTrue(() -> out.toString(StandardCharsets.UTF_8).equals("starting\n"));

        h.advanceSeconds(5); // nothing new to write: the follower still looks at its client every tick
        assertThat(done).isNotDone();
        awaitTrue(() -> flushes.get() > 1);
        clientGone.set(true);
        h.advanceSeconds(1);
        assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the client closed the connection");
    }

    @Test
    void followOfAnExitedInstanceReturnsWhatItWrote() {
        NodeHarness h = node();
        h.script("web", chatty().exitAfter(ofSeconds(4), 0));
        h.apply(WEB.replace("spec:", "spec:\n  restartPolicy: Never"));
        h.advanceSeconds(10);
        assertThat(h.logs("web", "web", new LogOptions(false, true, false, 1L, null, null, null))).isEqualTo("GET / 200\n");
    }

    @Test
    void withoutALogDirectoryNothingIsWrittenAndLogsAreEmpty() {
        NodeHarness h = new NodeHarness();
        h.script("web", chatty());
        h.apply(WEB);
        h.advanceSeconds(5);
        assertThat(h.logs("web", "web", ALL)).isEmpty();
    }
}
