package io.podvisor.api.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A node's resource usage as the metrics API serves it ({@code metrics.k8s.io}): implemented by
 * the kubelet from its samples, read by the API server. CPU is a rate in nanocores over the
 * {@code window} that ends at {@code timestamp} (the change of the cumulative usage between the
 * last two samples); memory is the working set at {@code timestamp}.
 */
public interface ResourceMetrics {

    /** How often a kubelet samples: metrics-server's scrape interval in its release manifests ({@code --metric-resolution=15s}). */
    Duration RESOLUTION = Duration.ofSeconds(15);

    /** Usage over {@code [timestamp - window, timestamp]}. */
    record Usage(Instant timestamp, Duration window, long cpuNanoCores, long memoryWorkingSetBytes) {}

    /** One container's usage, by its name in the pod's spec. */
    record ContainerUsage(String name, long cpuNanoCores, long memoryWorkingSetBytes) {}

    /** A pod's containers with two samples or more, sampled together over one window. */
    record PodUsage(String namespace, String name, String uid, Instant timestamp, Duration window,
                    List<ContainerUsage> containers) {}

    /** The node's usage; empty until it has two samples. */
    Optional<Usage> node();

    /** The pods with at least one container sampled twice. */
    List<PodUsage> pods();

    /** No samples ever: a node that does not measure. */
    ResourceMetrics NONE = new ResourceMetrics() {
        @Override
        public Optional<Usage> node() {
            return Optional.empty();
        }

        @Override
        public List<PodUsage> pods() {
            return List.of();
        }
    };
}
