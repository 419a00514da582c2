package io.podvisor.kubelet.env;

/**
 * What the node offers to pods: the value a {@code resourceFieldRef} to an unset limit reads.
 *
 * @param cpuMillis   allocatable CPU in millicores
 * @param memoryBytes allocatable memory in bytes
 */
public record NodeAllocatable(long cpuMillis, long memoryBytes) {}
