package io.podvisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchFaultsTest {

    private final TestCluster c = new TestCluster();
    private final List<String> seen = new ArrayList<>();
    private final List<RuntimeException> endedBy = new ArrayList<>();
    private final WatchHandler<ConfigMap> handler = new WatchHandler<>() {
        @Override
        public void onEvent(String type, ConfigMap cm) {
            seen.add(type + " " + cm.getMetadata().getName());
        }

        @Override
        public void onClosed(RuntimeException cause) {
            endedBy.add(cause);
        }
    };

    private void create(String name) {
        c.api.create(new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata().build());
        c.settle();
    }

    private void watch() {
        String from = c.api.listWithVersion(ConfigMap.class, "default", null, null).resourceVersion();
        c.api.watchFrom(ConfigMap.class, "default", null, null, from, handler);
    }

    @Test
    void heldEventsArriveInOrderOnRelease() {
        watch();
        c.watches.holdEvents(ConfigMap.class);
        create("a");
        create("b");
        assertThat(seen).isEmpty();

        c.watches.releaseEvents();
        create("c");
        assertThat(seen).containsExactly("ADDED a", "ADDED b", "ADDED c");
    }

    @Test
    void anExpiredWatchEndsWithGoneAndDeliversNothingMore() {
        watch();
        create("a");

        c.watches.expireWatches();
        create("b");

        assertThat(seen).containsExactly("ADDED a");
        assertThat(endedBy).singleElement().isInstanceOf(ApiException.Gone.class);
    }
}
