package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.Times;
import io.podvisor.api.client.ResourceMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet's {@code /stats/summary} (the Summary API, {@code stats/v1alpha1}) as far as the
 * metrics API needs it: the node's and each pod's containers' {@code cpu.usageNanoCores} and
 * {@code memory.workingSetBytes} with their {@code time}. The Summary carries no window; a reader
 * takes {@link ResourceMetrics#RESOLUTION}, the interval between the kubelet's samples.
 */
final class StatsSummary {

    private StatsSummary() {}

    /** The Summary of {@code metrics} for node {@code nodeName}. */
    static ObjectNode write(String nodeName, ResourceMetrics metrics) {
        ObjectNode summary = Json.object();
        ObjectNode node = summary.putObject("node");
        node.put("nodeName", nodeName);
        metrics.node().ifPresent(u -> usage(node, u.timestamp(), u.cpuNanoCores(), u.memoryWorkingSetBytes()));
        ArrayNode pods = summary.putArray("pods");
        for (ResourceMetrics.PodUsage p : metrics.pods()) {
            ObjectNode pod = pods.addObject();
            pod.putObject("podRef").put("name", p.name()).put("namespace", p.namespace()).put("uid", p.uid());
            pod.put("startTime", Times.format(p.timestamp().minus(p.window())));
            ArrayNode containers = pod.putArray("containers");
            for (ResourceMetrics.ContainerUsage c : p.containers()) {
                ObjectNode cn = containers.addObject();
                cn.put("name", c.name());
                usage(cn, p.timestamp(), c.cpuNanoCores(), c.memoryWorkingSetBytes());
            }
        }
        return summary;
    }

    private static void usage(ObjectNode into, Instant time, long cpuNanoCores, long workingSetBytes) {
        into.putObject("cpu").put("time", Times.format(time)).put("usageNanoCores", cpuNanoCores);
        into.putObject("memory").put("time", Times.format(time)).put("workingSetBytes", workingSetBytes);
    }

    /** The usage a Summary shows: entries without both a CPU rate and a working set are left out. */
    static ResourceMetrics read(JsonNode summary) {
        Optional<ResourceMetrics.Usage> node = sample(summary.path("node"));
        List<ResourceMetrics.PodUsage> pods = new ArrayList<>();
        for (JsonNode p : summary.path("pods")) {
            List<ResourceMetrics.ContainerUsage> containers = new ArrayList<>();
            Instant latest = null;
            for (JsonNode c : p.path("containers")) {
                Optional<ResourceMetrics.Usage> u = sample(c);
                if (u.isPresent()) {
                    containers.add(new ResourceMetrics.ContainerUsage(c.path("name").asText(), u.get().cpuNanoCores(),
                            u.get().memoryWorkingSetBytes()));
                    latest = latest == null || u.get().timestamp().isAfter(latest) ? u.get().timestamp() : latest;
                }
            }
            if (!containers.isEmpty()) {
                JsonNode ref = p.path("podRef");
                pods.add(new ResourceMetrics.PodUsage(ref.path("namespace").asText(), ref.path("name").asText(),
                        ref.path("uid").asText(), latest, ResourceMetrics.RESOLUTION, List.copyOf(containers)));
            }
        }
        return new ResourceMetrics() {
            @Override
            public Optional<Usage> node() {
                return node;
            }

            @Override
            public List<PodUsage> pods() {
                return pods;
            }
        };
    }

    private static Optional<ResourceMetrics.Usage> sample(JsonNode n) {
        JsonNode cpu = n.path("cpu");
        JsonNode memory = n.path("memory");
        if (!cpu.path("usageNanoCores").isNumber() || !memory.path("workingSetBytes").isNumber()) {
            return Optional.empty();
        }
        Instant time = Times.parse(cpu.path("time").asText());
        return Optional.of(new ResourceMetrics.Usage(time, ResourceMetrics.RESOLUTION, cpu.path("usageNanoCores").asLong(),
                memory.path("workingSetBytes").asLong()));
    }
}
