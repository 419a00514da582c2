package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.testing.CliRun;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.HostInstances;
import java.io.IOException;
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
 * every one of them, and its temporary data dir, before it starts its own. The same for the
 * process runtime's containers (host processes in the run's cgroups).
 */
class KilledRunLeftoversTest {

    @TempDir
    Path tmp;

    @Test
    void theNextRunRemovesEverythingOfARunKilledWithSigkill() throws Exception {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        Killed killed = runAndKill(TwoNodesOneHostTest.POD, "runc");
        assertThat(InstanceObjects.of(killed.entry())).as("what the killed run left")
                .anyMatch(o -> o.startsWith("runc container ")).anyMatch(o -> o.startsWith("process "))
                .anyMatch(o -> o.startsWith("cgroup ")).anyMatch(o -> o.startsWith("mount tmpfs "))
                .anyMatch(o -> o.startsWith("netns ")).anyMatch(o -> o.startsWith("link "))
                .anyMatch(o -> o.startsWith("route ")).anyMatch(o -> o.startsWith("record "))
                .anyMatch(o -> o.startsWith("data dir "));

        CliRun.Output next = CliRun.run("run", Files.writeString(tmp.resolve("next.yaml"),
                TwoNodesOneHostTest.POD.formatted("next")).toString(), "--runtime", "runc", "--timeout", "2m");

        assertThat(next.code()).as(next.out() + next.err()).isZero();
        assertThat(next.out()).containsPattern("pod/next 1/1 Running");
        assertNothingLeftOf(killed);
    }

    @Test
    void theNextRunRemovesEverythingOfAProcessRuntimeRunKilledWithSigkill() throws Exception {
        assumeTrue(HostCommand.runningAsRoot() && Cgroups.detect("podvisor-probe").writable(), "needs root and cgroups");
        Killed killed = runAndKill(TwoNodesOneHostTest.SLEEPER, "process");
        assertThat(InstanceObjects.of(killed.entry())).as("what the killed run left")
                .anyMatch(o -> o.startsWith("cgroup ")).anyMatch(o -> o.startsWith("process "))
                .anyMatch(o -> o.startsWith("record ")).anyMatch(o -> o.startsWith("data dir "));

        CliRun.Output next = CliRun.run("run", Files.writeString(tmp.resolve("next.yaml"),
                TwoNodesOneHostTest.SLEEPER.formatted("next")).toString(), "--runtime", "process", "--timeout", "1m");

        assertThat(next.code()).as(next.out() + next.err()).isZero();
        assertNothingLeftOf(killed);
    }

    /** A run's registry entry and the processes in its cgroups when it was killed. */
    record Killed(HostInstances.Entry entry, List<Long> processes) {}

    /**
     * {@code podvisor run} of pod {@code template} named "killed" on {@code runtime} as a child
     * process, killed with SIGKILL once the pod runs.
     */
    private Killed runAndKill(String template, String runtime) throws Exception {
        Path file = Files.writeString(tmp.resolve("killed.yaml"), template.formatted("killed"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process run = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.podvisor.cli.Main", "run", file.toString(),
                "--runtime", runtime, "--until", "10m").redirectErrorStream(true).start();
        try {
            List<String> output = ChildLines.until(run, l -> l.matches(".*pod/killed 1/1 Running.*"), Duration.ofSeconds(120));
            assertThat(output).as("run output").anyMatch(l -> l.matches(".*pod/killed 1/1 Running.*"));
            HostInstances.Entry entry = InstanceObjects.entryOf(run.pid()).orElseThrow();
            List<Long> processes = InstanceObjects.processes(entry.name());
            assertThat(processes).as("the run's container processes").isNotEmpty();
            return new Killed(entry, processes);
        } finally {
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void assertNothingLeftOf(Killed killed) throws IOException {
        assertThat(InstanceObjects.of(killed.entry())).as("left of the killed run after the next one").isEmpty();
        assertThat(killed.processes()).as("the killed run's container processes")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
