package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.Times;
import io.podvisor.api.client.ResourceMetrics;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.api.validation.Quantities;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.core.Clock;
import io.podvisor.core.GoDuration;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource metrics API, {@code metrics.k8s.io/v1beta1}, as metrics-server serves it through
 * the aggregator: {@code nodes} ({@code NodeMetrics}) and namespaced {@code pods}
 * ({@code PodMetrics}), {@code get} and {@code list} only (other verbs are 405). Usage comes from
 * each node's kubelet ({@link ResourceMetrics}): in-process for a registered node, else through
 * its kubelet endpoint's {@code /stats/summary}; an object is listed only while its Node or pod
 * exists (selected by the query's label and field selectors, whose labels it carries) and has two
 * samples. CPU is written as metrics-server writes it (nanocores, canonical: {@code 1234567n},
 * {@code 250m}), memory as binary bytes ({@code 40Mi}, {@code 1236Ki}).
 */
final class MetricsApi {

    static final String GROUP = "metrics.k8s.io";
    static final String VERSION = "v1beta1";
    static final String GROUP_VERSION = GROUP + "/" + VERSION;

    static final List<String> VERBS = List.of("get", "list");
    /** metrics-server names its resources' singulars after the objects they measure: {@code node}, {@code pod}. */
    static final ServedGroup SERVED = new ServedGroup(GROUP, VERSION, List.of(
            new ServedGroup.Resource("nodes", "node", "NodeMetrics", false, VERBS),
            new ServedGroup.Resource("pods", "pod", "PodMetrics", true, VERBS)));

    private final Registry registry;
    private final Clock clock;
    private final Map<String, ResourceMetrics> nodes = new ConcurrentHashMap<>();
    private volatile java.util.function.Function<String, ResourceMetrics> remote = name -> ResourceMetrics.NONE;

    MetricsApi(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The usage source of node {@code nodeName} (its kubelet's samples). */
    void register(String nodeName, ResourceMetrics metrics) {
        nodes.put(nodeName, metrics);
    }

    /** Where the usage of a node without a registered source comes from (its kubelet's summary). */
    void registerRemote(java.util.function.Function<String, ResourceMetrics> source) {
        this.remote = source;
    }

    /** A node's usage source: its registered one, else the remote one. */
    private ResourceMetrics source(String nodeName) {
        if (nodeName == null || nodeName.isEmpty()) {
            return ResourceMetrics.NONE;
        }
        ResourceMetrics local = nodes.get(nodeName);
        return local != null ? local : remote.apply(nodeName);
    }

    /** Serves {@code rest}, the path after {@code /apis/metrics.k8s.io/v1beta1/}. */
    void handle(Exchange ex, List<String> rest) throws IOException {
        String namespace = null;
        List<String> r = rest;
        if (r.size() >= 2 && r.getFirst().equals("namespaces")) {
            namespace = r.get(1);
            r = r.subList(2, r.size());
        }
        if (r.isEmpty() || r.size() > 2) {
            throw new ApiException.NotFound(ApiHandler.NOT_FOUND);
        }
        boolean pods = r.getFirst().equals("pods");
        if (!pods && !(r.getFirst().equals("nodes") && namespace == null)) {
            throw new ApiException.NotFound(ApiHandler.NOT_FOUND);
        }
        if (!ex.method().equals("GET")) {
            throw ResourceHandler.notAllowed();
        }
        Query q = ex.query();
        if (r.size() == 2) {
            String name = r.get(1);
            ex.sendJson(200, pods ? pod(namespace, name) : node(name));
            return;
        }
        Registry.ListOptions options = new Registry.ListOptions(namespace, q.get("labelSelector"), q.get("fieldSelector"),
                null, 0, null, false);
        ex.sendJson(200, pods ? podList(options) : nodeList(options));
    }

    private ObjectNode node(String name) {
        HasMetadata node;
        try {
            node = registry.get(ResourceTypes.NODES, null, name);
        } catch (ApiException.NotFound e) {
            throw nodeNotFound(name);
        }
        return nodeMetrics(node).orElseThrow(() -> nodeNotFound(name));
    }

    private static ApiException nodeNotFound(String name) {
        return new ApiException.NotFound(GROUP, "nodemetrics", name);
    }

    private ObjectNode nodeList(Registry.ListOptions options) {
        ObjectNode list = list("NodeMetricsList");
        ArrayNode items = list.putArray("items");
        for (HasMetadata n : registry.list(ResourceTypes.NODES, options).items()) {
            nodeMetrics(n).ifPresent(items::add);
        }
        return list;
    }

    private Optional<ObjectNode> nodeMetrics(HasMetadata node) {
        Optional<ResourceMetrics.Usage> usage = source(node.getMetadata().getName()).node();
        return usage.map(u -> {
            ObjectNode n = object("NodeMetrics", node);
            n.put("timestamp", Times.format(u.timestamp()));
            n.put("window", GoDuration.format(u.window()));
            usage(n.putObject("usage"), u.cpuNanoCores(), u.memoryWorkingSetBytes());
            return n;
        });
    }

    private ObjectNode pod(String namespace, String name) {
        ApiException notFound = new ApiException.NotFound(GROUP, "podmetrics", namespace + "/" + name);
        HasMetadata pod;
        try {
            pod = registry.get(ResourceTypes.PODS, namespace, name);
        } catch (ApiException.NotFound e) {
            throw notFound;
        }
        ResourceMetrics.PodUsage usage = usages(List.of(pod)).get(pod.getMetadata().getUid());
        if (usage == null) {
            throw notFound;
        }
        return podMetrics(pod, usage);
    }

    private ObjectNode podList(Registry.ListOptions options) {
        ObjectNode list = list("PodMetricsList");
        ArrayNode items = list.putArray("items");
        List<HasMetadata> selected = registry.list(ResourceTypes.PODS, options).items();
        Map<String, ResourceMetrics.PodUsage> usages = usages(selected);
        for (HasMetadata p : selected) {
            ResourceMetrics.PodUsage u = usages.get(p.getMetadata().getUid());
            if (u != null) {
                items.add(podMetrics(p, u));
            }
        }
        return list;
    }

    /** The pod usages, by pod UID, of the nodes {@code pods} run on (each node asked once). */
    private Map<String, ResourceMetrics.PodUsage> usages(List<HasMetadata> pods) {
        java.util.Set<String> nodeNames = new java.util.TreeSet<>();
        for (HasMetadata p : pods) {
            if (p instanceof io.fabric8.kubernetes.api.model.Pod pod && pod.getSpec() != null
                    && pod.getSpec().getNodeName() != null) {
                nodeNames.add(pod.getSpec().getNodeName());
            }
        }
        Map<String, ResourceMetrics.PodUsage> out = new HashMap<>();
        for (String nodeName : nodeNames) {
            source(nodeName).pods().forEach(p -> out.put(p.uid(), p));
        }
        return out;
    }

    private ObjectNode podMetrics(HasMetadata pod, ResourceMetrics.PodUsage u) {
        ObjectNode n = object("PodMetrics", pod);
        n.put("timestamp", Times.format(u.timestamp()));
        n.put("window", GoDuration.format(u.window()));
        ArrayNode containers = n.putArray("containers");
        for (ResourceMetrics.ContainerUsage c : u.containers()) {
            ObjectNode cn = containers.addObject();
            cn.put("name", c.name());
            usage(cn.putObject("usage"), c.cpuNanoCores(), c.memoryWorkingSetBytes());
        }
        return n;
    }

    /** An object's kind, apiVersion and metadata: its name, namespace and labels, created now (as metrics-server's are). */
    private ObjectNode object(String kind, HasMetadata of) {
        ObjectNode n = Json.object();
        n.put("kind", kind);
        n.put("apiVersion", GROUP_VERSION);
        ObjectNode meta = n.putObject("metadata");
        meta.put("name", of.getMetadata().getName());
        if (of.getMetadata().getNamespace() != null) {
            meta.put("namespace", of.getMetadata().getNamespace());
        }
        meta.put("creationTimestamp", Times.format(clock.now()));
        Map<String, String> labels = of.getMetadata().getLabels();
        if (labels != null && !labels.isEmpty()) {
            ObjectNode l = meta.putObject("labels");
            labels.forEach(l::put);
        }
        return n;
    }

    private static ObjectNode list(String kind) {
        ObjectNode list = Json.object();
        list.put("kind", kind);
        list.put("apiVersion", GROUP_VERSION);
        list.putObject("metadata");
        return list;
    }

    private static void usage(ObjectNode usage, long cpuNanoCores, long memoryBytes) {
        usage.put("cpu", cpu(cpuNanoCores));
        usage.put("memory", memory(memoryBytes));
    }

    /** Nanocores as a canonical decimal quantity, as {@code resource.NewScaledQuantity(n, -9)} prints. */
    static String cpu(long nanoCores) {
        return Quantities.canonical(new Quantities.Parsed(BigDecimal.valueOf(nanoCores, 9), Quantities.Format.DECIMAL_SI));
    }

    /** Bytes as a canonical binary quantity, as {@code resource.NewQuantity(b, BinarySI)} prints. */
    static String memory(long bytes) {
        return Quantities.canonical(new Quantities.Parsed(BigDecimal.valueOf(bytes), Quantities.Format.BINARY_SI));
    }
}
