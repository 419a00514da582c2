package io.podvisor.runtime.linux;

import io.podvisor.runtime.ContainerStats;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cgroup v1: one hierarchy per controller under a root such as {@code /sys/fs/cgroup}. Limits are
 * written in the {@code memory}, {@code cpu} and {@code pids} hierarchies ({@code cpuacct} is
 * created too, for accounting); processes are moved into each of those. Removal covers every
 * hierarchy under the root, since runc creates a container's cgroup in all of them. Controllers
 * the host lacks are skipped; {@code cpuset} is never touched.
 */
public final class CgroupV1 extends CgroupFs {

    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids");

    private final Path root;

    /**
     * @param name the top cgroup of this runtime instance
     * @param root where the hierarchies are mounted, e.g. {@code /sys/fs/cgroup}
     */
    public CgroupV1(String name, Path root) {
        super(name);
        this.root = root;
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public boolean writable() {
        Path memory = root.resolve("memory");
        return Files.isDirectory(memory) && Files.isWritable(memory);
    }

    @Override
    protected List<Path> hierarchies() {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.sorted().toList()) {
                if (Files.exists(d.resolve("cgroup.procs"))) {
                    all.add(d);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return distinct(all);
    }

    /** The hierarchies this class writes limits in and moves processes into: those present. */
    private List<Path> controllers() {
        List<Path> present = new ArrayList<>();
        for (String c : CONTROLLERS) {
            present.add(root.resolve(c));
        }
        return distinct(present);
    }

    @Override
    protected void ensureTier(String tierPath, boolean bestEffort) throws RuntimeFailure {
        for (Path h : controllers()) {
            mkdir(at(h, tierPath));
        }
        Path cpu = root.resolve("cpu");
        if (bestEffort && Files.isDirectory(cpu)) {
            write(at(cpu, tierPath).resolve("cpu.shares"), "2");
        }
    }

    @Override
    protected void makeCgroup(String path, Limits limits, boolean parentOfOthers) throws RuntimeFailure {
        for (Path h : controllers()) {
            mkdir(at(h, path));
        }
        Path memory = root.resolve("memory");
        if (limits.memoryBytes() != null && Files.isDirectory(memory)) {
            write(at(memory, path).resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        }
        Path cpu = root.resolve("cpu");
        if (Files.isDirectory(cpu)) {
            Path dir = at(cpu, path);
            write(dir.resolve("cpu.shares"), Long.toString(limits.shares()));
            if (limits.cpuQuotaMillis() != null) {
                write(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
                write(dir.resolve("cpu.cfs_quota_us"), Long.toString(Cgroups.quotaFromMillis(limits.cpuQuotaMillis())));
            }
        }
        Path pids = root.resolve("pids");
        if (limits.pids() != null && Files.isDirectory(pids)) {
            write(at(pids, path).resolve("pids.max"), Long.toString(limits.pids()));
        }
    }

    @Override
    protected Path ownProcs(List<String> selfCgroupLines) {
        for (String line : selfCgroupLines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[2].startsWith("/")) {
                for (String controller : f[1].split(",")) {
                    Path procs = root.resolve(controller).resolve(f[2].substring(1)).resolve("cgroup.procs");
                    if (CONTROLLERS.contains(controller) && Files.isWritable(procs)) {
                        return procs;
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void addProcess(String path, long pid) throws RuntimeFailure {
        checkPath(path);
        for (Path h : controllers()) {
            write(at(h, path).resolve("cgroup.procs"), Long.toString(pid));
        }
    }

    @Override
    public long oomKills(String path) {
        try {
            checkPath(path);
        } catch (RuntimeFailure e) {
            return 0;
        }
        return keyed(at(root.resolve("memory"), path).resolve("memory.oom_control"), "oom_kill");
    }

    @Override
    public java.util.Optional<ContainerStats> stats(String path, Instant now) {
        if (!ours(path)) {
            return java.util.Optional.empty();
        }
        return sample(path, now);
    }

    @Override
    public java.util.Optional<ContainerStats> rootStats(Instant now) {
        return sample("/", now);
    }

    private java.util.Optional<ContainerStats> sample(String path, Instant now) {
        Path memory = at(root.resolve("memory"), path);
        long usage = single(memory.resolve("memory.usage_in_bytes"));
        if (usage < 0) {
            return java.util.Optional.empty();
        }
        long inactive = keyed(memory.resolve("memory.stat"), "total_inactive_file");
        long cpuNanos = Math.max(0, single(at(root.resolve("cpuacct"), path).resolve("cpuacct.usage")));
        return java.util.Optional.of(new ContainerStats(now, cpuNanos, ContainerStats.workingSet(usage, inactive), usage));
    }
}
