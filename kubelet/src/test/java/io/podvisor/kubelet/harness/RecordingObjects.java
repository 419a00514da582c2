package io.podvisor.kubelet.harness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ObjectClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ObjectClient} that passes every call on to the API it wraps and logs each write as
 * {@code "<verb> <Kind> <name>[ grace <n>]"}, so a test can tell which requests were made (the
 * kubelet's Node, Lease and mirror-pod writes, and the test's own through the same client).
 *
 * <p>Thread-safety: as the wrapped client; the log is kept under a lock.
 */
public final class RecordingObjects implements ObjectClient {

    private final ObjectClient api;
    private final List<String> log = new ArrayList<>();

    public RecordingObjects(ObjectClient api) {
        this.api = Objects.requireNonNull(api);
    }

    private synchronized void record(String verb, String kind, String name) {
        log.add(verb + " " + kind + " " + name);
    }

    /** Every write so far, oldest first. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return api.get(type, namespace, name);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector, String fieldSelector) {
        return api.list(type, namespace, labelSelector, fieldSelector);
    }

    @Override
    public <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        return api.listWithVersion(type, namespace, labelSelector, fieldSelector);
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        record("create", object.getKind(), object.getMetadata().getName());
        return api.create(object);
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        record("update", object.getKind(), object.getMetadata().getName());
        return api.update(object);
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        record("updateStatus", object.getKind(), object.getMetadata().getName());
        return api.updateStatus(object);
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds) {
        record("delete", type.getSimpleName(), name + (gracePeriodSeconds == null ? "" : " grace " + gracePeriodSeconds));
        api.delete(type, namespace, name, gracePeriodSeconds);
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds,
            String propagationPolicy) {
        record("delete", type.getSimpleName(), name + (gracePeriodSeconds == null ? "" : " grace " + gracePeriodSeconds));
        api.delete(type, namespace, name, gracePeriodSeconds, propagationPolicy);
    }

    @Override
    public Pod bind(String namespace, String name, String nodeName) {
        record("bind", "Pod", name);
        return api.bind(namespace, name, nodeName);
    }

    @Override
    public <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        return api.watch(type, namespace, handler);
    }

    @Override
    public <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace, String labelSelector,
            String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        return api.watchFrom(type, namespace, labelSelector, fieldSelector, resourceVersion, handler);
    }
}
