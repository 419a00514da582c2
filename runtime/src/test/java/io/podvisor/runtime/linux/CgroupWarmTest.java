package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup-move warm-up against a directory tree standing in for cgroupfs, at this process's own
 * cgroup path (from {@code /proc/self/cgroup}): it writes only into a {@code cgroup.procs} that
 * lists this process.
 */
class CgroupWarmTest {

    private static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids");

    @TempDir
    Path root;

    private final String pid = Long.toString(ProcessHandle.current().pid());

    /** A Cgroups over {@link #root} and the {@code cgroup.procs} it would take as this process's own. */
    private record Fake(Cgroups cgroups, Path procs) {}

    private Fake fake() throws Exception {
        Path self = Path.of("/proc/self/cgroup");
        assumeTrue(Files.exists(self), "needs Linux");
        for (String line : Files.readAllLines(self)) {
            String[] f = line.split(":", 3);
            for (String controller : f[1].split(",")) {
                if (V1_CONTROLLERS.contains(controller)) {
                    return new Fake(new CgroupV1("pvtest", root),
                            root.resolve(controller).resolve(f[2].substring(1)).resolve("cgroup.procs"));
                }
            }
        }
        String unified = Files.readAllLines(self).stream().filter(l -> l.startsWith("0::/")).findFirst().orElseThrow();
        return new Fake(new CgroupV2("pvtest", root), root.resolve(unified.substring(4)).resolve("cgroup.procs"));
    }

    @Test
    void movesThisProcessOnlyIntoTheCgroupThatListsIt() throws Exception {
        Fake f = fake();
        Files.createDirectories(f.procs().getParent());
        Files.writeString(f.procs(), "1\n2\n");

        assertThat(f.cgroups().warmMoves().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(Files.readString(f.procs())).isEqualTo("1\n2\n");

        Files.writeString(f.procs(), "1\n" + pid + "\n2\n");
        assertThat(f.cgroups().warmMoves().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(f.procs())).isEqualTo(pid);
    }

    @Test
    void withoutTheFileThereIsNothingToWarm() throws Exception {
        Fake f = fake();

        assertThat(f.cgroups().warmMoves().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(f.procs()).doesNotExist();
    }
}
