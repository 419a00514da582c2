package io.podvisor.cli.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.fake.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fabric8's {@code kubernetes-client}, unmodified, against an in-process node (fake runtime, real
 * kubelet and controllers) over HTTPS with the node's own kubeconfig. fabric8 opens every watch as
 * a WebSocket on the list URL: its {@code watch}, {@code inform} and {@code waitUntilReady} work
 * only if the server serves that.
 */
class Fabric8ClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private SystemClock clock;
    private NodeServer node;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        clock = new SystemClock();
        node = NodeServer.start(new NodeServer.Options(data, 0, "127.0.0.1", "fabric8-node", null), clock,
                new VirtualThreadKeyedExecutor(), new FakeRuntime(clock));
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(node.kubeconfig()))).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
        if (clock != null) {
            clock.close();
        }
    }

    @Test
    void createGetListPatchAndDelete() {
        ConfigMap created = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().withData(Map.of("a", "1")).build()).create();
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        assertThat(created.getMetadata().getManagedFields()).as("fabric8 names no field manager: its user agent does")
                .anyMatch(f -> f.getManager().equals("fabric8-kubernetes-client") && f.getOperation().equals("Update"));

        assertThat(client.configMaps().inNamespace("default").withName("settings").get().getData())
                .containsEntry("a", "1");
        assertThat(client.configMaps().inNamespace("default").list().getItems())
                .extracting(c -> c.getMetadata().getName()).contains("settings");

        ConfigMap merged = client.configMaps().inNamespace("default").withName("settings")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"b\":\"2\"}}");
        assertThat(merged.getData()).containsEntry("a", "1").containsEntry("b", "2");
        ConfigMap edited = client.configMaps().inNamespace("default").withName("settings")
                .edit(c -> new ConfigMapBuilder(c).addToData("c", "3").build());
        assertThat(edited.getData()).containsKeys("a", "b", "c");

        assertThat(client.configMaps().inNamespace("default").withName("settings").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace("default").withName("settings").get()).isNull();
    }

    @Test
    void aWatchSeesAddedModifiedAndDeleted() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch watch = client.pods().inNamespace("default").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                events.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("CLOSED " + cause);
            }
        })) {
            client.pods().inNamespace("default").resource(pod("watched")).create();
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("ADDED watched"));

            client.pods().inNamespace("default").withName("watched")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}");
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("MODIFIED watched"));

            client.pods().inNamespace("default").withName("watched").withGracePeriod(0).delete();
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("DELETED watched"));
            assertThat(events).noneMatch(e -> e.startsWith("CLOSED"));
        }
    }

    @Test
    void anInformerSeesAddUpdateAndDelete() {
        List<String> events = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace("default").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                events.add("add " + pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                if (after.getMetadata().getLabels() != null && after.getMetadata().getLabels().containsKey("seen")) {
                    events.add("update " + after.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                events.add("delete " + pod.getMetadata().getName());
            }
        });
        try {
            assertThat(informer.hasSynced()).isTrue();
            client.pods().inNamespace("default").resource(pod("informed")).create();
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("add informed"));

            client.pods().inNamespace("default").withName("informed")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}");
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("update informed"));

            client.pods().inNamespace("default").withName("informed").withGracePeriod(0).delete();
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(events).contains("delete informed"));
            assertThat(informer.getStore().getByKey("default/informed")).isNull();
        } finally {
            informer.close();
        }
    }

    @Test
    void waitUntilReadyReturnsOnceThePodIsReady() {
        client.pods().inNamespace("default").resource(pod("ready")).create();

        Pod ready = client.pods().inNamespace("default").withName("ready").waitUntilReady(DEADLINE.toSeconds(),
                TimeUnit.SECONDS);

        assertThat(ready.getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().build();
    }
}
