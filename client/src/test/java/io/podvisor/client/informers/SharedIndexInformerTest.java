package io.podvisor.client.informers;

import static io.podvisor.client.informers.InformerCluster.rv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ObjectClient.Listing;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import io.podvisor.client.informers.InformerCluster.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedIndexInformerTest {

    private static final Map<String, String> WEB = Map.of("app", "web");
    private static final Map<String, String> DB = Map.of("app", "db");

    private final InformerCluster c = new InformerCluster();

    @AfterEach
    void close() {
        c.close();
    }

    private SharedIndexInformer<ConfigMap> configMaps(String ns, Duration resync) {
        return new SharedIndexInformer<>("configmaps", ListWatch.of(c.api, ConfigMap.class, ns, null, null), c.clock,
                c.executor, resync);
    }

    @Test
    void listsThenWatchesFromTheListRevision() {
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        ConfigMap b = c.configMap("default", "b", WEB, "1");
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        SharedIndexInformer.Registration reg = inf.addEventHandler(rec);
        assertThat(inf.hasSynced()).isFalse();

        inf.start();
        c.drain();
        assertThat(inf.hasSynced()).isTrue();
        assertThat(reg.hasSynced()).isTrue();
        assertThat(inf.synced().toCompletableFuture()).isDone();
        assertThat(rec.take()).containsExactly("add default/a " + rv(a), "add default/b " + rv(b));

        ConfigMap a2 = c.updateConfigMap("default", "a", "2");
        ConfigMap d = c.configMap("default", "d", DB, "1");
        c.deleteConfigMap("default", "b");
        long deletedAt = c.store.currentRevision();
        c.configMap("kube-system", "elsewhere", WEB, "1");
        c.drain();

        assertThat(rec.take()).containsExactly(
                "update default/a " + rv(a) + "->" + rv(a2),
                "add default/d " + rv(d),
                "delete default/b " + deletedAt);
        assertThat(inf.lister().keys()).containsExactly("default/a", "default/d");
        assertThat(inf.lister().get("default", "a").getData()).containsEntry("v", "2");
        assertThat(inf.lastSyncResourceVersion()).isEqualTo(Long.toString(deletedAt));
    }

    @Test
    void everyHandlerGetsTheSameDecodedInstanceTheCacheHolds() {
        SharedIndexInformer<ConfigMap> inf = configMaps(null, Duration.ZERO);
        List<Recorder<ConfigMap>> handlers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Recorder<ConfigMap> r = new Recorder<>();
            handlers.add(r);
            inf.addEventHandler(r);
        }
        inf.start();
        c.drain();
        handlers.forEach(Recorder::take);

        c.configMap("default", "shared", WEB, "1");
        c.updateConfigMap("default", "shared", "2");
        c.drain();

        ConfigMap cached = inf.lister().get("default", "shared");
        for (Recorder<ConfigMap> r : handlers) {
            assertThat(r.calls).hasSize(2);
            assertThat(r.objects.get(1)).isSameAs(cached);
            assertThat(r.objects.get(0)).isSameAs(handlers.get(0).objects.get(0));
        }
    }

    @Test
    void aLateHandlerFirstReceivesAddsForWhatIsCachedThenChanges() {
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ZERO);
        Recorder<ConfigMap> early = new Recorder<>();
        inf.addEventHandler(early);
        inf.start();
        c.drain();
        ConfigMap b = c.configMap("default", "b", WEB, "1");
        c.drain();

        Recorder<ConfigMap> late = new Recorder<>();
        SharedIndexInformer.Registration lateReg = inf.addEventHandler(late);
        assertThat(lateReg.hasSynced()).isFalse();
        c.drain();
        assertThat(lateReg.hasSynced()).isTrue();
        assertThat(late.take()).containsExactly("add default/a " + rv(a), "add default/b " + rv(b));

        ConfigMap b2 = c.updateConfigMap("default", "b", "2");
        c.drain();
        assertThat(late.take()).containsExactly("update default/b " + rv(b) + "->" + rv(b2));
        assertThat(early.take()).containsExactly("add default/a " + rv(a), "add default/b " + rv(b),
                "update default/b " + rv(b) + "->" + rv(b2));
    }

    @Test
    void aRemovedHandlerReceivesNothingMore() {
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        SharedIndexInformer.Registration reg = inf.addEventHandler(rec);
        inf.start();
        c.drain();
        c.configMap("default", "a", WEB, "1");
        reg.close();
        c.drain();
        assertThat(rec.calls).isEmpty();
    }

    @Test
    void resyncDeliversAnUpdateForEveryCachedObjectEachPeriodOfTheClock() {
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        ConfigMap b = c.configMap("default", "b", WEB, "1");
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ofSeconds(30));
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        inf.start();
        c.drain();
        rec.take();

        c.advance(Duration.ofSeconds(29));
        assertThat(rec.calls).isEmpty();
        c.advance(Duration.ofSeconds(1));
        assertThat(rec.take()).containsExactly("update default/a " + rv(a) + "->" + rv(a),
                "update default/b " + rv(b) + "->" + rv(b));
        assertThat(rec.objects).isEmpty();
        c.advance(Duration.ofSeconds(30));
        assertThat(rec.calls).hasSize(2);

        inf.close();
        rec.take();
        c.advance(Duration.ofSeconds(60));
        assertThat(rec.calls).isEmpty();
    }

    @Test
    void withoutResyncNothingComesWhileNothingChanges() {
        c.configMap("default", "a", WEB, "1");
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        inf.start();
        c.drain();
        rec.take();
        c.advance(Duration.ofMinutes(10));
        assertThat(rec.calls).isEmpty();
    }

    @Test
    void aWatchThatEndsIsResumedFromTheLastRevisionWithoutRepeats() {
        Droppable<ConfigMap> source = new Droppable<>(ListWatch.of(c.api, ConfigMap.class, "default", null, null));
        SharedIndexInformer<ConfigMap> inf = new SharedIndexInformer<>("cm", source, c.clock, c.executor, Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        inf.start();
        c.drain();
        rec.take();

        source.drop(new RuntimeException("connection reset"));
        ConfigMap a2 = c.updateConfigMap("default", "a", "2");
        ConfigMap b = c.configMap("default", "b", WEB, "1");
        source.resume();
        c.drain();

        assertThat(rec.take()).containsExactly("update default/a " + rv(a) + "->" + rv(a2), "add default/b " + rv(b));
        assertThat(source.lists).isEqualTo(1);
        assertThat(source.watchesFrom).containsExactly(rv(a), rv(a));
    }

    @Test
    void goneAfterAnOutageRelistsAndDeliversExactlyTheDifference() {
        Droppable<ConfigMap> source = new Droppable<>(ListWatch.of(c.api, ConfigMap.class, "default", null, null));
        SharedIndexInformer<ConfigMap> inf = new SharedIndexInformer<>("cm", source, c.clock, c.executor, Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        ConfigMap same = c.configMap("default", "same", WEB, "1");
        ConfigMap changed = c.configMap("default", "changed", WEB, "1");
        ConfigMap deleted = c.configMap("default", "deleted", WEB, "1");
        ConfigMap churn = c.configMap("default", "churn", WEB, "0");
        inf.start();
        c.drain();
        rec.take();

        source.drop(new RuntimeException("connection reset"));
        ConfigMap changed2 = c.updateConfigMap("default", "changed", "2");
        c.deleteConfigMap("default", "deleted");
        ConfigMap added = c.configMap("default", "added", WEB, "1");
        ConfigMap churned = churn;
        for (int i = 1; i <= InformerCluster.HISTORY + 2; i++) {
            churned = c.updateConfigMap("default", "churn", Integer.toString(i));
        }
        ConfigMap addedThenDeleted = c.configMap("default", "transient", WEB, "1");
        c.deleteConfigMap("default", "transient");
        assertThat(c.store.oldestWatchableRevision()).isGreaterThan(Long.parseLong(rv(churn)));
        source.resume();
        c.drain();

        assertThat(source.lists).isEqualTo(2);
        assertThat(rec.take()).containsExactly(
                "add default/added " + rv(added),
                "update default/changed " + rv(changed) + "->" + rv(changed2),
                "update default/churn " + rv(churn) + "->" + rv(churned),
                "delete default/deleted " + rv(deleted) + " unknown");
        assertThat(c.api.get(ConfigMap.class, "default", addedThenDeleted.getMetadata().getName())).isNull();
        assertThat(inf.lister().keys()).containsExactly("default/added", "default/changed", "default/churn",
                "default/same");
        assertThat(inf.lastSyncResourceVersion()).isEqualTo(Long.toString(c.store.currentRevision()));

        // and it watches again, from the new list's revision
        ConfigMap same2 = c.updateConfigMap("default", "same", "2");
        c.drain();
        assertThat(rec.take()).containsExactly("update default/same " + rv(same) + "->" + rv(same2));
        assertThat(source.watchesFrom).last().isEqualTo(Long.toString(c.store.currentRevision() - 1));
    }

    @Test
    void goneBetweenListAndWatchRelistsWithoutDuplicates() {
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        int[] churn = {0};
        ListWatch<ConfigMap> real = ListWatch.of(c.api, ConfigMap.class, "default", null, null);
        Droppable<ConfigMap> source = new Droppable<>(new ListWatch<>() {
            @Override
            public Listing<ConfigMap> list() {
                Listing<ConfigMap> l = real.list();
                if (churn[0]++ == 0) {
                    // the first list is outdated before its watch starts: the history moves past it
                    for (int i = 0; i < InformerCluster.HISTORY + 2; i++) {
                        c.updateConfigMap("default", "a", "x" + i);
                    }
                }
                return l;
            }

            @Override
            public Subscription watch(String resourceVersion, WatchHandler<ConfigMap> handler) {
                return real.watch(resourceVersion, handler);
            }
        });
        SharedIndexInformer<ConfigMap> inf = new SharedIndexInformer<>("cm", source, c.clock, c.executor, Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        inf.start();
        c.drain();

        ConfigMap latest = c.api.get(ConfigMap.class, "default", "a");
        assertThat(source.lists).isEqualTo(2);
        assertThat(rec.take()).containsExactly("add default/a " + rv(a), "update default/a " + rv(a) + "->" + rv(latest));
        ConfigMap next = c.updateConfigMap("default", "a", "y");
        c.drain();
        assertThat(rec.take()).containsExactly("update default/a " + rv(latest) + "->" + rv(next));
    }

    @Test
    void aFailingListIsRetriedWithBackOffOnTheClock() {
        c.configMap("default", "a", WEB, "1");
        ListWatch<ConfigMap> real = ListWatch.of(c.api, ConfigMap.class, "default", null, null);
        int[] attempts = {0};
        Droppable<ConfigMap> source = new Droppable<>(new ListWatch<>() {
            @Override
            public Listing<ConfigMap> list() {
                if (++attempts[0] <= 2) {
                    throw new IllegalStateException("connection refused");
                }
                return real.list();
            }

            @Override
            public Subscription watch(String resourceVersion, WatchHandler<ConfigMap> handler) {
                return real.watch(resourceVersion, handler);
            }
        });
        SharedIndexInformer<ConfigMap> inf = new SharedIndexInformer<>("cm", source, c.clock, c.executor, Duration.ZERO);
        inf.start();
        c.drain();
        assertThat(attempts[0]).isEqualTo(1);
        c.advance(Duration.ofMillis(799));
        assertThat(attempts[0]).isEqualTo(1);
        c.advance(Duration.ofMillis(1));
        assertThat(attempts[0]).isEqualTo(2);
        assertThat(inf.hasSynced()).isFalse();
        c.advance(Duration.ofMillis(1599));
        assertThat(attempts[0]).isEqualTo(2);
        c.advance(Duration.ofMillis(1));
        assertThat(attempts[0]).isEqualTo(3);
        assertThat(inf.hasSynced()).isTrue();
        assertThat(source.lists).isEqualTo(1);
        assertThat(inf.lister().keys()).containsExactly("default/a");
    }

    @Test
    void indexesByNamespaceOwnerLabelsAndNode() {
        ConfigMap owner = c.configMap("default", "owner", WEB, "1");
        c.pod("default", "p1", "node-a", WEB, owner);
        c.pod("default", "p2", "node-b", DB, owner);
        c.pod("kube-system", "p3", "node-a", WEB, null);
        c.pod("default", "p4", null, WEB, null);
        SharedIndexInformer<Pod> inf = new SharedIndexInformer<>("pods", ListWatch.of(c.api, Pod.class, null, null, null),
                c.clock, c.executor, Duration.ZERO);
        inf.addIndexer(Indexers.OWNER_UID, Indexers::ownerUids);
        inf.addIndexer(Indexers.NODE_NAME, Indexers::podNodeName);
        inf.start();
        c.drain();
        inf.addIndexer(Indexers.LABEL, Indexers::labels); // after the cache filled: indexes what is there
        Lister<Pod> pods = inf.lister();

        assertThat(names(pods.list("default"))).containsExactly("p1", "p2", "p4");
        assertThat(names(pods.list("kube-system"))).containsExactly("p3");
        assertThat(names(pods.byIndex(Indexers.OWNER_UID, owner.getMetadata().getUid()))).containsExactly("p1", "p2");
        assertThat(names(pods.byIndex(Indexers.NODE_NAME, "node-a"))).containsExactly("p1", "p3");
        assertThat(names(pods.byIndex(Indexers.LABEL, "app=web"))).containsExactly("p1", "p4", "p3");
        assertThat(pods.getByKey("kube-system/p3")).isSameAs(pods.get("kube-system", "p3"));
        assertThatThrownBy(() -> pods.byIndex("nope", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inf.addIndexer(Indexers.LABEL, Indexers::labels))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(inf.addIndexerIfAbsent(Indexers.LABEL, Indexers::labels)).as("a second user of the index").isFalse();
        assertThat(names(pods.byIndex(Indexers.LABEL, "app=web"))).containsExactly("p1", "p4", "p3");

        // a change moves the object between index values; a bind fills the node index
        Pod p1 = io.podvisor.api.Yaml.copy(pods.get("default", "p1"));
        p1.getMetadata().setLabels(DB);
        c.api.update(p1);
        c.api.bind("default", "p4", "node-b");
        c.drain();
        assertThat(names(pods.byIndex(Indexers.LABEL, "app=web"))).containsExactly("p4", "p3");
        assertThat(names(pods.byIndex(Indexers.LABEL, "app=db"))).containsExactly("p1", "p2");
        assertThat(names(pods.byIndex(Indexers.NODE_NAME, "node-b"))).containsExactly("p2", "p4");
        assertThat(pods.byIndex(Indexers.OWNER_UID, "no-such-uid")).isEmpty();
    }

    @Test
    void fieldSelectorKeepsOneNodesPods() {
        SharedIndexInformer<Pod> inf = new SharedIndexInformer<>("pods",
                ListWatch.of(c.api, Pod.class, null, null, "spec.nodeName=node-a"), c.clock, c.executor, Duration.ZERO);
        Recorder<Pod> rec = new Recorder<>();
        inf.addEventHandler(rec);
        c.pod("default", "mine", "node-a", WEB, null);
        c.pod("default", "theirs", "node-b", WEB, null);
        inf.start();
        c.drain();
        Pod pending = c.pod("default", "pending", null, WEB, null);
        c.drain();
        assertThat(inf.lister().keys()).containsExactly("default/mine");

        Pod bound = c.api.bind("default", "pending", "node-a");
        c.drain();
        assertThat(inf.lister().keys()).containsExactly("default/mine", "default/pending");
        assertThat(rec.calls).last().isEqualTo("add default/pending " + rv(bound));
        assertThat(rv(bound)).isNotEqualTo(rv(pending));
    }

    @Test
    void labelSelectorDeliversAnObjectThatStopsMatchingAsDeleted() {
        SharedIndexInformer<ConfigMap> inf = new SharedIndexInformer<>("web",
                ListWatch.of(c.api, ConfigMap.class, "default", "app=web", null), c.clock, c.executor, Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        ConfigMap a = c.configMap("default", "a", WEB, "1");
        c.configMap("default", "b", DB, "1");
        inf.start();
        c.drain();
        assertThat(rec.take()).containsExactly("add default/a " + rv(a));

        ConfigMap moved = c.relabel("default", "a", DB);
        ConfigMap joined = c.relabel("default", "b", WEB);
        c.drain();
        assertThat(rec.take()).containsExactly("delete default/a " + rv(moved), "add default/b " + rv(joined));
        assertThat(inf.lister().keys()).containsExactly("default/b");
    }

    @Test
    void closeStopsWatchAndDelivery() {
        SharedIndexInformer<ConfigMap> inf = configMaps("default", Duration.ZERO);
        Recorder<ConfigMap> rec = new Recorder<>();
        inf.addEventHandler(rec);
        inf.start();
        c.drain();
        c.configMap("default", "a", WEB, "1");
        inf.close();
        c.drain();
        c.configMap("default", "b", WEB, "1");
        c.drain();
        assertThat(rec.calls).isEmpty();
        assertThat(inf.lister().keys()).isEmpty();
    }

    @Test
    void keysHandlerFeedsAWorkQueue() {
        SharedIndexInformer<ConfigMap> inf = configMaps(null, Duration.ZERO);
        List<String> queue = new ArrayList<>();
        inf.addEventHandler(ResourceEventHandler.keys(queue::add));
        inf.start();
        c.drain();
        queue.clear();
        c.configMap("default", "a", WEB, "1");
        c.updateConfigMap("default", "a", "2");
        c.deleteConfigMap("default", "a");
        c.drain();
        assertThat(queue).containsExactly("default/a", "default/a", "default/a");
    }

    private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }

    /**
     * A source whose watch the test can cut, as a lost connection would: the watch is closed and
     * the informer told; while down, re-watches wait until {@link #resume}.
     */
    static final class Droppable<T extends io.fabric8.kubernetes.api.model.HasMetadata> implements ListWatch<T> {
        private final ListWatch<T> real;
        int lists;
        final List<String> watchesFrom = new ArrayList<>();
        private Subscription current;
        private WatchHandler<T> handler;
        private boolean down;
        private Runnable pending;

        Droppable(ListWatch<T> real) {
            this.real = real;
        }

        @Override
        public Listing<T> list() {
            Listing<T> l = real.list();
            lists++;
            return l;
        }

        @Override
        public Subscription watch(String resourceVersion, WatchHandler<T> h) {
            watchesFrom.add(resourceVersion);
            if (down) {
                // answered once the connection is back
                Subscription[] s = {null};
                pending = () -> {
                    try {
                        s[0] = real.watch(resourceVersion, h);
                        current = s[0];
                        handler = h;
                    } catch (ApiException.Gone e) {
                        h.onClosed(e);
                    }
                };
                return () -> {
                    if (s[0] != null) {
                        s[0].close();
                    }
                };
            }
            current = real.watch(resourceVersion, h);
            handler = h;
            return current;
        }

        void drop(RuntimeException cause) {
            down = true;
            current.close();
            handler.onClosed(cause);
        }

        void resume() {
            down = false;
            if (pending != null) {
                Runnable p = pending;
                pending = null;
                p.run();
            }
        }
    }
}
