package io.podvisor.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import io.podvisor.runtime.ShellRuntimeContract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The runtime contract on the {@link ProcessRuntime} (as root: with cgroups), plus what only the
 * process runtime does: its refusals, process groups, the host environment and cleanup.
 */
class ProcessRuntimeContractTest extends ShellRuntimeContract {

    private final String instance = "pvproc" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected ContainerRuntime newRuntime() throws RuntimeFailure {
        return ProcessRuntime.start(new ProcessRuntime.Options(instance, dir.resolve("state"), true), clock());
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1";
    }

    private ProcessRuntime process() {
        return (ProcessRuntime) runtime;
    }

    private ContainerConfig config(List<String> command, List<Mount> mounts, SecurityConfig security) {
        return new ContainerConfig("c", 0, "ignored", command, List.of(), Map.of(), "", "", ContainerConfig.Resources.NONE,
                Map.of(), Map.of(), mounts, security);
    }

    private void assertRefused(ContainerConfig c, String message) throws RuntimeFailure {
        String sb = sandbox("p");
        assertThatThrownBy(() -> runtime.createContainer(sb, c)).isInstanceOfSatisfying(RuntimeFailure.class,
                f -> assertThat(f.isConfigError()).isTrue()).hasMessage(message);
        assertThat(runtime.listContainers(Map.of())).isEmpty();
    }

    @Test
    void refusesWhatAHostProcessCannotHave() throws Exception {
        List<String> sh = List.of("sh");
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assertRefused(config(List.of(), List.of(), null),
                "the process runtime needs a command: the image's entrypoint is not available");
        assertRefused(config(sh, List.of(new Mount("/tmp", "/data", false)), null),
                "volume mounts are not supported by the process runtime (mount at /data)");
        assertRefused(config(sh, List.of(), new SecurityConfig(uid + 1, null, false, false, List.of(), List.of())),
                "runAsUser " + (uid + 1) + " is not supported by the process runtime (its containers run as uid " + uid + ")");
        assertRefused(config(sh, List.of(), new SecurityConfig(null, null, false, true, List.of(), List.of())),
                "privileged containers are not supported by the process runtime");
        assertRefused(config(sh, List.of(), new SecurityConfig(null, null, true, false, List.of(), List.of())),
                "readOnlyRootFilesystem is not supported by the process runtime (its containers see the host's filesystem)");
        assertRefused(config(sh, List.of(), new SecurityConfig(null, null, false, false, List.of("NET_ADMIN"), List.of())),
                "adding capabilities is not supported by the process runtime (add NET_ADMIN)");
    }

    @Test
    void acceptsTheCurrentUserAMountOntoItselfAndArgsWithoutCommand() throws Exception {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        String sb = sandbox("p");
        String tmp = dir.toString();
        ContainerConfig c = new ContainerConfig("c", 0, "ignored", List.of(), List.of("sh", "-c", "exit 5"), Map.of(),
                "", "", ContainerConfig.Resources.NONE, Map.of(), Map.of(), List.of(new Mount(tmp, tmp, false)),
                new SecurityConfig(uid, null, false, false, List.of(), List.of("ALL")));
        String id = runtime.createContainer(sb, c);
        runtime.startContainer(id);
        assertThat(awaitExit(id).exitCode()).isEqualTo(5);
    }

    @Test
    void anAttachedClientsInputReachesAnOpenStdinWhichStdinOnceClosesAfterIt() throws Exception {
        String sb = sandbox("p");
        String id = runtime.createContainer(sb, new ContainerConfig("c", 0, "x", List.of("sh", "-c", "cat; echo cat-ended"),
                List.of(), Map.of(), "", "", ContainerConfig.Resources.NONE, Map.of(), Map.of())
                .withStdio(new ContainerConfig.Stdio(true, true, false)));
        runtime.startContainer(id);
        var out = new io.podvisor.runtime.testing.GrowingOutput();
        runtime.attach(id, new io.podvisor.runtime.ExecStreams(
                new java.io.ByteArrayInputStream("hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, out,
                false)).toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(out.text()).isEqualTo("hi\ncat-ended\n");
        assertThat(awaitExit(id).exitCode()).isZero();
    }

    @Test
    void theEnvironmentIsExactlyTheContainersPlusThePath() throws Exception {
        Behaviour b = new Behaviour(uniqueName("env"), List.of("env"));
        String sb = sandbox("p");
        String id = runtime.createContainer(sb, new ContainerConfig(b.name(), 0, "x", b.command(), List.of(),
                Map.of("GREETING", "hello"), "", logOf(b).toString(), ContainerConfig.Resources.NONE, Map.of(), Map.of()));
        runtime.startContainer(id);
        awaitExit(id);
        List<String> vars = logLines(b).stream().map(Line::text).map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(vars).containsExactlyInAnyOrder("GREETING", "PATH");
    }

    @Test
    void theDefaultWorkingDirectoryIsAnEmptyDirectoryOfTheContainersOwn() throws Exception {
        Behaviour b = new Behaviour(uniqueName("pwd"), sh("pwd; ls -A | wc -l"));
        String id = run(sandbox("p"), b);
        awaitExit(id);
        awaitUntil(Duration.ofSeconds(5), () -> logLines(b).size() == 2);
        assertThat(logLines(b).get(0).text()).isEqualTo(dir.resolve("state/containers").resolve(id).toString());
        assertThat(logLines(b).get(1).text().strip()).isEqualTo("0");
        runtime.removeContainer(id);
        assertThat(dir.resolve("state/containers").resolve(id)).doesNotExist();
    }

    @Test
    void aMemoryLimitIsEnforcedAndAnOomKillReported() throws Exception {
        assumeTrue(process().usesCgroups(), "needs writable cgroups (root)");
        Behaviour b = new Behaviour(uniqueName("hog"), sh("a=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived"),
                new ContainerConfig.Resources(32L * 1024 * 1024, null, null));
        String id = run(sandbox("p"), b);
        ContainerInfo done = awaitExit(id);
        assertThat(done).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(137, "OOMKilled");
    }

    @Test
    void aBackgroundGrandchildIsKilledWithItsContainerEvenWithoutCgroups() throws Exception {
        ProcessRuntime plain = new ProcessRuntime(new ProcessRuntime.Options(instance + "n", dir.resolve("plain"), false),
                clock());
        try {
            assertThat(plain.usesCgroups()).isFalse();
            Path pidFile = dir.resolve("grandchild.pid");
            String sb = plain.runSandbox(sandboxConfig("p", Map.of())).id();
            String id = plain.createContainer(sb, new ContainerConfig("c", 0, "x",
                    sh("( trap '' TERM; exec sleep 100000 ) & echo $! > \"$1\"; exec sleep 100000", pidFile), List.of(),
                    Map.of(), "", "", ContainerConfig.Resources.NONE, Map.of(), Map.of()));
            plain.startContainer(id);
            awaitUntil(Duration.ofSeconds(10), () -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            long grandchild = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive)).contains(true);
            CompletableFuture<Void> stopped = plain.stopContainer(id, Duration.ofSeconds(10)).toCompletableFuture();
            awaitUntil(Duration.ofSeconds(20), stopped::isDone);
            assertThat(plain.listContainers(Map.of()).getFirst().exitCode()).isEqualTo(143);
            awaitUntil(Duration.ofSeconds(10), () -> ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)
                    == Boolean.FALSE);
        } finally {
            plain.shutdown();
        }
    }

    @Test
    void execTimesOutAndStreamsInput() throws Exception {
        String id = runReady(sandbox("p"), runsUntilStopped());
        CompletableFuture<ExecResult> slow = runtime.exec(id, List.of("sleep", "100"), Duration.ofMillis(300))
                .toCompletableFuture();
        awaitUntil(Duration.ofSeconds(10), slow::isDone);
        assertThat(slow.join().timedOut()).isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var in = new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Integer> code = runtime.execStreaming(id, sh("cat; echo oops >&2; exit 4"),
                new ExecStreams(in, out, err, false)).toCompletableFuture();
        awaitUntil(Duration.ofSeconds(10), code::isDone);
        assertThat(code.join()).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("typed\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");

        ExecResult missing = runtime.exec(id, List.of("no-such-command-here"), Duration.ofSeconds(5))
                .toCompletableFuture().join();
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.output()).contains("executable file not found in $PATH");
    }

    @Test
    void nothingOfTheRuntimeRemainsAfterShutdown() throws Exception {
        String sb = sandbox("p");
        Path pids = dir.resolve("pids");
        Files.createDirectories(pids);
        for (int i = 0; i < 3; i++) {
            runReady(sb, new Behaviour(uniqueName("left"),
                    sh("trap '' TERM; sleep 100000 & echo $$ $! > \"$1\"/" + i + "; echo ready; wait", pids)));
        }
        List<Long> all = new java.util.ArrayList<>();
        for (Path f : Files.list(pids).toList()) {
            for (String p : Files.readString(f).strip().split(" ")) {
                all.add(Long.parseLong(p));
            }
        }
        assertThat(all).hasSize(6);
        runtime.shutdown();
        awaitUntil(Duration.ofSeconds(10), () -> all.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive)
                .orElse(false)));
        assertThat(dir.resolve("state/containers")).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/memory", instance)).doesNotExist();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList())
                .doesNotContainAnyElementsOf(all);
        assertThat(runtime.listContainers(Map.of())).isEmpty();
    }
}
