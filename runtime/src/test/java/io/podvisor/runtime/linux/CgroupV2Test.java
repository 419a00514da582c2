package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig.PodResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cgroup v2 against a directory tree that imitates cgroupfs's files. */
class CgroupV2Test {

    @TempDir
    Path root;

    private CgroupV2 cg;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "");
        cg = new CgroupV2("pvtest", root);
    }

    private String read(String rel) throws IOException {
        return Files.readString(root.resolve(rel)).strip();
    }

    @Test
    void burstablePodEnablesControllersAtEveryLevelAndWritesItsTotals() throws Exception {
        String pod = cg.createPod("u-1", new PodResources("Burstable", 256L << 20, 1500L, 250L, 100L));

        assertThat(pod).isEqualTo("/pvtest/burstable/podu-1");
        assertThat(read("cgroup.subtree_control")).isEqualTo("+memory +cpu +pids");
        assertThat(read("pvtest/cgroup.subtree_control")).isEqualTo("+memory +cpu +pids");
        assertThat(read("pvtest/burstable/cgroup.subtree_control")).isEqualTo("+memory +cpu +pids");
        assertThat(read("pvtest/burstable/podu-1/cgroup.subtree_control")).isEqualTo("+memory +cpu +pids");
        assertThat(read("pvtest/burstable/podu-1/memory.max")).isEqualTo(Long.toString(256L << 20));
        assertThat(read("pvtest/burstable/podu-1/cpu.max")).isEqualTo("150000 100000");
        assertThat(read("pvtest/burstable/podu-1/cpu.weight")).isEqualTo(Long.toString(Cgroups.weightFromShares(256)));
        assertThat(read("pvtest/burstable/podu-1/pids.max")).isEqualTo("100");
    }

    @Test
    void guaranteedPodsSitDirectlyUnderTheNameAndBestEffortOnesGetMinimalWeight() throws Exception {
        assertThat(cg.createPod("g", new PodResources("Guaranteed", 1L << 20, 100L, 100L, null)))
                .isEqualTo("/pvtest/podg");
        assertThat(cg.createPod("b", PodResources.BEST_EFFORT)).isEqualTo("/pvtest/besteffort/podb");
        assertThat(read("pvtest/besteffort/podb/cpu.weight")).isEqualTo("1");
        assertThat(root.resolve("pvtest/besteffort/podb/memory.max")).doesNotExist();
        assertThat(root.resolve("pvtest/besteffort/podb/cpu.max")).doesNotExist();
        assertThat(root.resolve("pvtest/besteffort/podb/pids.max")).doesNotExist();
    }

    @Test
    void containerGetsItsLimitsAndProcessesButNoSubtreeControl() throws Exception {
        String pod = cg.createPod("p", new PodResources("Burstable", null, null, 100L, null));
        String c = cg.createContainer(pod, "app", new ContainerConfig.Resources(32L << 20, 500L, 100L));
        cg.addProcess(c, 4242);

        assertThat(c).isEqualTo("/pvtest/burstable/podp/app");
        assertThat(read("pvtest/burstable/podp/app/memory.max")).isEqualTo(Long.toString(32L << 20));
        assertThat(read("pvtest/burstable/podp/app/cpu.max")).isEqualTo("50000 100000");
        assertThat(read("pvtest/burstable/podp/app/cpu.weight")).isEqualTo(Long.toString(Cgroups.weightFromShares(102)));
        assertThat(read("pvtest/burstable/podp/app/cgroup.procs")).isEqualTo("4242");
        assertThat(root.resolve("pvtest/burstable/podp/app/cgroup.subtree_control")).doesNotExist();
    }

    @Test
    void onlyControllersTheParentOffersAreEnabledOrWritten() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "memory pids\n");
        String pod = cg.createPod("p", new PodResources("Burstable", 1L << 20, 100L, 100L, null));
        assertThat(read("pvtest/cgroup.subtree_control")).isEqualTo("+memory +pids");
        assertThat(root.resolve("pvtest/burstable/podp/cpu.max")).doesNotExist();
        assertThat(root.resolve(pod.substring(1)).resolve("memory.max")).exists();
    }

    @Test
    void oomKillsComeFromMemoryEventsAndAreZeroWhenGone() throws Exception {
        String pod = cg.createPod("p", PodResources.BEST_EFFORT);
        String c = cg.createContainer(pod, "app", ContainerConfig.Resources.NONE);
        Files.writeString(root.resolve(c.substring(1)).resolve("memory.events"),
                "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\noom_group_kill 0\n");
        assertThat(cg.oomKills(c)).isEqualTo(2);
        assertThat(cg.oomKills(pod + "/other")).isZero();
    }

    @Test
    void removeKillsListedProcessesWithoutCgroupKillAndDeletesDeepestFirst() throws Exception {
        String pod = cg.createPod("p", PodResources.BEST_EFFORT);
        String c = cg.createContainer(pod, "app", ContainerConfig.Resources.NONE);
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        try {
            cg.addProcess(c, sleeper.pid());
            cg.remove(pod);
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(137);
        } finally {
            sleeper.destroyForcibly();
        }
        assertThat(root.resolve("pvtest/besteffort/podp")).doesNotExist();
        assertThat(root.resolve("pvtest/besteffort")).exists();
        cg.removeAll();
        assertThat(root.resolve("pvtest")).doesNotExist();
        cg.remove(pod); // idempotent
        assertThat(cg.oomKills(c)).isZero();
    }

    @Test
    void refusesPathsOutsideItsOwnTree() throws Exception {
        Files.createDirectories(root.resolve("other/x"));
        cg.remove("/other/x");
        cg.remove("/pvtest/../other/x");
        assertThat(root.resolve("other/x")).exists();
        assertThatThrownBy(() -> cg.addProcess("/other/x", 1)).isInstanceOf(RuntimeFailure.class);
        assertThatThrownBy(() -> cg.createPod("../x", PodResources.BEST_EFFORT)).isInstanceOf(RuntimeFailure.class);
    }

    @Test
    void ownCgroupIsTheUnifiedLine() throws Exception {
        Files.createDirectories(root.resolve("system.slice/x.service"));
        Files.writeString(root.resolve("system.slice/x.service/cgroup.procs"), "");

        assertThat(cg.ownProcs(java.util.List.of("0::/system.slice/x.service")))
                .isEqualTo(root.resolve("system.slice/x.service/cgroup.procs"));
        assertThat(cg.ownProcs(java.util.List.of("0::/gone"))).isNull();
        assertThat(cg.ownProcs(java.util.List.of("3:pids:/system.slice/x.service"))).isNull();
    }

    @Test
    void statsAreCpuUsageMemoryCurrentAndItsWorkingSetWithoutInactiveFilePages() throws Exception {
        String pod = cg.createPod("u-3", new PodResources("Burstable", null, null, 100L, null));
        String c = cg.createContainer(pod, "app", new ContainerConfig.Resources(null, null, 100L));
        Path dir = root.resolve(c.substring(1));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
        Files.writeString(dir.resolve("memory.current"), "52428800\n");
        Files.writeString(dir.resolve("memory.stat"), "anon 41943040\nfile 10485760\nactive_file 2097152\ninactive_file 8388608\n");
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        var stats = cg.stats(c, now).orElseThrow();

        assertThat(stats.timestamp()).isEqualTo(now);
        assertThat(stats.cpuUsageCoreNanoSeconds()).isEqualTo(2_500_000_000L);
        assertThat(stats.memoryUsageBytes()).isEqualTo(52428800L);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(52428800L - 8388608L);
        Files.writeString(dir.resolve("memory.stat"), "inactive_file 99999999\n");
        assertThat(cg.stats(c, now).orElseThrow().memoryWorkingSetBytes()).isZero(); // floored
        assertThat(cg.stats("/pvtest/burstable/podgone", now)).isEmpty();
        assertThat(cg.stats("/elsewhere", now)).isEmpty();
    }

    @Test
    void rootStatsTakeUsageAsAnonPlusFileOfTheRootMemoryStat() throws Exception {
        Files.writeString(root.resolve("cpu.stat"), "usage_usec 7000000\n");
        Files.writeString(root.resolve("memory.stat"), "anon 300\nfile 200\ninactive_file 50\n");

        var stats = cg.rootStats(java.time.Instant.EPOCH).orElseThrow();

        assertThat(stats.cpuUsageCoreNanoSeconds()).isEqualTo(7_000_000_000L);
        assertThat(stats.memoryUsageBytes()).isEqualTo(500);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(450);
    }
}
