package io.podvisor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ContainerRuntime} shares, stated in runtime-neutral terms. A scripted
 * runtime and a runtime that runs real commands both pass it: each test asks for a container that
 * <em>behaves</em> a certain way ({@link #exitsWith}, {@link #runsUntilStopped}, …) and the
 * subclass maps that behaviour to what its runtime understands (a script on a virtual clock, a
 * shell command). Waiting goes through {@link #awaitUntil}, which advances virtual time or polls
 * real time with a deadline; durations are read from {@link #now()}, the runtime's own clock.
 *
 * <p>Conventions the mappings keep:
 * <ul>
 *   <li>Containers that run until stopped print the line {@code ready} on stdout once they are
 *       set up (signal handlers installed, port bound), so tests can wait for it before signalling.</li>
 *   <li>Exec commands are built by {@link #execPrints}; a runtime that scripts execs recognizes them.</li>
 *   <li>Every test cleans up through {@link #closeRuntime} even when it fails.</li>
 * </ul>
 */
public abstract class ContainerRuntimeContract {

    /**
     * A container's behaviour as the subclass maps it: its name (unique per test), its command, and
     * the limits it needs.
     */
    public record Behaviour(String name, List<String> command, ContainerConfig.Resources resources) {
        public Behaviour(String name, List<String> command) {
            this(name, command, ContainerConfig.Resources.NONE);
        }
    }

    /** A scratch directory for logs and state, removed after each test. */
    @TempDir
    protected Path dir;

    /** The runtime under test, made by {@link #newRuntime()} before each test. */
    protected ContainerRuntime runtime;

    private final List<ContainerInfo> exits = new CopyOnWriteArrayList<>();
    private int names;

    // ---- hooks ----

    /** A new runtime instance using {@link #dir} for its state. */
    protected abstract ContainerRuntime newRuntime() throws Exception;

    /** Releases everything the runtime holds; the default calls {@link ContainerRuntime#shutdown()}. */
    protected void closeRuntime(ContainerRuntime rt) {
        rt.shutdown();
    }

    /**
     * The host goes down under {@code old} (everything it runs ends with it, as in a reboot) and a
     * runtime starts again on the same state; returns that runtime. The default shuts {@code old}
     * down ({@link #closeRuntime}) and makes a new one ({@link #newRuntime}).
     */
    protected ContainerRuntime restartRuntime(ContainerRuntime old) throws Exception {
        closeRuntime(old);
        return newRuntime();
    }

    /** The time on the runtime's clock. */
    protected abstract Instant now();

    /**
     * Lets time pass until {@code condition} holds, failing the test if it does not within
     * {@code upTo} (virtual runtimes advance their clock; real ones poll with a deadline).
     */
    protected abstract void awaitUntil(Duration upTo, Callable<Boolean> condition);

    /** Exits by itself at once with {@code code}. */
    protected abstract Behaviour exitsWith(int code);

    /** Prints {@code out} as a line on stdout and {@code err} as a line on stderr, then exits with {@code code}. */
    protected abstract Behaviour printsAndExits(String out, String err, int code);

    /** Prints {@code ready} and runs until stopped; SIGTERM kills it (143). */
    protected abstract Behaviour runsUntilStopped();

    /** Prints {@code ready} and runs until killed: SIGTERM is ignored. */
    protected abstract Behaviour ignoresTerm();

    /** Prints {@code ready} and runs until SIGTERM, on which it exits with {@code code}. */
    protected abstract Behaviour exitsOnTerm(int code);

    /**
     * Prints {@code ready} and accepts TCP connections on {@code port} until stopped (the port may
     * open a moment after the line; tests wait for it).
     */
    protected abstract Behaviour listensOn(int port);

    /** A container whose executable does not exist, so its start fails. */
    protected abstract Behaviour missingExecutable();

    /** An exec command that prints {@code out} (one line) and exits with {@code code}. */
    protected abstract List<String> execPrints(String out, int code);

    /** An exec command that never ends by itself. */
    protected abstract List<String> execNeverEnds();

    /** The image containers are created from. */
    protected String image() {
        return "busybox";
    }

    /** A TCP port free for a container to listen on. */
    protected int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The sandbox config of test sandboxes. */
    protected SandboxConfig sandboxConfig(String name, Map<String, String> labels) {
        return new SandboxConfig(name, name, false, labels, Map.of(), dir.resolve("logs").toString(),
                UUID.randomUUID().toString(), SandboxConfig.PodResources.BEST_EFFORT);
    }

    /** The container config for {@code b}, logging to {@code logPath}. */
    protected ContainerConfig containerConfig(Behaviour b, Map<String, String> labels, String logPath) {
        return new ContainerConfig(b.name(), 0, image(), b.command(), List.of(), Map.of(), "", logPath,
                b.resources(), labels, Map.of("contract", "yes"));
    }

    /** A name unique within the test, for behaviours. */
    protected String uniqueName(String prefix) {
        return prefix + "-" + (++names);
    }

    @BeforeEach
    void createRuntime() throws Exception {
        runtime = newRuntime();
        runtime.onContainerExit(exits::add);
    }

    @AfterEach
    void releaseRuntime() {
        if (runtime != null) {
            closeRuntime(runtime);
        }
    }

    // ---- helpers ----

    protected String sandbox(String name) throws RuntimeFailure {
        return runtime.runSandbox(sandboxConfig(name, Map.of("app", name))).id();
    }

    protected String create(String sandbox, Behaviour b) throws RuntimeFailure {
        return runtime.createContainer(sandbox, containerConfig(b, Map.of("container", b.name()), logOf(b).toString()));
    }

    protected String run(String sandbox, Behaviour b) throws RuntimeFailure {
        String id = create(sandbox, b);
        runtime.startContainer(id);
        return id;
    }

    /** Starts {@code b} and waits for its {@code ready} line. */
    protected String runReady(String sandbox, Behaviour b) throws RuntimeFailure {
        String id = run(sandbox, b);
        awaitUntil(Duration.ofSeconds(20), () -> logLines(b).contains(new Line(CriLog.Stream.STDOUT, "ready")));
        return id;
    }

    protected Path logOf(Behaviour b) {
        return dir.resolve("logs").resolve(b.name()).resolve("0.log");
    }

    /** A log record's stream and text. */
    public record Line(CriLog.Stream stream, String text) {}

    protected List<Line> logLines(Behaviour b) throws IOException {
        Path p = logOf(b);
        List<Line> out = new ArrayList<>();
        if (!Files.exists(p)) {
            return out;
        }
        for (String l : Files.readAllLines(p)) {
            CriLog.Entry e = CriLog.parse(l);
            assertThat(e).as("CRI record %s", l).isNotNull();
            out.add(new Line(e.stream(), e.text()));
        }
        return out;
    }

    protected ContainerInfo info(String id) {
        return runtime.listContainers(Map.of()).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + id + " is not listed"));
    }

    protected boolean listed(String id) {
        return runtime.listContainers(Map.of()).stream().anyMatch(c -> c.id().equals(id));
    }

    protected SandboxInfo sandboxInfo(String id) {
        return runtime.listSandboxes(Map.of()).stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("sandbox " + id + " is not listed"));
    }

    protected ContainerInfo awaitExit(String id) {
        awaitUntil(Duration.ofSeconds(20), () -> info(id).state() == ContainerState.EXITED);
        return info(id);
    }

    // ---- sandboxes ----

    @Test
    void sandboxesAreListedByLabelsStoppedAndRemoved() throws Exception {
        String a = runtime.runSandbox(sandboxConfig("a", Map.of("app", "a", "tier", "web"))).id();
        String b = runtime.runSandbox(sandboxConfig("b", Map.of("app", "b", "tier", "web"))).id();
        assertThat(a).isNotEqualTo(b);
        assertThat(sandboxInfo(a).ready()).isTrue();
        assertThat(sandboxInfo(a).ip()).isNotBlank();
        assertThat(sandboxInfo(a).labels()).containsEntry("tier", "web");
        assertThat(runtime.listSandboxes(Map.of("app", "a"))).extracting(SandboxInfo::id).containsExactly(a);
        assertThat(runtime.listSandboxes(Map.of("tier", "web"))).extracting(SandboxInfo::id).containsExactlyInAnyOrder(a, b);
        assertThat(runtime.listSandboxes(Map.of("app", "c"))).isEmpty();

        runtime.stopSandbox(a);
        runtime.stopSandbox(a);
        assertThat(sandboxInfo(a).ready()).isFalse();
        runtime.removeSandbox(a);
        runtime.removeSandbox(a);
        assertThat(runtime.listSandboxes(Map.of())).extracting(SandboxInfo::id).containsExactly(b);
    }

    @Test
    void createThenStartGoesFromCreatedToRunning() throws Exception {
        String sb = sandbox("p");
        Behaviour b = runsUntilStopped();
        String id = create(sb, b);
        ContainerInfo created = info(id);
        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        assertThat(created.sandboxId()).isEqualTo(sb);
        assertThat(created.name()).isEqualTo(b.name());
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.startedAt()).isNull();
        assertThat(created.labels()).containsEntry("container", b.name());
        assertThat(created.annotations()).containsEntry("contract", "yes");
        assertThat(runtime.listContainers(Map.of("container", b.name()))).extracting(ContainerInfo::id).containsExactly(id);
        assertThat(runtime.listContainers(Map.of("container", "other"))).isEmpty();

        runtime.startContainer(id);
        ContainerInfo running = info(id);
        assertThat(running.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(running.startedAt()).isNotNull().isAfterOrEqualTo(created.createdAt());
        assertThat(running.finishedAt()).isNull();
    }

    // ---- exits ----

    @Test
    void exitZeroIsCompleted() throws Exception {
        String id = run(sandbox("p"), exitsWith(0));
        ContainerInfo done = awaitExit(id);
        assertThat(done).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(0, "Completed");
        assertThat(done.finishedAt()).isNotNull().isAfterOrEqualTo(done.startedAt());
    }

    @Test
    void nonZeroExitIsError() throws Exception {
        String id = run(sandbox("p"), exitsWith(3));
        assertThat(awaitExit(id)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(3, "Error");
    }

    @Test
    void exitListenerIsToldOnce() throws Exception {
        String id = run(sandbox("p"), exitsWith(4));
        awaitUntil(Duration.ofSeconds(20), () -> exits.stream().anyMatch(c -> c.id().equals(id)));
        ContainerInfo told = exits.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertThat(told).extracting(ContainerInfo::state, ContainerInfo::exitCode).containsExactly(ContainerState.EXITED, 4);
        runtime.stopContainer(id, Duration.ofSeconds(1)).toCompletableFuture().join();
        assertThat(exits.stream().filter(c -> c.id().equals(id))).hasSize(1);
    }

    @Test
    void stdoutAndStderrLandInTheLogAsCriRecords() throws Exception {
        Behaviour b = printsAndExits("to standard out", "to standard err", 0);
        String id = run(sandbox("p"), b);
        awaitExit(id);
        awaitUntil(Duration.ofSeconds(5), () -> logLines(b).size() >= 2);
        assertThat(logLines(b)).containsExactlyInAnyOrder(
                new Line(CriLog.Stream.STDOUT, "to standard out"), new Line(CriLog.Stream.STDERR, "to standard err"));
    }

    // ---- stop ----

    @Test
    void stopOfATermIgnoringContainerTakesTheTimeoutAndEndsWith137() throws Exception {
        String id = runReady(sandbox("p"), ignoresTerm());
        Duration timeout = Duration.ofSeconds(2);
        Instant t0 = now();
        CompletableFuture<Void> stopped = runtime.stopContainer(id, timeout).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), stopped::isDone);
        assertThat(Duration.between(t0, now())).isGreaterThanOrEqualTo(timeout.minusMillis(20));
        assertThat(info(id)).extracting(ContainerInfo::state, ContainerInfo::exitCode, ContainerInfo::reason)
                .containsExactly(ContainerState.EXITED, 137, "Error");
    }

    @Test
    void stopOfATermHandlingContainerEndsPromptlyWithItsOwnCode() throws Exception {
        String id = runReady(sandbox("p"), exitsOnTerm(7));
        Duration timeout = Duration.ofSeconds(30);
        Instant t0 = now();
        CompletableFuture<Void> stopped = runtime.stopContainer(id, timeout).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), stopped::isDone);
        assertThat(Duration.between(t0, now())).isLessThan(Duration.ofSeconds(15));
        assertThat(info(id)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(7, "Error");
    }

    @Test
    void stopOfAContainerDyingFromTermEndsWith143() throws Exception {
        String id = runReady(sandbox("p"), runsUntilStopped());
        CompletableFuture<Void> stopped = runtime.stopContainer(id, Duration.ofSeconds(30)).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), stopped::isDone);
        assertThat(info(id)).extracting(ContainerInfo::state, ContainerInfo::exitCode)
                .containsExactly(ContainerState.EXITED, 143);
    }

    @Test
    void stopOfAnExitedContainerCompletesAtOnce() throws Exception {
        String id = run(sandbox("p"), exitsWith(0));
        awaitExit(id);
        assertThat(runtime.stopContainer(id, Duration.ofSeconds(30)).toCompletableFuture()).isDone();
        assertThat(info(id).exitCode()).isZero();
    }

    @Test
    void stopSandboxKillsWhatRuns() throws Exception {
        String sb = sandbox("p");
        String a = runReady(sb, ignoresTerm());
        String b = runReady(sb, runsUntilStopped());
        runtime.stopSandbox(sb);
        awaitUntil(Duration.ofSeconds(20), () -> info(a).state() == ContainerState.EXITED
                && info(b).state() == ContainerState.EXITED);
        assertThat(info(a).exitCode()).isEqualTo(137);
        assertThat(sandboxInfo(sb).ready()).isFalse();
    }

    // ---- removal ----

    @Test
    void removedContainersAndSandboxesDisappearFromListings() throws Exception {
        String sb = sandbox("p");
        String first = run(sb, exitsWith(0));
        String second = create(sb, runsUntilStopped());
        awaitExit(first);
        runtime.removeContainer(first);
        runtime.removeContainer(first);
        assertThat(listed(first)).isFalse();
        assertThat(listed(second)).isTrue();

        runtime.stopSandbox(sb);
        runtime.removeSandbox(sb);
        assertThat(listed(second)).isFalse();
        assertThat(runtime.listSandboxes(Map.of())).extracting(SandboxInfo::id).doesNotContain(sb);
    }

    // ---- a restart on the same state ----

    @Test
    void aRuntimeStartedAgainKeepsThePreviousRunsObjectsAsExitedUntilTheyAreRemoved() throws Exception {
        String sb = sandbox("rebooted");
        Behaviour done = exitsWith(3);
        String doneId = run(sb, done);
        awaitExit(doneId);
        String runningId = runReady(sb, runsUntilStopped());
        ContainerInfo doneBefore = info(doneId);
        ContainerInfo runningBefore = info(runningId);
        Instant down = now();

        ContainerRuntime again = restartRuntime(runtime);
        runtime = again;
        Instant up = now();

        assertThat(runtime.listSandboxes(Map.of("app", "rebooted")))
                .extracting(SandboxInfo::id, SandboxInfo::ready, SandboxInfo::labels)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(sb, false, Map.of("app", "rebooted")));
        // as containerd finds a container whose task is gone: exited, 255, "Unknown", finished when found so
        ContainerInfo lost = info(runningId);
        assertThat(lost).extracting(ContainerInfo::state, ContainerInfo::exitCode, ContainerInfo::reason,
                        ContainerInfo::startedAt, ContainerInfo::sandboxId, ContainerInfo::name, ContainerInfo::labels,
                        ContainerInfo::annotations)
                .containsExactly(ContainerState.EXITED, 255, "Unknown", runningBefore.startedAt(), sb,
                        runningBefore.name(), runningBefore.labels(), runningBefore.annotations());
        assertThat(lost.finishedAt()).isAfterOrEqualTo(down).isBeforeOrEqualTo(up);
        assertThat(info(doneId)).isEqualTo(doneBefore);
        assertThat(runtime.listContainers(Map.of("container", done.name()))).extracting(ContainerInfo::id)
                .containsExactly(doneId);
        assertThatThrownBy(() -> create(sb, exitsWith(0))).isInstanceOf(RuntimeFailure.class);
        runtime.stopSandbox(sb);
        assertThat(runtime.stopContainer(runningId, Duration.ofSeconds(1)).toCompletableFuture().isDone()).isTrue();

        runtime.removeContainer(doneId);
        assertThat(listed(doneId)).isFalse();
        runtime = restartRuntime(runtime); // a removal is kept, and so is the time a lost container was found
        assertThat(listed(doneId)).isFalse();
        assertThat(info(runningId)).isEqualTo(lost);

        runtime.removeSandbox(sb);
        assertThat(listed(runningId)).isFalse();
        assertThat(runtime.listSandboxes(Map.of())).isEmpty();
        runtime = restartRuntime(runtime);
        assertThat(runtime.listSandboxes(Map.of())).isEmpty();
        assertThat(runtime.listContainers(Map.of())).isEmpty();
    }

    // ---- exec ----

    @Test
    void execReturnsExitCodeAndOutput() throws Exception {
        String id = runReady(sandbox("p"), runsUntilStopped());
        CompletableFuture<ExecResult> ok = runtime.exec(id, execPrints("all good", 0), Duration.ofSeconds(10))
                .toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), ok::isDone);
        assertThat(ok.join()).extracting(ExecResult::exitCode, r -> r.output().strip(), ExecResult::timedOut)
                .containsExactly(0, "all good", false);

        CompletableFuture<ExecResult> bad = runtime.exec(id, execPrints("broken", 2), Duration.ofSeconds(10))
                .toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), bad::isDone);
        assertThat(bad.join()).extracting(ExecResult::exitCode, r -> r.output().strip()).containsExactly(2, "broken");
    }

    @Test
    void anExecWithoutATimeLimitRunsUntilItsContainerIsKilled() throws Exception {
        // a kubelet's preStop hook: CRI's ExecSync with timeout 0 outlives the container's SIGTERM
        // (which an ignoring container survives) and ends only when the container is killed
        String id = runReady(sandbox("p"), ignoresTerm());
        CompletableFuture<ExecResult> hook = runtime.exec(id, execNeverEnds(), Duration.ZERO).toCompletableFuture();
        CompletableFuture<ExecResult> other = runtime.exec(id, execPrints("beside", 0), Duration.ofSeconds(10))
                .toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), other::isDone);
        assertThat(hook).as("an exec without a time limit still runs").isNotDone();

        Instant stop = now();
        runtime.stopContainer(id, Duration.ofSeconds(1));
        awaitUntil(Duration.ofSeconds(20), hook::isDone);
        assertThat(Duration.between(stop, now())).as("the exec lived until the container's SIGKILL")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(hook.join()).extracting(ExecResult::timedOut, r -> r.exitCode() != 0).containsExactly(false, true);
        awaitUntil(Duration.ofSeconds(20), () -> info(id).state() == ContainerState.EXITED);
        assertThat(info(id).exitCode()).isEqualTo(137);
    }

    @Test
    void execInAStoppedContainerFails() throws Exception {
        String id = runReady(sandbox("p"), runsUntilStopped());
        CompletableFuture<Void> stopped = runtime.stopContainer(id, Duration.ofSeconds(5)).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), stopped::isDone);
        CompletableFuture<ExecResult> r = runtime.exec(id, execPrints("never", 0), Duration.ofSeconds(5))
                .toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), r::isDone);
        boolean failed = r.handle((res, e) -> e != null || res.exitCode() != 0 || res.timedOut()).join();
        assertThat(failed).as("exec in a stopped container fails").isTrue();
    }

    // ---- network ----

    @Test
    void aPortTheContainerListensOnIsReachableThroughTheNetwork() throws Exception {
        String sb = sandbox("p");
        String ip = sandboxInfo(sb).ip();
        int port = freePort();
        String id = runReady(sb, listensOn(port));
        awaitUntil(Duration.ofSeconds(20), () -> runtime.network().tcpConnect(ip, port, Duration.ofSeconds(1))
                .toCompletableFuture().join().ok());
        runtime.stopContainer(id, Duration.ofSeconds(5)).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(20), () -> info(id).state() == ContainerState.EXITED);
        awaitUntil(Duration.ofSeconds(20), () -> !runtime.network().tcpConnect(ip, port, Duration.ofSeconds(1))
                .toCompletableFuture().join().ok());
    }

    // ---- start failure ----

    @Test
    void aMissingExecutableFailsTheStartWithStartError() throws Exception {
        Behaviour b = missingExecutable();
        assumeTrue(b != null, "this runtime cannot fail a start");
        String id = create(sandbox("p"), b);
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining(b.command().getFirst());
        assertThat(info(id)).extracting(ContainerInfo::state, ContainerInfo::exitCode, ContainerInfo::reason)
                .containsExactly(ContainerState.EXITED, 128, "StartError");
        assertThat(info(id).message()).isNotBlank();
        assertThat(exits.stream().filter(c -> c.id().equals(id))).isEmpty();
    }
}
