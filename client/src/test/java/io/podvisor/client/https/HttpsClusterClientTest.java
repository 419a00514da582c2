package io.podvisor.client.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient.PodListener;
import io.podvisor.api.Yaml;
import io.podvisor.apiserver.fuzz.FuzzNode;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a kubelet on another machine needs of the API, over HTTPS to a real API server. */
class HttpsClusterClientTest {

    private final FuzzNode node;
    private final SystemClock clock = new SystemClock();
    private final HttpsObjectClient objects;
    private final HttpsClusterClient cluster;

    HttpsClusterClientTest() throws Exception {
        node = new FuzzNode();
        objects = HttpsObjectClient.fromKubeconfig(node.kubeconfig(), clock);
        cluster = new HttpsClusterClient(objects, clock, new VirtualThreadKeyedExecutor());
    }

    @AfterEach
    void close() {
        cluster.close();
        objects.close();
        clock.close();
        node.close();
    }

    @Test
    void theNodeSeesItsPodsAndWritesTheirStatusAndFinalDelete() {
        Pod mine = objects.create(pod("mine", "node-1"));
        objects.create(pod("other", "node-2"));
        List<String> seen = new CopyOnWriteArrayList<>();
        cluster.watchPods("node-1", new PodListener() {
            @Override
            public void onUpsert(Pod pod) {
                seen.add("upsert " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase());
            }

            @Override
            public void onDelete(Pod pod) {
                seen.add("delete " + pod.getMetadata().getName());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("upsert mine Pending");

        PodStatus running = Yaml.copy(mine.getStatus());
        running.setPhase("Running");
        assertThat(cluster.updatePodStatus("default", "mine", "not-its-uid", running)).isNull();
        Pod stored = cluster.updatePodStatus("default", "mine", mine.getMetadata().getUid(), running);
        assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(seen.get(1)).isEqualTo("upsert mine Running");

        cluster.deletePodFinal("default", "mine", "not-its-uid");
        assertThat(objects.get(Pod.class, "default", "mine")).isNotNull();
        cluster.deletePodFinal("default", "mine", mine.getMetadata().getUid());
        assertThat(objects.get(Pod.class, "default", "mine")).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
        assertThat(seen.get(2)).isEqualTo("delete mine");
        cluster.deletePodFinal("default", "mine", mine.getMetadata().getUid()); // already gone: nothing
    }

    @Test
    void eventsAreWrittenAndNothingIsReadOutsideTheCaches() {
        objects.create(new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("cm").endMetadata()
                .withData(Map.of("k", "v")).build());
        Event e = new EventBuilder().withNewMetadata().withNamespace("default").withName("mine.1").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withNamespace("default").withName("mine").endInvolvedObject()
                .withReason("Started").withMessage("Started container main").withType("Normal").withCount(1)
                .withFirstTimestamp("2026-06-01T00:00:00Z").withLastTimestamp("2026-06-01T00:00:00Z")
                .withNewSource().withComponent("kubelet").withHost("node-1").endSource().build();
        Event again = Yaml.copy(e);
        again.setCount(2);
        again.setLastTimestamp("2026-06-01T00:00:05Z");

        cluster.events().create(e);
        cluster.events().update(again);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(objects.get(Event.class, "default", "mine.1"))
                .isNotNull().extracting(Event::getCount).isEqualTo(2));
        // a sync must never wait on the API: the node reads ConfigMaps and Secrets from its informers
        // (CachedClusterClient over these writes), never through this client
        assertThat(cluster.configMap("default", "cm")).isNull();
        assertThat(cluster.secret("default", "absent")).isNull();
    }

    private static Pod pod(String name, String nodeName) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().build();
    }
}
