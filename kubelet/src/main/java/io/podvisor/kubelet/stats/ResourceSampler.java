package io.podvisor.kubelet.stats;

import io.podvisor.api.client.ResourceMetrics;
import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import io.podvisor.kubelet.Labels;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ContainerStats;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Samples the CPU and memory of every running container of the node's pods, and of the node,
 * every {@link #RESOLUTION} on the {@link Clock}, as metrics-server scrapes a kubelet: a usage is
 * known once there are two samples, CPU as the change of the cumulative usage over the time between
 * them (nanocores), memory as the last working set. Only the last two samples of each container
 * are kept; a container no longer running is dropped at the next sample.
 *
 * <p>Thread-safe: samples replace the whole state under the object's lock.
 */
public final class ResourceSampler implements ResourceMetrics {

    /** The sampling interval, {@link ResourceMetrics#RESOLUTION}. */
    public static final Duration RESOLUTION = ResourceMetrics.RESOLUTION;

    private record Sample(ContainerStats previous, ContainerStats last) {
        Sample next(ContainerStats now) {
            return new Sample(last, now);
        }
    }

    private record Key(String namespace, String pod, String uid, String container) {}

    private final ContainerRuntime runtime;
    private final Periodic periodic;
    // guarded by this
    private final Map<String, Sample> containers = new HashMap<>();
    private final Map<String, Key> keys = new HashMap<>();
    private Sample node;

    public ResourceSampler(ContainerRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.periodic = new Periodic(clock, RESOLUTION, this::sample);
    }

    /** Takes a first sample now and then one every {@link #RESOLUTION}. */
    public void start() {
        sample();
        periodic.start();
    }

    public void stop() {
        periodic.stop();
    }

    /** Reads every running container of a pod, and the node, once. */
    public void sample() {
        Map<String, ContainerStats> read = new HashMap<>();
        Map<String, Key> seen = new HashMap<>();
        for (ContainerInfo c : runtime.listContainers(Map.of())) {
            Map<String, String> l = c.labels();
            String uid = l.get(Labels.POD_UID);
            if (c.state() != ContainerState.RUNNING || uid == null) {
                continue;
            }
            Optional<ContainerStats> stats = runtime.containerStats(c.id());
            if (stats.isPresent()) {
                read.put(c.id(), stats.get());
                seen.put(c.id(), new Key(l.getOrDefault(Labels.POD_NAMESPACE, ""), l.getOrDefault(Labels.POD_NAME, ""),
                        uid, l.getOrDefault(Labels.CONTAINER_NAME, c.name())));
            }
        }
        Optional<ContainerStats> host = runtime.nodeStats();
        synchronized (this) {
            containers.keySet().retainAll(read.keySet());
            read.forEach((id, s) -> containers.merge(id, new Sample(null, s), (old, fresh) -> old.next(s)));
            keys.clear();
            keys.putAll(seen);
            node = host.map(s -> node == null ? new Sample(null, s) : node.next(s)).orElse(null);
        }
    }

    @Override
    public synchronized Optional<Usage> node() {
        return Optional.ofNullable(node).flatMap(ResourceSampler::usage);
    }

    @Override
    public synchronized List<PodUsage> pods() {
        Map<String, List<Map.Entry<Key, Usage>>> byPod = new LinkedHashMap<>();
        containers.forEach((id, sample) -> usage(sample).ifPresent(u -> {
            Key k = keys.get(id);
            byPod.computeIfAbsent(k.uid(), x -> new ArrayList<>()).add(Map.entry(k, u));
        }));
        List<PodUsage> out = new ArrayList<>();
        for (List<Map.Entry<Key, Usage>> entries : byPod.values()) {
            entries.sort(Comparator.comparing(e -> e.getKey().container()));
            Key k = entries.getFirst().getKey();
            Usage latest = entries.stream().map(Map.Entry::getValue).max(Comparator.comparing(Usage::timestamp)).orElseThrow();
            List<ContainerUsage> cs = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Map.Entry<Key, Usage> e : entries) {
                if (names.add(e.getKey().container())) { // an old instance still running beside a new one counts once
                    cs.add(new ContainerUsage(e.getKey().container(), e.getValue().cpuNanoCores(),
                            e.getValue().memoryWorkingSetBytes()));
                }
            }
            out.add(new PodUsage(k.namespace(), k.pod(), k.uid(), latest.timestamp(), latest.window(), List.copyOf(cs)));
        }
        out.sort(Comparator.comparing(PodUsage::namespace).thenComparing(PodUsage::name));
        return out;
    }

    /**
     * The usage two samples give: none while there is one, or when time did not move forward or the
     * cumulative CPU went back (a restarted counter), as metrics-server drops such points.
     */
    private static Optional<Usage> usage(Sample s) {
        if (s.previous() == null) {
            return Optional.empty();
        }
        Instant t0 = s.previous().timestamp();
        Instant t1 = s.last().timestamp();
        Duration window = Duration.between(t0, t1);
        long cpu = s.last().cpuUsageCoreNanoSeconds() - s.previous().cpuUsageCoreNanoSeconds();
        if (!window.isPositive() || cpu < 0) {
            return Optional.empty();
        }
        long nanoCores = BigInteger.valueOf(cpu).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(window.toNanos())).longValueExact();
        return Optional.of(new Usage(t1, window, nanoCores, s.last().memoryWorkingSetBytes()));
    }
}
