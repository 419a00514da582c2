package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.core.SystemClock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real containers through runc (root, runc and a static busybox needed; skipped otherwise). */
class RuncRuntimeTest {

    static final String CIDR = "10.237.0.0/16";

    @TempDir
    static Path dir;

    static SystemClock clock;
    static RuncRuntime runtime;
    static final List<ContainerInfo> exits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRuntime() throws Exception {
        RuncHost.assumeUsable();
        clock = new SystemClock();
        runtime = RuncRuntime.start(RuncHost.options(RuncHost.uniqueName(), dir, CIDR, clock));
        runtime.onContainerExit(exits::add);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (runtime != null) {
            runtime.shutdown();
            assertThat(RuncHost.leftovers(runtime.options())).isEmpty();
            clock.close();
        }
    }

    static SandboxInfo sandbox(String name, String uid) throws RuntimeFailure {
        return runtime.runSandbox(new SandboxConfig(name, name, false, Map.of("pod", name), Map.of(),
                dir.resolve("logs").toString(), uid, SandboxConfig.PodResources.BEST_EFFORT));
    }

    static ContainerConfig config(String name, List<String> command, ContainerConfig.Resources res, List<Mount> mounts) {
        return new ContainerConfig(name, 0, "busybox", command, List.of(), Map.of("GREETING", "hi"), "",
                dir.resolve("logs").resolve(name + ".log").toString(), res, Map.of("c", name), Map.of(), mounts, null);
    }

    static String run(String sandboxId, String name, String script) throws RuntimeFailure {
        return run(sandboxId, config(name, List.of("sh", "-c", script), ContainerConfig.Resources.NONE, List.of()));
    }

    static String run(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        String id = runtime.createContainer(sandboxId, config);
        runtime.startContainer(id);
        return id;
    }

    static ContainerInfo info(String id) {
        return runtime.listContainers(Map.of()).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static ContainerInfo awaitExit(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> info(id).state() == ContainerState.EXITED);
        return info(id);
    }

    static List<CriLog.Entry> log(String name) throws IOException {
        Path p = dir.resolve("logs").resolve(name + ".log");
        // split on \n alone: a terminal's output keeps its \r in the records
        return Files.exists(p) ? java.util.Arrays.stream(Files.readString(p).split("\n")).filter(l -> !l.isEmpty()).map(CriLog::parse).toList()
                : List.of();
    }

    static void awaitLine(String name, String text) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> log(name).stream().anyMatch(e -> e.text().equals(text)));
    }

    @Test
    void outputBecomesCriRecordsAndExitCodesAreReported() throws Exception {
        String sb = sandbox("logs", "").id();
        String ok = run(sb, "printer", "echo out; echo err >&2; echo $GREETING; exit 0");
        String bad = run(sb, "failer", "exit 3");
        assertThat(awaitExit(ok)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(0, "Completed");
        assertThat(awaitExit(bad)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(3, "Error");
        assertThat(log("printer")).extracting(CriLog.Entry::stream, CriLog.Entry::text).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(CriLog.Stream.STDOUT, "out"),
                org.assertj.core.groups.Tuple.tuple(CriLog.Stream.STDERR, "err"),
                org.assertj.core.groups.Tuple.tuple(CriLog.Stream.STDOUT, "hi"));
        assertThat(info(ok).finishedAt()).isAfterOrEqualTo(info(ok).startedAt());
        assertThat(exits).extracting(ContainerInfo::id).contains(ok, bad);
    }

    @Test
    void memoryLimitOomKillsOneContainerWhileItsSiblingRuns() throws Exception {
        String sb = sandbox("oom", UUID.randomUUID().toString()).id();
        String sibling = run(sb, "sibling", "echo ready; exec sleep 100000");
        awaitLine("sibling", "ready");
        String hog = run(sb, config("hog", List.of("sh", "-c", "x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo $x"),
                new ContainerConfig.Resources(32L * 1024 * 1024, null, null), List.of()));
        assertThat(awaitExit(hog)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(137, "OOMKilled");
        assertThat(info(sibling).state()).isEqualTo(ContainerState.RUNNING);
        runtime.removeSandbox(sb);
        assertThat(runtime.listContainers(Map.of("c", "sibling"))).isEmpty();
    }

    @Test
    void stopWaitsTheTimeoutForATermIgnoringPid1AndNotForOneThatTrapsIt() throws Exception {
        String sb = sandbox("stops", "").id();
        String stubborn = run(sb, "stubborn", "echo ready; while true; do sleep 1; done");
        String polite = run(sb, "polite", "trap 'exit 7' TERM; echo ready; sleep 100000 & wait");
        awaitLine("stubborn", "ready");
        awaitLine("polite", "ready");

        Instant t0 = clock.now();
        CompletableFuture<Void> politeStop = runtime.stopContainer(polite, Duration.ofSeconds(30)).toCompletableFuture();
        politeStop.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.between(t0, clock.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(info(polite)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(7, "Error");

        t0 = clock.now();
        CompletableFuture<Void> first = runtime.stopContainer(stubborn, Duration.ofSeconds(60)).toCompletableFuture();
        CompletableFuture<Void> shorter = runtime.stopContainer(stubborn, Duration.ofSeconds(2)).toCompletableFuture();
        shorter.get(20, java.util.concurrent.TimeUnit.SECONDS);
        Duration took = Duration.between(t0, clock.now());
        first.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
        assertThat(info(stubborn)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(137, "Error");
    }

    @Test
    void containersOfASandboxShareLocalhostHostnameAndVolumes() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("empty-dir"));
        List<Mount> vol = List.of(new Mount(shared.toString(), "/shared", false));
        SandboxInfo sbi = sandbox("web-0", "");
        String listener = run(sbi.id(), config("listener",
                // the line is read by a program on the connection: a plain "nc -l" with stdin at EOF
                // half-closes at once, and a talker that hears that EOF first leaves without sending
                List.of("sh", "-c", "nc -l -p 9000 -e sh -c 'head -n 1 > /shared/got'; hostname > /shared/hostname"),
                ContainerConfig.Resources.NONE, vol));
        String talker = run(sbi.id(), config("talker",
                List.of("sh", "-c", "until echo hello | nc 127.0.0.1 9000; do sleep 0.2; done"),
                ContainerConfig.Resources.NONE, List.of(new Mount(shared.toString(), "/shared", true))));
        assertThat(awaitExit(listener).exitCode()).isZero();
        assertThat(awaitExit(talker).exitCode()).isZero();
        assertThat(Files.readString(shared.resolve("got"))).isEqualTo("hello\n");
        assertThat(Files.readString(shared.resolve("hostname"))).isEqualTo("web-0\n");
        assertThat(sbi.ip()).startsWith("10.237.");
    }

    @Test
    void podAddressIsReachableFromTheHostAndExecRunsInside() throws Exception {
        SandboxInfo sbi = sandbox("reach", "");
        String server = run(sbi.id(), "server", "echo ready; while true; do echo pong | nc -l -p 8080; done");
        awaitLine("server", "ready");
        String answer = Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> readLine(sbi.ip(), 8080), Objects::nonNull);
        assertThat(answer).isEqualTo("pong");

        ExecResult r = runtime.exec(server, List.of("sh", "-c", "cat /etc/hosts; hostname; echo oops >&2; exit 4"),
                Duration.ofSeconds(10)).toCompletableFuture().get();
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output()).contains("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
                .contains(sbi.ip() + "\treach\n").contains("reach\n").contains("oops");
        ExecResult slow = runtime.exec(server, List.of("sleep", "60"), Duration.ofMillis(500)).toCompletableFuture().get();
        assertThat(slow.timedOut()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runtime.exec(server, List.of("pgrep", "-x", "sleep"),
                Duration.ofSeconds(5)).toCompletableFuture().get().exitCode() != 0);
    }

    @Test
    void streamingExecCopiesStdinAndKeepsStreamsApart() throws Exception {
        String sb = sandbox("streams", "").id();
        String id = run(sb, "streamer", "echo ready; exec sleep 100000");
        awaitLine("streamer", "ready");
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        var in = new java.io.ByteArrayInputStream("typed input\n".getBytes(StandardCharsets.UTF_8));
        int code = runtime.execStreaming(id, List.of("sh", "-c", "cat; echo to-err >&2; exit 5"),
                new io.podvisor.runtime.ExecStreams(in, out, err, false)).toCompletableFuture().get(20,
                java.util.concurrent.TimeUnit.SECONDS);
        assertThat(code).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("typed input\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to-err\n");
    }

    /**
     * Types {@code line} into a terminal until {@code expected} shows: input that arrives while the
     * terminal is still being set up may be flushed with it, as on any terminal.
     */
    private static void typeUntil(java.io.OutputStream in, io.podvisor.runtime.testing.GrowingOutput out, String line,
                                  String expected) {
        Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!out.text().contains(expected)) {
                in.write(line.getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            return out.text().contains(expected);
        });
    }

    @Test
    void execWithATerminalHasItsSizeAndResizes() throws Exception {
        String sb = sandbox("execpty", "").id();
        String id = run(sb, "ptyhost", "echo ready; exec sleep 100000");
        awaitLine("ptyhost", "ready");
        var out = new io.podvisor.runtime.testing.GrowingOutput();
        var in = new java.io.PipedOutputStream();
        var sizes = new io.podvisor.core.TerminalSizes();
        sizes.resize(new io.podvisor.core.TerminalSizes.Size(101, 33));
        var exit = runtime.execStreaming(id, List.of("sh"), new io.podvisor.runtime.ExecStreams(
                new java.io.PipedInputStream(in), out, null, true, sizes)).toCompletableFuture();
        typeUntil(in, out, "tty; stty size\n", "33 101");
        assertThat(out.text()).as("a terminal's line ends").contains("33 101\r\n");
        assertThat(out.text()).contains("/dev/pts/");
        sizes.resize(new io.podvisor.core.TerminalSizes.Size(77, 20));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            in.write("stty size\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            return out.text().contains("20 77");
        });
        in.write("exit 3\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(exit.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aContainerWithATerminalTakesAttachedInputAndLogsItsOutput() throws Exception {
        String sb = sandbox("ctrpty", "").id();
        String id = run(sb, config("ttysh", List.of("sh"), ContainerConfig.Resources.NONE, List.of())
                .withStdio(new ContainerConfig.Stdio(true, false, true)));
        var out = new io.podvisor.runtime.testing.GrowingOutput();
        var in = new java.io.PipedOutputStream();
        var sizes = new io.podvisor.core.TerminalSizes();
        sizes.resize(new io.podvisor.core.TerminalSizes.Size(90, 25));
        var attached = runtime.attach(id, new io.podvisor.runtime.ExecStreams(new java.io.PipedInputStream(in), out,
                null, true, sizes)).toCompletableFuture();
        typeUntil(in, out, "echo $((6*7)); stty size\n", "25 90");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> out.text().contains("42\r\n"));
        assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
        in.write("exit 4\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        attached.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(awaitExit(id).exitCode()).isEqualTo(4);
        assertThat(log("ttysh")).anyMatch(e -> e.stream() == CriLog.Stream.STDOUT && e.text().startsWith("42"));
    }

    @Test
    void stdinOnceClosesTheContainersStdinWhenTheFirstClientsInputEnds() throws Exception {
        String sb = sandbox("stdinonce", "").id();
        String id = run(sb, config("catter", List.of("sh", "-c", "cat; echo cat-ended"), ContainerConfig.Resources.NONE,
                List.of()).withStdio(new ContainerConfig.Stdio(true, true, false)));
        var out = new io.podvisor.runtime.testing.GrowingOutput();
        var attached = runtime.attach(id, new io.podvisor.runtime.ExecStreams(
                new java.io.ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8)), out, out, false))
                .toCompletableFuture();
        attached.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(out.text()).isEqualTo("hi\ncat-ended\n");
        assertThat(awaitExit(id).exitCode()).isZero();
    }

    @Test
    void aContainerWithoutStdinSeesEndOfFile() throws Exception {
        String sb = sandbox("nostdin", "").id();
        String id = run(sb, "nocat", "cat; echo after-cat");
        assertThat(awaitExit(id).exitCode()).isZero();
        assertThat(log("nocat")).extracting(CriLog.Entry::text).containsExactly("after-cat");
    }

    @Test
    void hostNetworkSandboxesShareTheHostsNetworkAndHostname() throws Exception {
        SandboxInfo sbi = runtime.runSandbox(new SandboxConfig("hostnet", "hostnet", true, Map.of("pod", "hostnet"),
                Map.of(), dir.resolve("logs").toString()));
        assertThat(sbi.ip()).isEqualTo("127.0.0.1");
        String id = run(sbi.id(), "hostnet", "hostname; readlink /proc/1/ns/net; echo done");
        awaitExit(id);
        awaitLine("hostnet", "done");
        String hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertThat(log("hostnet")).extracting(CriLog.Entry::text).containsExactly(hostHostname, hostNet, "done");
    }

    static String readLine(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 1000);
            s.setSoTimeout(2000);
            String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return line.isEmpty() ? null : line;
        }
    }

    @Test
    void aMissingExecutableIsAStartError() throws Exception {
        String sb = sandbox("broken", "").id();
        String id = runtime.createContainer(sb, config("nosuch", List.of("nosuch"), ContainerConfig.Resources.NONE, List.of()));
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("exec: \"nosuch\": executable file not found in $PATH");
        assertThat(info(id)).extracting(ContainerInfo::state, ContainerInfo::exitCode, ContainerInfo::reason)
                .containsExactly(ContainerState.EXITED, 128, "StartError");
        assertThat(log("nosuch")).isEmpty();
        assertThat(exits).extracting(ContainerInfo::id).doesNotContain(id);
        assertThatThrownBy(() -> runtime.images().remove("busybox")).as("the container's overlay uses the image")
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("in use");
        assertThat(runtime.images().status("busybox")).isPresent();
    }

    @Test
    void aMissingImageIsARuntimeFailure() throws Exception {
        String sb = sandbox("noimage", "").id();
        ContainerConfig c = new ContainerConfig("x", 0, "registry.example/none:1", List.of(), List.of(), Map.of(), "",
                "", ContainerConfig.Resources.NONE, Map.of(), Map.of());
        assertThatThrownBy(() -> runtime.createContainer(sb, c)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("registry.example/none:1");
    }

    @Test
    void removeSandboxLeavesNothingOfIt() throws Exception {
        SandboxInfo sbi = sandbox("gone", "uid-gone");
        String id = run(sbi.id(), "sleeper", "exec sleep 100000");
        Path sandboxDir = runtime.options().stateDir().resolve("sandboxes").resolve(sbi.id());
        Path bundle = runtime.options().stateDir().resolve("containers").resolve(id);
        // nothing of a pod is mounted on the host but its network namespace: the IPC and UTS namespaces
        // are held by the JVM's descriptors, the root overlay is mounted in the container's namespace only
        assertThat(Mounts.under(sandboxDir)).isEmpty();
        assertThat(Mounts.under(bundle)).isEmpty();
        String inside = runtime.exec(id, List.of("sh", "-c", "readlink /proc/self/ns/ipc; grep ' / / ' /proc/self/mountinfo"),
                Duration.ofSeconds(10)).toCompletableFuture().get().output();
        String ipc = inside.lines().findFirst().orElseThrow();
        assertThat(inside).contains(" - overlay overlay ").contains("lowerdir=" + bundle.resolve("lower"));
        assertThat(heldByThisJvm()).contains(ipc);
        runtime.removeSandbox(sbi.id());
        assertThat(heldByThisJvm()).doesNotContain(ipc);
        assertThat(runtime.listContainers(Map.of("c", "sleeper"))).isEmpty();
        assertThat(runtime.listSandboxes(Map.of("pod", "gone"))).isEmpty();
        assertThat(Mounts.under(sandboxDir)).isEmpty();
        assertThat(Mounts.under(bundle)).isEmpty();
        assertThat(sandboxDir).doesNotExist();
        assertThat(bundle).doesNotExist();
        assertThat(Path.of("/run/netns", runtime.options().networkPrefix() + "-" + sbi.id())).doesNotExist();
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory", runtime.options().name(), "besteffort", "poduid-gone")))
                .isFalse();
    }

    @Test
    void aSandboxWhoseSetupFailsLeavesNothingOfIt() throws Exception {
        // the pod cgroup is refused on the second thread while the network is attached on the first
        Path sandboxes = runtime.options().stateDir().resolve("sandboxes");
        List<String> heldBefore = heldByThisJvm();
        List<String> dirsBefore = children(sandboxes);
        List<String> hostBefore = RuncHost.leftovers(runtime.options());

        assertThatThrownBy(() -> sandbox("refused", "bad/uid")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("bad pod uid");

        assertThat(runtime.listSandboxes(Map.of("pod", "refused"))).isEmpty();
        assertThat(children(sandboxes)).isEqualTo(dirsBefore);
        assertThat(RuncHost.leftovers(runtime.options())).isEqualTo(hostBefore); // its netns and veth are gone
        assertThat(heldByThisJvm()).containsExactlyInAnyOrderElementsOf(heldBefore); // no namespace of it stays open
    }

    private static List<String> children(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The namespaces this JVM holds open descriptors of, as {@code ipc:[4026532179]}. */
    private static List<String> heldByThisJvm() throws java.io.IOException {
        List<String> held = new java.util.ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.matches("(ipc|uts|net):\\[\\d+\\]")) {
                        held.add(target);
                    }
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
        }
        return held;
    }
}
