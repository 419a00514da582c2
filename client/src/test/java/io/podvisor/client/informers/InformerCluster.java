package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.Yaml;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real registry (the in-process transport) on a {@link MemoryStore} with a small watch history,
 * one {@link FakeClock} and one {@link DeterministicExecutor}: every watch delivery and handler call
 * is a task run by {@link #drain()}, every timer fires in virtual time.
 */
final class InformerCluster implements AutoCloseable {

    /** Watch history kept by the store: a few writes more make an informer's revision too old. */
    static final int HISTORY = 8;

    final FakeClock clock = new FakeClock(Instant.parse("2026-06-01T00:00:00Z"));
    final DeterministicExecutor executor = new DeterministicExecutor();
    final MemoryStore store = new MemoryStore(executor, HISTORY);
    final Registries api = new Registries(store, clock, executor);

    InformerCluster() {
        clock.afterEachTimer(executor::runUntilIdle);
        api.start();
        drain();
    }

    void drain() {
        executor.runUntilIdle();
    }

    void advance(Duration d) {
        clock.advance(d);
        drain();
    }

    ConfigMap configMap(String ns, String name, Map<String, String> labels, String value) {
        return api.create(new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
                .endMetadata().withData(Map.of("v", value)).build());
    }

    ConfigMap updateConfigMap(String ns, String name, String value) {
        ConfigMap cm = Yaml.copy(api.get(ConfigMap.class, ns, name));
        cm.setData(Map.of("v", value));
        return api.update(cm);
    }

    ConfigMap relabel(String ns, String name, Map<String, String> labels) {
        ConfigMap cm = Yaml.copy(api.get(ConfigMap.class, ns, name));
        cm.getMetadata().setLabels(labels);
        return api.update(cm);
    }

    void deleteConfigMap(String ns, String name) {
        api.delete(ConfigMap.class, ns, name, null);
    }

    Pod pod(String ns, String name, String node, Map<String, String> labels, HasMetadata owner) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec();
        if (owner != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                    .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).endOwnerReference()
                    .endMetadata();
        }
        return api.create(b.build());
    }

    @Override
    public void close() {
        api.close();
        store.close();
    }

    /** Records what a handler receives, one line per call, and the instances it was given. */
    static final class Recorder<T extends HasMetadata> implements ResourceEventHandler<T> {
        final List<String> calls = new ArrayList<>();
        final List<T> objects = new ArrayList<>();

        @Override
        public void onAdd(T object) {
            calls.add("add " + Indexers.key(object) + " " + rv(object));
            objects.add(object);
        }

        @Override
        public void onUpdate(T oldObject, T newObject) {
            calls.add("update " + Indexers.key(newObject) + " " + rv(oldObject) + "->" + rv(newObject));
            objects.add(newObject);
        }

        @Override
        public void onDelete(T lastKnown, boolean finalStateUnknown) {
            calls.add("delete " + Indexers.key(lastKnown) + " " + rv(lastKnown) + (finalStateUnknown ? " unknown" : ""));
            objects.add(lastKnown);
        }

        List<String> take() {
            List<String> out = List.copyOf(calls);
            calls.clear();
            objects.clear();
            return out;
        }
    }

    static String rv(HasMetadata o) {
        return o.getMetadata().getResourceVersion();
    }
}
