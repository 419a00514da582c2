package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.podvisor.api.Times;
import io.podvisor.api.client.ResourceMetrics;
import io.podvisor.api.client.ResourceMetrics.ContainerUsage;
import io.podvisor.api.resources.ResourceTypes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code metrics.k8s.io/v1beta1} as metrics-server serves it, over a node's samples. */
class MetricsApiTest extends ServerTestBase {

    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    Instant sampled;
    final List<ResourceMetrics.PodUsage> pods = new ArrayList<>();

    @BeforeEach
    void samples() {
        sampled = clock.now().minusSeconds(3);
        registry.put(ResourceTypes.NODES, new NodeBuilder().withNewMetadata().withName("node-1")
                .withLabels(Map.of("kubernetes.io/hostname", "node-1")).endMetadata().build());
        server.serveMetrics("node-1", new ResourceMetrics() {
            @Override
            public Optional<Usage> node() {
                return Optional.of(new Usage(sampled, Duration.ofMillis(15_012), 1_234_567L, 3L << 30));
            }

            @Override
            public List<PodUsage> pods() {
                return pods;
            }
        });
    }

    @Test
    void discoveryListsTheGroupWithNodesAndPodsForGetAndListOnly() throws Exception {
        JsonNode legacy = json(get("/apis/metrics.k8s.io/v1beta1"));
        assertThat(legacy.path("groupVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
        JsonNode nodes = legacy.path("resources").get(0);
        assertThat(nodes.path("name").asText()).isEqualTo("nodes");
        assertThat(nodes.path("kind").asText()).isEqualTo("NodeMetrics");
        assertThat(nodes.path("namespaced").asBoolean()).isFalse();
        assertThat(nodes.path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
        JsonNode pods = legacy.path("resources").get(1);
        assertThat(pods.path("kind").asText()).isEqualTo("PodMetrics");
        assertThat(pods.path("namespaced").asBoolean()).isTrue();
        assertThat(json(get("/apis")).path("groups").findValuesAsText("name")).contains("metrics.k8s.io");
        assertThat(json(get("/apis/metrics.k8s.io")).path("preferredVersion").path("groupVersion").asText())
                .isEqualTo("metrics.k8s.io/v1beta1");

        JsonNode group = find(json(get("/apis", "Accept", AGGREGATED)).path("items"), "metrics.k8s.io", "metadata", "name");
        JsonNode podsResource = group.path("versions").get(0).path("resources").get(1);
        assertThat(podsResource.path("resource").asText()).isEqualTo("pods");
        assertThat(podsResource.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(podsResource.path("responseKind").path("kind").asText()).isEqualTo("PodMetrics");
    }

    @Test
    void nodeMetricsCarryTheNodeLabelsTimestampWindowAndUsageInMetricsServerQuantities() throws Exception {
        JsonNode node = json(get("/apis/metrics.k8s.io/v1beta1/nodes/node-1"));

        assertThat(node.path("kind").asText()).isEqualTo("NodeMetrics");
        assertThat(node.path("apiVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
        assertThat(node.path("metadata").path("name").asText()).isEqualTo("node-1");
        assertThat(node.path("metadata").path("labels").path("kubernetes.io/hostname").asText()).isEqualTo("node-1");
        assertThat(node.path("timestamp").asText()).isEqualTo(Times.format(sampled));
        assertThat(node.path("window").asText()).isEqualTo("15.012s");
        assertThat(node.path("usage").path("cpu").asText()).isEqualTo("1234567n");
        assertThat(node.path("usage").path("memory").asText()).isEqualTo("3Gi");

        JsonNode list = json(get("/apis/metrics.k8s.io/v1beta1/nodes"));
        assertThat(list.path("kind").asText()).isEqualTo("NodeMetricsList");
        assertThat(list.path("items")).hasSize(1);
        assertThat(json(get("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=kubernetes.io/hostname=other"))
                .path("items")).isEmpty();

        HttpResponse<String> missing = get("/apis/metrics.k8s.io/v1beta1/nodes/node-2");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("message").asText()).isEqualTo("nodemetrics.metrics.k8s.io \"node-2\" not found");
    }

    @Test
    void podMetricsListOnlySampledPodsOfTheSelectionAndAnUnsampledPodIsNotFound() throws Exception {
        addPod("web", Map.of("app", "web"), "nginx", "sidecar");
        addPod("db", Map.of("app", "db"), "postgres");
        addPod("fresh", Map.of("app", "web"), "nginx");
        pods.add(new ResourceMetrics.PodUsage("default", "web", "uid-web", sampled, Duration.ofSeconds(15),
                List.of(new ContainerUsage("nginx", 250_000_000L, 41_943_040L), new ContainerUsage("sidecar", 0, 1_234_567L))));
        pods.add(new ResourceMetrics.PodUsage("default", "db", "uid-db", sampled, Duration.ofSeconds(15),
                List.of(new ContainerUsage("postgres", 1_000_000_000L, 1_265_664L))));

        JsonNode web = json(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web"));
        assertThat(web.path("kind").asText()).isEqualTo("PodMetrics");
        assertThat(web.path("metadata").path("namespace").asText()).isEqualTo("default");
        assertThat(web.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(web.path("window").asText()).isEqualTo("15s");
        assertThat(web.path("containers").get(0).path("name").asText()).isEqualTo("nginx");
        assertThat(web.path("containers").get(0).path("usage").path("cpu").asText()).isEqualTo("250m");
        assertThat(web.path("containers").get(0).path("usage").path("memory").asText()).isEqualTo("40Mi");
        assertThat(web.path("containers").get(1).path("usage").path("cpu").asText()).isEqualTo("0");
        assertThat(web.path("containers").get(1).path("usage").path("memory").asText()).isEqualTo("1234567");

        JsonNode selected = json(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb"));
        assertThat(selected.path("kind").asText()).isEqualTo("PodMetricsList");
        assertThat(selected.path("items").findValuesAsText("name")).containsExactly("web", "nginx", "sidecar");
        JsonNode all = json(get("/apis/metrics.k8s.io/v1beta1/pods"));
        assertThat(all.path("items")).hasSize(2);
        assertThat(all.path("items").get(0).path("containers").get(0).path("usage").path("cpu").asText()).isEqualTo("1");
        assertThat(all.path("items").get(0).path("containers").get(0).path("usage").path("memory").asText())
                .isEqualTo("1236Ki");

        HttpResponse<String> fresh = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/fresh");
        assertThat(fresh.statusCode()).isEqualTo(404);
        assertThat(json(fresh).path("message").asText()).isEqualTo("podmetrics.metrics.k8s.io \"default/fresh\" not found");
        assertThat(json(fresh).path("details").path("kind").asText()).isEqualTo("podmetrics");
        assertThat(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void writesAreMethodNotAllowed() throws Exception {
        HttpResponse<String> post = send("POST", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(json(post).path("reason").asText()).isEqualTo("MethodNotAllowed");
        assertThat(send("DELETE", "/apis/metrics.k8s.io/v1beta1/nodes/node-1", "application/json", "").statusCode())
                .isEqualTo(405);
        assertThat(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/nodes").statusCode()).isEqualTo(404);
    }

    @Test
    void anotherNodesUsageComesFromItsRemoteSource() throws Exception {
        registry.put(ResourceTypes.NODES, new NodeBuilder().withNewMetadata().withName("node-2").endMetadata().build());
        io.fabric8.kubernetes.api.model.Pod there = addPod("there", Map.of(), "app");
        there.getSpec().setNodeName("node-2");
        registry.put(ResourceTypes.PODS, there);
        ResourceMetrics.PodUsage usage = new ResourceMetrics.PodUsage("default", "there", "uid-there", sampled,
                Duration.ofSeconds(15), List.of(new ContainerUsage("app", 2_000_000L, 8L << 20)));
        List<String> asked = new ArrayList<>();
        server.serveRemoteMetrics(name -> {
            asked.add(name);
            return new ResourceMetrics() {
                @Override
                public Optional<Usage> node() {
                    return Optional.of(new Usage(sampled, Duration.ofSeconds(15), 7_000_000L, 1L << 30));
                }

                @Override
                public List<PodUsage> pods() {
                    return List.of(usage);
                }
            };
        });

        JsonNode pod = json(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/there"));
        assertThat(pod.path("containers").get(0).path("usage").path("cpu").asText()).isEqualTo("2m");
        assertThat(pod.path("containers").get(0).path("usage").path("memory").asText()).isEqualTo("8Mi");
        JsonNode nodes = json(get("/apis/metrics.k8s.io/v1beta1/nodes"));
        assertThat(nodes.path("items").findValuesAsText("name")).containsExactly("node-1", "node-2");
        assertThat(nodes.path("items").get(1).path("usage").path("memory").asText()).isEqualTo("1Gi");
        assertThat(asked).as("the local node is never asked remotely").containsOnly("node-2");
    }
}
