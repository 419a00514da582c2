package io.podvisor.runtime.linux;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import java.util.concurrent.CompletableFuture;

/**
 * The cgroups of one runtime instance: {@code /<name>/<qos>/pod<uid>/<container>}, where
 * {@code <qos>} is {@code guaranteed} (pods directly under {@code /<name>} as upstream puts them
 * under {@code kubepods}), {@code burstable} or {@code besteffort}. Paths are relative to the
 * hierarchy roots, the form runc takes as {@code linux.cgroupsPath}. Cgroup v1 (one hierarchy per
 * controller) and v2 (one tree, controllers enabled through {@code cgroup.subtree_control}) are
 * the two implementations; {@link #detect} picks the host's.
 *
 * <p>Thread-safe.
 */
public interface Cgroups {

    /**
     * The implementation for this host: v2 when {@code /sys/fs/cgroup} is a cgroup2 mount with the
     * memory controller, else v1 (also on hybrid hosts, whose v2 tree has no memory controller).
     *
     * @param name the top cgroup of this runtime instance, e.g. {@code podvisor}
     */
    static Cgroups detect(String name) {
        java.nio.file.Path root = java.nio.file.Path.of("/sys/fs/cgroup");
        try {
            String controllers = java.nio.file.Files.readString(root.resolve("cgroup.controllers"));
            if (java.util.List.of(controllers.strip().split("\\s+")).contains("memory")) {
                return new CgroupV2(name, root);
            }
        } catch (java.io.IOException e) {
            // no cgroup2 at the root: v1 or hybrid
        }
        return new CgroupV1(name, root);
    }

    /** {@code v1} or {@code v2}. */
    String version();

    /** True if this process can create cgroups with a memory controller (root, writable hierarchy). */
    boolean writable();

    /**
     * Creates the QoS parent (if missing) and the pod's cgroup with its totals; idempotent.
     *
     * @return the pod cgroup's path, e.g. {@code /podvisor/burstable/pod1234}
     */
    String createPod(String podUid, SandboxConfig.PodResources resources) throws RuntimeFailure;

    /**
     * Creates a container cgroup under {@code podPath} with its limits, for runtimes that place
     * processes themselves (runc creates its own from the OCI config).
     *
     * @return its path
     */
    String createContainer(String podPath, String name, ContainerConfig.Resources resources) throws RuntimeFailure;

    /** Moves process {@code pid} into {@code path} in every controller. */
    void addProcess(String path, long pid) throws RuntimeFailure;

    /**
     * How many processes the kernel's OOM killer has killed in {@code path} ({@code oom_kill} in
     * v1 {@code memory.oom_control} or v2 {@code memory.events}); 0 if the cgroup is gone.
     */
    long oomKills(String path);

    /**
     * CPU and memory of the cgroup {@code path} now: cumulative CPU time ({@code cpu.stat}
     * {@code usage_usec} in v2, {@code cpuacct.usage} in v1), memory usage ({@code memory.current},
     * {@code memory.usage_in_bytes}) and the working set, usage minus inactive file pages
     * ({@code inactive_file} in v2, {@code total_inactive_file} in v1) floored at 0, as cAdvisor
     * computes it for the kubelet. Empty if the cgroup is gone or has no memory accounting.
     */
    java.util.Optional<io.podvisor.runtime.ContainerStats> stats(String path, java.time.Instant now);

    /**
     * The same for the whole host, from the root cgroup: in v2 (whose root has no
     * {@code memory.current}) usage is {@code anon + file} of the root's {@code memory.stat}.
     */
    java.util.Optional<io.podvisor.runtime.ContainerStats> rootStats(java.time.Instant now);

    /**
     * Kills every process left in {@code path} and its descendants (SIGKILL), then removes them,
     * deepest first. Idempotent; never throws.
     */
    void remove(String path);

    /** Removes this instance's whole hierarchy ({@code /<name>}), killing what is left in it. */
    void removeAll();

    /**
     * Starts, in the background, the wait the kernel makes before the next move of a process into
     * a cgroup, so that a container start about to move its first process (runc does, before it
     * sets the container up) finds that wait done or under way. The kernel guards every move with
     * one lock for the whole host; after some milliseconds without a move, taking it again waits for
     * an RCU grace period (8–20 ms on a small VM) before anything else happens. This "moves" this
     * process into the cgroup it is already in, which takes the lock and changes nothing. Call it
     * after this runtime's own cgroup directories for the start exist (the wait holds the kernel's
     * cgroup mutex, so a {@code mkdir} would wait behind it). At most one runs at a time; a call
     * while one runs joins it.
     *
     * @return completes with true once the kernel took the move, false if it could not be done
     *     (no own cgroup found, not writable); never fails
     */
    CompletableFuture<Boolean> warmMoves();

    /** CPU shares (v1) for a request in millicores, as the kubelet computes them: at least 2. */
    static long sharesFromMillis(long millis) {
        return Math.max(2, millis * 1024 / 1000);
    }

    /** CFS quota in microseconds per {@link #CPU_PERIOD_US} for a limit in millicores: at least 1000. */
    static long quotaFromMillis(long millis) {
        return Math.max(1000, millis * CPU_PERIOD_US / 1000);
    }

    /** v2 {@code cpu.weight} for v1 shares, the conversion runc and the kubelet use. */
    static long weightFromShares(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** The CFS period: 100 ms. */
    long CPU_PERIOD_US = 100_000;
}
