package io.podvisor.runtime;

import java.time.Instant;

/**
 * A sample of a container's (or a pod sandbox's, or the node's) CPU and memory, as CRI's
 * {@code ContainerStats} and {@code PodSandboxStats} carry them.
 *
 * @param timestamp               when it was read
 * @param cpuUsageCoreNanoSeconds CPU time used since the cgroup was made, in nanoseconds (cumulative)
 * @param memoryWorkingSetBytes   memory in use that cannot be reclaimed at once: usage minus inactive
 *                                file pages, as the kubelet and cAdvisor compute it (never negative)
 * @param memoryUsageBytes        all memory charged, page cache included
 */
public record ContainerStats(Instant timestamp, long cpuUsageCoreNanoSeconds, long memoryWorkingSetBytes,
                             long memoryUsageBytes) {

    /** The working set from a usage and its inactive file pages, floored at 0 as cAdvisor does. */
    public static long workingSet(long usageBytes, long inactiveFileBytes) {
        return Math.max(0, usageBytes - inactiveFileBytes);
    }
}
