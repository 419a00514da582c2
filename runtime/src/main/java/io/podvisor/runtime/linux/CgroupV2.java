package io.podvisor.runtime.linux;

import io.podvisor.runtime.ContainerStats;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cgroup v2: one tree under a root such as {@code /sys/fs/cgroup}. Every level this class creates
 * above a container enables {@code +memory +cpu +pids} (those the parent offers) in its
 * {@code cgroup.subtree_control}, so the level below gets the controllers' files. Limits:
 * {@code memory.max}, {@code cpu.max} ({@code "quota period"}), {@code cpu.weight} and
 * {@code pids.max}; OOM kills are {@code oom_kill} in {@code memory.events}. Removal writes
 * {@code cgroup.kill} where the kernel has it and otherwise SIGKILLs each process in
 * {@code cgroup.procs}.
 */
public final class CgroupV2 extends CgroupFs {

    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

    private final Path root;

    /**
     * @param name the top cgroup of this runtime instance
     * @param root the cgroup2 mount, e.g. {@code /sys/fs/cgroup}
     */
    public CgroupV2(String name, Path root) {
        super(name);
        this.root = root;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public boolean writable() {
        return offered(root).contains("memory") && Files.isWritable(root);
    }

    @Override
    protected List<Path> hierarchies() {
        return List.of(root);
    }

    @Override
    protected void ensureTier(String tierPath, boolean bestEffort) throws RuntimeFailure {
        enable(root);
        String top = "/" + name;
        mkdir(at(root, top));
        enable(at(root, top));
        if (!tierPath.equals(top)) {
            mkdir(at(root, tierPath));
            enable(at(root, tierPath));
            if (bestEffort && Files.exists(at(root, tierPath).resolve("cpu.weight"))) {
                write(at(root, tierPath).resolve("cpu.weight"), Long.toString(Cgroups.weightFromShares(2)));
            }
        }
    }

    @Override
    protected void makeCgroup(String path, Limits limits, boolean parentOfOthers) throws RuntimeFailure {
        Path dir = at(root, path);
        List<String> have = enabledIn(dir.getParent());
        mkdir(dir);
        if (parentOfOthers) {
            enable(dir);
        }
        if (have.contains("memory") && limits.memoryBytes() != null) {
            write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        }
        if (have.contains("cpu")) {
            write(dir.resolve("cpu.weight"), Long.toString(Cgroups.weightFromShares(limits.shares())));
            if (limits.cpuQuotaMillis() != null) {
                write(dir.resolve("cpu.max"), Cgroups.quotaFromMillis(limits.cpuQuotaMillis()) + " " + CPU_PERIOD_US);
            }
        }
        if (have.contains("pids") && limits.pids() != null) {
            write(dir.resolve("pids.max"), Long.toString(limits.pids()));
        }
    }

    @Override
    public void addProcess(String path, long pid) throws RuntimeFailure {
        checkPath(path);
        write(at(root, path).resolve("cgroup.procs"), Long.toString(pid));
    }

    @Override
    protected Path ownProcs(List<String> selfCgroupLines) {
        for (String line : selfCgroupLines) {
            if (line.startsWith("0::/")) {
                Path procs = root.resolve(line.substring(4)).resolve("cgroup.procs");
                return Files.isWritable(procs) ? procs : null;
            }
        }
        return null;
    }

    @Override
    public long oomKills(String path) {
        try {
            checkPath(path);
        } catch (RuntimeFailure e) {
            return 0;
        }
        return keyed(at(root, path).resolve("memory.events"), "oom_kill");
    }

    @Override
    public java.util.Optional<ContainerStats> stats(String path, Instant now) {
        if (!ours(path)) {
            return java.util.Optional.empty();
        }
        Path dir = at(root, path);
        long usage = single(dir.resolve("memory.current"));
        if (usage < 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(sample(dir, usage, now));
    }

    @Override
    public java.util.Optional<ContainerStats> rootStats(Instant now) {
        Path stat = root.resolve("memory.stat");
        if (!Files.exists(stat)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(sample(root, keyed(stat, "anon") + keyed(stat, "file"), now));
    }

    private static ContainerStats sample(Path dir, long usage, Instant now) {
        long cpuNanos = keyed(dir.resolve("cpu.stat"), "usage_usec") * 1000;
        long inactive = keyed(dir.resolve("memory.stat"), "inactive_file");
        return new ContainerStats(now, cpuNanos, ContainerStats.workingSet(usage, inactive), usage);
    }

    @Override
    protected void killFast(Path dir) {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            try {
                Files.writeString(kill, "1");
            } catch (IOException e) {
                // fall back to signalling each process
            }
        }
    }

    /** Enables the wanted controllers that {@code dir} offers for its children; idempotent. */
    private void enable(Path dir) throws RuntimeFailure {
        List<String> offered = offered(dir);
        List<String> already = enabledIn(dir);
        List<String> add = new ArrayList<>();
        for (String c : CONTROLLERS) {
            if (offered.contains(c) && !already.contains(c)) {
                add.add("+" + c);
            }
        }
        if (!add.isEmpty()) {
            write(dir.resolve("cgroup.subtree_control"), String.join(" ", add));
        }
    }

    /** The controllers {@code dir} can enable: its {@code cgroup.controllers}, or what its parent enabled. */
    private List<String> offered(Path dir) {
        List<String> own = words(dir.resolve("cgroup.controllers"));
        if (!own.isEmpty() || dir.equals(root)) {
            return own;
        }
        return enabledIn(dir.getParent());
    }

    /** The controllers enabled for {@code dir}'s children. */
    private static List<String> enabledIn(Path dir) {
        List<String> out = new ArrayList<>();
        for (String w : words(dir.resolve("cgroup.subtree_control"))) {
            out.add(w.startsWith("+") ? w.substring(1) : w);
        }
        return out;
    }

    private static List<String> words(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
