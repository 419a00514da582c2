package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.SandboxConfig.PodResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cgroup v1 against a directory tree that imitates the per-controller mounts. */
class CgroupV1Test {

    @TempDir
    Path root;

    private void hierarchy(String name) throws IOException {
        Files.createDirectories(root.resolve(name));
        Files.writeString(root.resolve(name).resolve("cgroup.procs"), "");
    }

    private String read(String rel) throws IOException {
        return Files.readString(root.resolve(rel)).strip();
    }

    @Test
    void writesLimitsPerControllerAndSkipsMissingOnes() throws Exception {
        hierarchy("memory");
        hierarchy("cpu");
        hierarchy("cpuset");
        CgroupV1 cg = new CgroupV1("pvtest", root);

        String pod = cg.createPod("u", new PodResources("Guaranteed", 1L << 30, 2000L, 2000L, 64L));
        String c = cg.createContainer(pod, "app", new ContainerConfig.Resources(1L << 29, 500L, 250L));
        cg.addProcess(c, 77);

        assertThat(pod).isEqualTo("/pvtest/podu");
        assertThat(read("memory/pvtest/podu/memory.limit_in_bytes")).isEqualTo(Long.toString(1L << 30));
        assertThat(read("cpu/pvtest/podu/cpu.cfs_quota_us")).isEqualTo("200000");
        assertThat(read("cpu/pvtest/podu/cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(read("cpu/pvtest/podu/cpu.shares")).isEqualTo("2048");
        assertThat(read("memory/pvtest/podu/app/memory.limit_in_bytes")).isEqualTo(Long.toString(1L << 29));
        assertThat(read("cpu/pvtest/podu/app/cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(read("cpu/pvtest/podu/app/cpu.shares")).isEqualTo("256");
        assertThat(read("memory/pvtest/podu/app/cgroup.procs")).isEqualTo("77");
        assertThat(read("cpu/pvtest/podu/app/cgroup.procs")).isEqualTo("77");
        assertThat(root.resolve("pids")).doesNotExist();
        assertThat(root.resolve("cpuset/pvtest")).doesNotExist();
    }

    @Test
    void bestEffortTierGetsMinimalSharesAndRemoveAllClearsEveryHierarchy() throws Exception {
        hierarchy("memory");
        hierarchy("cpu");
        hierarchy("freezer");
        CgroupV1 cg = new CgroupV1("pvtest", root);
        String pod = cg.createPod("u", PodResources.BEST_EFFORT);
        Files.createDirectories(root.resolve("freezer/pvtest/besteffort/podu/made-by-runc"));
        Files.writeString(root.resolve("memory/pvtest/besteffort/podu/memory.oom_control"),
                "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");

        assertThat(read("cpu/pvtest/besteffort/cpu.shares")).isEqualTo("2");
        assertThat(read("cpu/pvtest/besteffort/podu/cpu.shares")).isEqualTo("2");
        assertThat(root.resolve("memory/pvtest/besteffort/podu/memory.limit_in_bytes")).doesNotExist();
        assertThat(cg.oomKills(pod)).isEqualTo(3);

        cg.removeAll();
        assertThat(root.resolve("memory/pvtest")).doesNotExist();
        assertThat(root.resolve("cpu/pvtest")).doesNotExist();
        assertThat(root.resolve("freezer/pvtest")).doesNotExist();
        assertThat(cg.oomKills(pod)).isZero();
    }

    @Test
    void ownCgroupIsFoundInAControllerHierarchyThisClassUses() throws Exception {
        hierarchy("pids/user.slice/session-1.scope");
        hierarchy("freezer");
        CgroupV1 cg = new CgroupV1("pvtest", root);

        assertThat(cg.ownProcs(java.util.List.of("9:freezer:/", "5:pids:/user.slice/session-1.scope",
                "0::/user.slice/session-1.scope")))
                .isEqualTo(root.resolve("pids/user.slice/session-1.scope/cgroup.procs"));
        assertThat(cg.ownProcs(java.util.List.of("9:freezer:/", "0::/"))).isNull();
        assertThat(cg.ownProcs(java.util.List.of("5:pids:/elsewhere"))).isNull(); // no such directory
    }

    @Test
    void statsAreCpuacctUsageAndUsageInBytesLessTotalInactiveFile() throws Exception {
        hierarchy("memory");
        hierarchy("cpu,cpuacct");
        Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), root.resolve("cpu,cpuacct"));
        CgroupV1 cg = new CgroupV1("pvtest", root);
        String pod = cg.createPod("u", new PodResources("Burstable", null, null, 100L, null));
        String c = cg.createContainer(pod, "app", new ContainerConfig.Resources(null, null, 100L));
        Files.writeString(root.resolve("cpuacct" + c).resolve("cpuacct.usage"), "123456789\n");
        Files.writeString(root.resolve("memory" + c).resolve("memory.usage_in_bytes"), "10000000\n");
        Files.writeString(root.resolve("memory" + c).resolve("memory.stat"),
                "cache 4000000\ninactive_file 1\ntotal_cache 4000000\ntotal_inactive_file 3000000\n");
        Files.writeString(root.resolve("memory/memory.usage_in_bytes"), "900\n");
        Files.writeString(root.resolve("memory/memory.stat"), "total_inactive_file 1000\n");
        Files.writeString(root.resolve("cpuacct/cpuacct.usage"), "42\n");

        var stats = cg.stats(c, java.time.Instant.EPOCH).orElseThrow();
        var host = cg.rootStats(java.time.Instant.EPOCH).orElseThrow();

        assertThat(stats.cpuUsageCoreNanoSeconds()).isEqualTo(123456789L);
        assertThat(stats.memoryUsageBytes()).isEqualTo(10000000L);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(7000000L);
        assertThat(host.cpuUsageCoreNanoSeconds()).isEqualTo(42);
        assertThat(host.memoryWorkingSetBytes()).isZero(); // 900 - 1000, floored
        assertThat(cg.stats("/pvtest/podgone", java.time.Instant.EPOCH)).isEmpty();
    }
}
