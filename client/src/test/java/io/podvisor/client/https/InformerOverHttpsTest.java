package io.podvisor.client.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient.Listing;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.apiserver.fuzz.FuzzNode;
import io.podvisor.client.informers.ListWatch;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shared informer over the HTTPS transport, against a real HTTPS API server with a small watch
 * history: it lists, follows the watch, and when its watch is lost while more happened than the
 * history keeps, the HTTPS watch from its revision ends with 410 Gone and it re-lists, reporting
 * exactly what changed meanwhile (a delete it missed included) and watching on from there.
 */
class InformerOverHttpsTest {

    private static final int HISTORY = 8;

    private final FuzzNode node;
    private final SystemClock clock = new SystemClock();
    private final HttpsObjectClient client;

    InformerOverHttpsTest() throws Exception {
        node = new FuzzNode(HISTORY);
        client = HttpsObjectClient.fromKubeconfig(node.kubeconfig(), clock);
    }

    @AfterEach
    void close() {
        client.close();
        clock.close();
        node.close();
    }

    @Test
    void listsWatchesAndRelistsAfterGoneWithoutDuplicatesOrLostDeletes() {
        ConfigMap a = client.create(configMap("a", "1"));
        client.create(configMap("b", "1"));
        Droppable source = new Droppable(ListWatch.of(client, ConfigMap.class, "default", null, null));
        Calls calls = new Calls();
        try (SharedIndexInformer<ConfigMap> informer = new SharedIndexInformer<>("configmaps", source, clock,
                new VirtualThreadKeyedExecutor(), Duration.ZERO)) {
            informer.addEventHandler(calls);
            informer.start();
            await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.all().size() == 2);
            assertThat(calls.all()).containsExactly("add a", "add b");

            ConfigMap a2 = update(a, "2");
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.all().size() == 3);
            assertThat(calls.all().get(2)).isEqualTo("update a");
            assertThat(informer.lastSyncResourceVersion()).isEqualTo(a2.getMetadata().getResourceVersion());

            // the watch is lost; meanwhile b goes, c comes and a changes more often than the history keeps
            source.dropWatch();
            client.delete(ConfigMap.class, "default", "b", null);
            client.create(configMap("c", "1"));
            ConfigMap last = a2;
            for (int i = 3; i < 3 + HISTORY; i++) {
                last = update(last, Integer.toString(i));
            }
            source.reportLost();

            await().atMost(Duration.ofSeconds(10)).until(() -> calls.all().size() == 6);
            assertThat(calls.all().subList(3, 6)).containsExactlyInAnyOrder("update a", "add c", "delete b unknown");
            assertThat(source.lists.get()).isEqualTo(2);
            assertThat(informer.lister().keys()).containsExactly("default/a", "default/c");
            assertThat(informer.lister().get("default", "a").getData()).containsEntry("v", last.getData().get("v"));

            // and it watches on from the new list
            client.create(configMap("d", "1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.all().size() == 7);
            assertThat(calls.all().get(6)).isEqualTo("add d");
        }
    }

    private ConfigMap update(ConfigMap cm, String value) {
        ConfigMap next = Yaml.copy(cm);
        next.setData(Map.of("v", value));
        return client.update(next);
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withData(Map.of("v", value)).build();
    }

    /** Handler calls as {@code add a}, {@code update a}, {@code delete b unknown}. */
    private static final class Calls implements ResourceEventHandler<ConfigMap> {
        private final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void onAdd(ConfigMap o) {
            calls.add("add " + o.getMetadata().getName());
        }

        @Override
        public synchronized void onUpdate(ConfigMap old, ConfigMap o) {
            calls.add("update " + o.getMetadata().getName());
        }

        @Override
        public synchronized void onDelete(ConfigMap o, boolean finalStateUnknown) {
            calls.add("delete " + o.getMetadata().getName() + (finalStateUnknown ? " unknown" : ""));
        }

        synchronized List<String> all() {
            return List.copyOf(calls);
        }
    }

    /**
     * The HTTPS list-and-watch, with a watch the test can lose: {@link #dropWatch()} closes the
     * stream, {@link #reportLost()} then tells the informer its watch ended (as a broken connection
     * the transport gave up on would), so it watches again from the revision it had.
     */
    private static final class Droppable implements ListWatch<ConfigMap> {
        final ListWatch<ConfigMap> inner;
        final AtomicInteger lists = new AtomicInteger();
        final AtomicReference<Subscription> watch = new AtomicReference<>();
        final AtomicReference<WatchHandler<ConfigMap>> handler = new AtomicReference<>();

        Droppable(ListWatch<ConfigMap> inner) {
            this.inner = inner;
        }

        @Override
        public Listing<ConfigMap> list() {
            lists.incrementAndGet();
            return inner.list();
        }

        @Override
        public Subscription watch(String resourceVersion, WatchHandler<ConfigMap> h) {
            handler.set(h);
            Subscription s = inner.watch(resourceVersion, h);
            watch.set(s);
            return s;
        }

        void dropWatch() {
            watch.get().close();
        }

        void reportLost() {
            handler.get().onClosed(new IllegalStateException("connection lost"));
        }
    }
}
