package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.SandboxConfig.PodResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host's real cgroups (v1 on a v1 or hybrid host, v2 on a unified one); needs root. */
class CgroupsHostTest {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final String name = "pvt" + UUID.randomUUID().toString().substring(0, 8);
    private final String uid = UUID.randomUUID().toString();
    private final List<Process> started = new ArrayList<>();
    private Cgroups cg;

    @BeforeEach
    void setUp() {
        cg = Cgroups.detect(name);
        assumeTrue(cg.writable(), "needs root and a writable cgroup hierarchy with the memory controller");
    }

    @AfterEach
    void tearDown() {
        started.forEach(Process::destroyForcibly);
        cg.removeAll();
    }

    private Path file(String controller, String cgroup, String v1, String v2) {
        return cg.version().equals("v1") ? ROOT.resolve(controller).resolve(cgroup.substring(1)).resolve(v1)
                : ROOT.resolve(cgroup.substring(1)).resolve(v2);
    }

    @Test
    void podCgroupCarriesTheTotalsInTheQosTier() throws Exception {
        String pod = cg.createPod(uid, new PodResources("Burstable", 64L << 20, 1000L, 100L, 50L));

        assertThat(pod).isEqualTo("/" + name + "/burstable/pod" + uid);
        assertThat(Files.readString(file("memory", pod, "memory.limit_in_bytes", "memory.max")).strip())
                .isEqualTo(Long.toString(64L << 20));
        if (cg.version().equals("v1")) {
            assertThat(Files.readString(file("cpu", pod, "cpu.cfs_quota_us", "")).strip()).isEqualTo("100000");
            assertThat(Files.readString(file("cpu", pod, "cpu.shares", "")).strip()).isEqualTo("102");
        } else {
            assertThat(Files.readString(file("cpu", pod, "", "cpu.max")).strip()).isEqualTo("100000 100000");
        }
        assertThat(Files.readString(file("pids", pod, "pids.max", "pids.max")).strip()).isEqualTo("50");
    }

    @Test
    void aProcessOverItsContainerLimitIsOomKilledAndCounted() throws Exception {
        String pod = cg.createPod(uid, new PodResources("Burstable", null, null, null, null));
        String c = cg.createContainer(pod, "hog", new ContainerConfig.Resources(32L << 20, null, null));
        // waits for a line before it allocates, so it is inside the cgroup when it does
        Process hog = start("read go; x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived ${#x}");
        cg.addProcess(c, hog.pid());
        hog.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        hog.getOutputStream().flush();

        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(hog.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("survived");
        assertThat(cg.oomKills(c)).isGreaterThanOrEqualTo(1);
        assertThat(cg.oomKills(pod + "/none")).isZero();
    }

    @Test
    void removeKillsWhatIsLeftAndDeletesTheTree() throws Exception {
        String pod = cg.createPod(uid, PodResources.BEST_EFFORT);
        assertThat(pod).isEqualTo("/" + name + "/besteffort/pod" + uid);
        String c = cg.createContainer(pod, "app", ContainerConfig.Resources.NONE);
        Process sleeper = start("exec sleep 300");
        cg.addProcess(c, sleeper.pid());
        assertThat(Files.readString(file("memory", c, "cgroup.procs", "cgroup.procs")).strip())
                .isEqualTo(Long.toString(sleeper.pid()));

        cg.remove(pod);

        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).isEqualTo(137);
        assertThat(leftovers()).noneMatch(p -> p.toString().contains("pod" + uid));
        assertThat(leftovers()).isNotEmpty(); // the tier and the top remain until removeAll
        cg.remove(pod);

        cg.removeAll();
        assertThat(leftovers()).isEmpty();
    }

    private Process start(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** Every directory named after this instance in any hierarchy. */
    private List<Path> leftovers() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(ROOT)) {
            for (Path h : s.toList()) {
                Path top = h.resolve(name);
                if (Files.isDirectory(top)) {
                    try (Stream<Path> w = Files.walk(top)) {
                        w.filter(Files::isDirectory).forEach(found::add);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void warmingMovesLeavesThisProcessWhereItWas() throws Exception {
        String before = Files.readString(Path.of("/proc/self/cgroup"));

        assertThat(cg.warmMoves().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cg.warmMoves().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(Path.of("/proc/self/cgroup"))).isEqualTo(before);
    }
}
