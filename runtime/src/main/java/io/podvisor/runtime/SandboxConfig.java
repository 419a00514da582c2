package io.podvisor.runtime;

import java.util.Map;

/**
 * What a sandbox needs.
 *
 * @param name        a readable name (unique among live sandboxes is not required)
 * @param hostname    the UTS hostname its containers see
 * @param hostNetwork share the host's network instead of a private namespace
 * @param labels      stored verbatim, used for listing
 * @param annotations stored verbatim
 * @param logDirectory where containers of this sandbox write their logs
 * @param uid          the pod's uid, names its cgroup ({@code pod<uid>}); may be empty
 * @param resources    the pod-level cgroup settings
 */
public record SandboxConfig(String name, String hostname, boolean hostNetwork,
                            Map<String, String> labels, Map<String, String> annotations,
                            String logDirectory, String uid, PodResources resources) {
    public SandboxConfig {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        uid = uid == null ? "" : uid;
        resources = resources == null ? PodResources.BEST_EFFORT : resources;
    }

    /** A best-effort sandbox. */
    public SandboxConfig(String name, String hostname, boolean hostNetwork, Map<String, String> labels,
                         Map<String, String> annotations, String logDirectory) {
        this(name, hostname, hostNetwork, labels, annotations, logDirectory, "", PodResources.BEST_EFFORT);
    }

    /**
     * The pod-level cgroup: its QoS tier parent and the pod's totals (nulls = no limit), as the
     * kubelet sets them on {@code kubepods/<qos>/pod<uid>}.
     *
     * @param qosClass         {@code Guaranteed}, {@code Burstable} or {@code BestEffort}
     * @param memoryLimitBytes the sum of the containers' limits when every container has one
     * @param cpuQuotaMillis   the sum of the CPU limits when every container has one
     * @param cpuSharesMillis  the sum of the CPU requests (BestEffort: none; the runtime uses the minimum, 2 shares)
     * @param pidsLimit        the most processes the pod may have
     */
    public record PodResources(String qosClass, Long memoryLimitBytes, Long cpuQuotaMillis, Long cpuSharesMillis,
                               Long pidsLimit) {
        public static final PodResources BEST_EFFORT = new PodResources("BestEffort", null, null, null, null);
    }
}
