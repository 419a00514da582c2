package io.podvisor.runtime.linux;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What both cgroup versions share: the layout {@code /<name>/<qos>/pod<uid>/<container>}, the
 * checks that keep every path inside {@code /<name>}, and the kill-then-rmdir removal.
 */
abstract class CgroupFs implements Cgroups {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final int KILL_ROUNDS = 10;
    private static final long EXIT_WAIT_MS = 2_000;

    protected final String name;
    /** The move {@link #warmMoves} has under way, or null. */
    private CompletableFuture<Boolean> warming;

    protected CgroupFs(String name) {
        if (!SEGMENT.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("bad cgroup name: " + name);
        }
        this.name = name;
    }

    /** The directories that hold {@code path} in each hierarchy ({@code path} is relative to each). */
    protected abstract List<Path> hierarchies();

    /** Makes the QoS tier's cgroup (and {@code /<name>}); applies the tier's own settings. */
    protected abstract void ensureTier(String tierPath, boolean bestEffort) throws RuntimeFailure;

    /** Makes {@code path} (its parent exists) and applies the settings. */
    protected abstract void makeCgroup(String path, Limits limits, boolean parentOfOthers) throws RuntimeFailure;

    /**
     * This process's own {@code cgroup.procs} in one hierarchy, from the lines of
     * {@code /proc/self/cgroup} ({@code id:controllers:path}); null if none is found.
     */
    protected abstract Path ownProcs(List<String> selfCgroupLines);

    @Override
    public synchronized CompletableFuture<Boolean> warmMoves() {
        if (warming != null) {
            return warming;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        warming = done;
        Thread.ofPlatform().daemon().name("cgroup-warm").start(() -> {
            boolean ok = false;
            try {
                Path procs = ownProcs(Files.readAllLines(Path.of("/proc/self/cgroup")));
                String pid = Long.toString(ProcessHandle.current().pid());
                // only where this process is listed: a path seen through a cgroup namespace or a
                // mount of a subtree could name another cgroup, and the write would move the node
                if (procs != null && Files.readAllLines(procs).contains(pid)) {
                    Files.writeString(procs, pid);
                    ok = true;
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, not root or no such hierarchy: starts just wait in runc
            } finally {
                synchronized (this) {
                    warming = null;
                }
                done.complete(ok);
            }
        });
        return done;
    }

    /** Limits in runtime units; nulls are left alone. */
    protected record Limits(Long memoryBytes, Long cpuQuotaMillis, long shares, Long pids) {}

    @Override
    public String createPod(String podUid, SandboxConfig.PodResources resources) throws RuntimeFailure {
        if (podUid == null || !SEGMENT.matcher(podUid).matches()) {
            throw new RuntimeFailure("cannot create the pod cgroup: bad pod uid \"" + podUid + "\"");
        }
        String qos = resources.qosClass() == null ? "BestEffort" : resources.qosClass();
        String tier = switch (qos) {
            case "Guaranteed" -> "/" + name;
            case "Burstable" -> "/" + name + "/burstable";
            default -> "/" + name + "/besteffort";
        };
        boolean bestEffort = !"Guaranteed".equals(qos) && !"Burstable".equals(qos);
        ensureTier(tier, bestEffort);
        long shares = bestEffort || resources.cpuSharesMillis() == null ? 2
                : Cgroups.sharesFromMillis(resources.cpuSharesMillis());
        String path = tier + "/pod" + podUid;
        makeCgroup(path, new Limits(resources.memoryLimitBytes(), resources.cpuQuotaMillis(), shares,
                resources.pidsLimit()), true);
        return path;
    }

    @Override
    public String createContainer(String podPath, String container, ContainerConfig.Resources resources)
            throws RuntimeFailure {
        checkPath(podPath);
        if (!SEGMENT.matcher(container).matches()) {
            throw new RuntimeFailure("cannot create the container cgroup: bad name \"" + container + "\"");
        }
        long shares = resources.cpuSharesMillis() == null ? 2 : Cgroups.sharesFromMillis(resources.cpuSharesMillis());
        String path = podPath + "/" + container;
        makeCgroup(path, new Limits(resources.memoryLimitBytes(), resources.cpuQuotaMillis(), shares, null), false);
        return path;
    }

    @Override
    public void remove(String path) {
        try {
            checkPath(path);
        } catch (RuntimeFailure e) {
            return;
        }
        removeTree(path);
    }

    @Override
    public void removeAll() {
        removeTree("/" + name);
    }

    /** Fails unless {@code path} is {@code /<name>} or below it, without {@code ..}. */
    protected void checkPath(String path) throws RuntimeFailure {
        boolean ok = path != null && (path.equals("/" + name) || path.startsWith("/" + name + "/"));
        if (ok) {
            for (String seg : path.substring(1).split("/")) {
                ok &= SEGMENT.matcher(seg).matches() && !seg.equals("..") && !seg.equals(".");
            }
        }
        if (!ok) {
            throw new RuntimeFailure("not a cgroup of " + name + ": " + path);
        }
    }

    /** True if {@code path} is one of this instance's cgroups ({@link #checkPath} passes). */
    protected boolean ours(String path) {
        try {
            checkPath(path);
            return true;
        } catch (RuntimeFailure e) {
            return false;
        }
    }

    /** {@code path} under {@code hierarchy}. */
    protected static Path at(Path hierarchy, String path) {
        return hierarchy.resolve(path.substring(1));
    }

    /** Run on each directory before its members are signalled (v2 writes {@code cgroup.kill}). */
    protected void killFast(Path dir) {}

    private void removeTree(String path) {
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Path> dirs = new ArrayList<>();
            for (Path h : hierarchies()) {
                dirs.addAll(dirsUnder(at(h, path)));
            }
            if (dirs.isEmpty()) {
                return;
            }
            List<ProcessHandle> killed = new ArrayList<>();
            for (Path d : dirs) {
                killFast(d);
                for (long pid : pids(d)) {
                    ProcessHandle.of(pid).filter(ph -> ph.pid() != ProcessHandle.current().pid()).ifPresent(ph -> {
                        ph.destroyForcibly();
                        killed.add(ph);
                    });
                }
            }
            awaitExit(killed);
            dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            boolean all = true;
            for (Path d : dirs) {
                all &= rmdir(d);
            }
            if (all) {
                return;
            }
        }
    }

    /** The pids listed in {@code dir}'s {@code cgroup.procs}; empty if there is none. */
    protected static List<Long> pids(Path dir) {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: nothing to kill
        }
        return out;
    }

    private static List<Path> dirsUnder(Path top) {
        if (!Files.isDirectory(top)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(top)) {
            return new ArrayList<>(s.filter(Files::isDirectory).toList());
        } catch (IOException | UncheckedIOException e) {
            return new ArrayList<>(List.of(top));
        }
    }

    private static void awaitExit(List<ProcessHandle> killed) {
        if (killed.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(killed.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(EXIT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // some did not exit in time: the next round signals them again
        }
    }

    /**
     * Removes a cgroup directory. cgroupfs removes its interface files with it; a plain directory
     * tree imitating one (in tests) has real files, which are deleted first.
     */
    private static boolean rmdir(Path d) {
        try {
            Files.deleteIfExists(d);
            return true;
        } catch (DirectoryNotEmptyException e) {
            try (Stream<Path> s = Files.list(d)) {
                for (Path f : s.toList()) {
                    if (Files.isRegularFile(f)) {
                        Files.delete(f);
                    }
                }
                Files.deleteIfExists(d);
                return true;
            } catch (IOException ex) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code value} to {@code file}; a missing cgroup directory is a failure. */
    protected static void write(Path file, String value) throws RuntimeFailure {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write " + value + " to " + file + ": " + reason(e), e);
        }
    }

    /** Makes a cgroup directory if missing. */
    protected static void mkdir(Path dir) throws RuntimeFailure {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** The number after {@code key} in a flat-keyed file ({@code memory.events}, {@code memory.oom_control}); 0 if absent. */
    protected static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.strip().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return Long.parseLong(kv[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The number a single-value file holds ({@code memory.current}, {@code cpuacct.usage}); -1 if absent or not a number. */
    protected static long single(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The existing directories among {@code dirs}, once each (co-mounted hierarchies are symlinks). */
    protected static List<Path> distinct(List<Path> dirs) {
        Set<Path> real = new LinkedHashSet<>();
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            try {
                if (Files.isDirectory(d) && real.add(d.toRealPath())) {
                    out.add(d);
                }
            } catch (IOException e) {
                // vanished
            }
        }
        return List.copyOf(out);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
