package io.podvisor.runtime.fake;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.core.FakeClock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FakeRuntimeTest {

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRuntime rt = new FakeRuntime(clock);

    String sandbox() {
        return rt.runSandbox(new SandboxConfig("p", "p", false, Map.of("pod", "p"), Map.of(), "logs")).id();
    }

    String run(String sb, String name) throws RuntimeFailure {
        String id = rt.createContainer(sb, new ContainerConfig(name, 0, "busybox", List.of("sh"), List.of(), Map.of(),
                "", "", ContainerConfig.Resources.NONE, Map.of("c", name), Map.of()));
        rt.startContainer(id);
        return id;
    }

    ContainerInfo info(String id) {
        return rt.listContainers(Map.of()).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void scriptedExitHappensAtItsVirtualTime() throws Exception {
        rt.script("app", script().exitAfter(Duration.ofSeconds(10), 3));
        String id = run(sandbox(), "app");
        clock.advance(Duration.ofSeconds(9));
        assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(info(id)).extracting(ContainerInfo::state, ContainerInfo::exitCode, ContainerInfo::reason)
                .containsExactly(ContainerState.EXITED, 3, "Error");
    }

    @Test
    void sigtermIgnoredMeansSigkillAfterTimeoutWith137() throws Exception {
        rt.script("side", script().ignoreSigterm());
        String id = run(sandbox(), "side");
        CompletableFuture<Void> stopped = rt.stopContainer(id, Duration.ofSeconds(30)).toCompletableFuture();
        clock.advance(Duration.ofSeconds(29));
        assertThat(stopped).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(stopped).isDone();
        assertThat(info(id).exitCode()).isEqualTo(137);
        assertThat(rt.log()).anyMatch(l -> l.endsWith("SIGKILL side"));
    }

    @Test
    void defaultSigtermDeathIs143AndHandlerExitUsesItsCode() throws Exception {
        String sb = sandbox();
        String a = run(sb, "a");
        rt.script("b", script().exitOnSigterm(Duration.ofSeconds(2), 0));
        String b = run(sb, "b");
        rt.stopContainer(a, Duration.ofSeconds(30));
        rt.stopContainer(b, Duration.ofSeconds(30));
        assertThat(info(a).exitCode()).isEqualTo(143);
        clock.advance(Duration.ofSeconds(2));
        assertThat(info(b)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(0, "Completed");
    }

    @Test
    void oomKillIsReportedAsOomKilled137() throws Exception {
        rt.script("hog", script().oomKilledAfter(Duration.ofSeconds(1)));
        String id = run(sandbox(), "hog");
        clock.advance(Duration.ofSeconds(1));
        assertThat(info(id)).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(137, "OOMKilled");
    }

    @Test
    void failedStartLeavesStartError128() {
        rt.script("bad", script().failToStart("exec: \"nope\": executable file not found in $PATH"));
        String sb = sandbox();
        assertThatThrownBy(() -> run(sb, "bad")).isInstanceOf(RuntimeFailure.class).hasMessageContaining("executable file not found");
        ContainerInfo c = rt.listContainers(Map.of()).getFirst();
        assertThat(c).extracting(ContainerInfo::exitCode, ContainerInfo::reason).containsExactly(128, "StartError");
    }

    @Test
    void execAndNetworkAnswerByTimeSinceStart() throws Exception {
        rt.script("web", script()
                .exec(List.of("cat", "/tmp/healthy"), t -> t.getSeconds() < 15 ? ExecResult.exited(0, "") : ExecResult.exited(1, "gone"))
                .http(8080, (path, t) -> t.getSeconds() < 10 ? 200 : 500));
        String sb = sandbox();
        String id = run(sb, "web");
        String ip = rt.listSandboxes(Map.of()).getFirst().ip();
        assertThat(rt.exec(id, List.of("cat", "/tmp/healthy"), Duration.ofSeconds(1)).toCompletableFuture().join().exitCode()).isZero();
        assertThat(rt.network().httpGet("HTTP", ip, 8080, "/healthz", Map.of(), Duration.ofSeconds(1)).toCompletableFuture().join().status()).isEqualTo(200);
        assertThat(rt.network().tcpConnect(ip, 9090, Duration.ofSeconds(1)).toCompletableFuture().join().error())
                .isEqualTo("dial tcp " + ip + ":9090: connect: connection refused");
        clock.advance(Duration.ofSeconds(15));
        assertThat(rt.exec(id, List.of("cat", "/tmp/healthy"), Duration.ofSeconds(1)).toCompletableFuture().join().output()).isEqualTo("gone");
        assertThat(rt.network().httpGet("HTTP", ip, 8080, "/healthz", Map.of(), Duration.ofSeconds(1)).toCompletableFuture().join().status()).isEqualTo(500);
    }

    @Test
    void slowExecTimesOut() throws Exception {
        rt.script("app", script().exec(List.of("sleep"), Duration.ofSeconds(10), (t, c) -> ExecResult.exited(0, "")));
        String id = run(sandbox(), "app");
        var f = rt.exec(id, List.of("sleep", "10"), Duration.ofSeconds(1)).toCompletableFuture();
        assertThat(f).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(f.join().timedOut()).isTrue();
    }

    @Test
    void stoppingASandboxKillsItsContainersAndLabelsFilterListings() throws Exception {
        String sb = sandbox();
        String id = run(sb, "app");
        assertThat(rt.listContainers(Map.of("c", "app"))).hasSize(1);
        assertThat(rt.listContainers(Map.of("c", "other"))).isEmpty();
        rt.stopSandbox(sb);
        assertThat(info(id).exitCode()).isEqualTo(137);
        assertThat(rt.listSandboxes(Map.of()).getFirst().ready()).isFalse();
        rt.removeSandbox(sb);
        assertThat(rt.listContainers(Map.of())).isEmpty();
    }

    @Test
    void scriptedOutputIsWrittenToTheLogFileInCriFormatAtItsVirtualTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        rt.script("app", script().stdout(Duration.ZERO, "hello").stderr(Duration.ofMillis(1500), "oops")
                .stdout(Duration.ofSeconds(20), "never").exitAfter(Duration.ofSeconds(10), 0));
        java.nio.file.Path log = dir.resolve("ns_p_uid/app/0.log");
        String id = rt.createContainer(sandbox(), new ContainerConfig("app", 0, "busybox", List.of(), List.of(), Map.of(),
                "", log.toString(), ContainerConfig.Resources.NONE, Map.of(), Map.of()));
        rt.startContainer(id);
        assertThat(java.nio.file.Files.readString(log)).isEqualTo("2026-01-01T00:00:00Z stdout F hello\n");
        clock.advance(Duration.ofSeconds(30));
        assertThat(java.nio.file.Files.readAllLines(log)).containsExactly(
                "2026-01-01T00:00:00Z stdout F hello", "2026-01-01T00:00:01.5Z stderr F oops");
    }

    @Test
    void reportsItsVersion() {
        assertThat(rt.version()).isEqualTo("fake://0.1.0");
    }

    @Test
    void scriptedUsageGrowsCpuAtItsRateAndFollowsTheMemoryScriptUntilExit() throws Exception {
        rt.script("busy", script().cpu(250).memory(t -> t.getSeconds() < 30 ? 10L << 20 : 40L << 20).pageCache(1 << 20)
                .exitAfter(Duration.ofMinutes(2), 0));
        String sb = sandbox();
        String id = run(sb, "busy");
        run(sb, "idle");

        clock.advance(Duration.ofSeconds(20));
        var early = rt.containerStats(id).orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        var later = rt.containerStats(id).orElseThrow();

        assertThat(early.timestamp()).isEqualTo(clock.now().minusSeconds(20));
        assertThat(early.cpuUsageCoreNanoSeconds()).isEqualTo(5_000_000_000L); // 0.25 core × 20 s
        assertThat(later.cpuUsageCoreNanoSeconds()).isEqualTo(10_000_000_000L);
        assertThat(early.memoryWorkingSetBytes()).isEqualTo(10L << 20);
        assertThat(later.memoryWorkingSetBytes()).isEqualTo(40L << 20);
        assertThat(later.memoryUsageBytes()).isEqualTo((40L << 20) + (1 << 20));
        assertThat(rt.podSandboxStats(sb).orElseThrow().memoryWorkingSetBytes()).isEqualTo(40L << 20);
        assertThat(rt.nodeStats().orElseThrow().cpuUsageCoreNanoSeconds()).isEqualTo(10_000_000_000L);

        clock.advance(Duration.ofMinutes(2));
        assertThat(rt.containerStats(id)).isEmpty();
        assertThat(rt.containerStats("nope")).isEmpty();
    }
}
