package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.testing.CliRun;
import io.podvisor.runtime.linux.HostInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code podvisor run} (a process of its own, on a temporary data dir, a pod with a memory-backed
 * emptyDir running) killed with -9 leaves its containers, processes, cgroups, tmpfs, network
 * namespace, veth, bridge, route and runc state on the host; the next {@code podvisor run} removes
 * every one of them, and its temporary data dir, before it starts its own.
 */
class KilledRunLeftoversTest {

    @TempDir
    Path tmp;

    @Test
    void theNextRunRemovesEverythingOfARunKilledWithSigkill() throws Exception {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        Path leaky = Files.writeString(tmp.resolve("leaky.yaml"), TwoNodesOneHostTest.POD.formatted("leaky"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process run = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.podvisor.cli.Main", "run", leaky.toString(),
                "--runtime", "runc", "--until", "10m").redirectErrorStream(true).start();
        HostInstances.Entry killed;
        List<String> before;
        List<Long> containerProcesses;
        try {
            List<String> output = ChildLines.until(run, l -> l.matches(".*pod/leaky 1/1 Running.*"), Duration.ofSeconds(120));
            assertThat(output).as("run output").anyMatch(l -> l.matches(".*pod/leaky 1/1 Running.*"));
            killed = InstanceObjects.entryOf(run.pid()).orElseThrow();
            containerProcesses = InstanceObjects.processes(killed.name());
        } finally {
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        before = InstanceObjects.of(killed);
        assertThat(before).as("what the killed run left").anyMatch(o -> o.startsWith("runc container "))
                .anyMatch(o -> o.startsWith("process ")).anyMatch(o -> o.startsWith("cgroup "))
                .anyMatch(o -> o.startsWith("mount tmpfs ")).anyMatch(o -> o.startsWith("netns "))
                .anyMatch(o -> o.startsWith("link ")).anyMatch(o -> o.startsWith("route "))
                .anyMatch(o -> o.startsWith("record ")).anyMatch(o -> o.startsWith("data dir "));
        assertThat(containerProcesses).isNotEmpty();

        CliRun.Output next = CliRun.run("run", Files.writeString(tmp.resolve("next.yaml"), TwoNodesOneHostTest.POD.formatted("next")).toString(),
                "--runtime", "runc", "--timeout", "2m");

        assertThat(next.code()).as(next.out() + next.err()).isZero();
        assertThat(next.out()).containsPattern("pod/next 1/1 Running");
        assertThat(InstanceObjects.of(killed)).as("left of the killed run after the next one").isEmpty();
        assertThat(containerProcesses).as("the killed run's container processes")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
