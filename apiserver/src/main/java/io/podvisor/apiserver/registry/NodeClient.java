package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WatchHandle;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.store.RevisionConflictException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ClusterClient} for the kubelet: the pods bound to a node (delivered through the executor,
 * in order, under one key per node), pod status writes guarded by uid, the final delete of a
 * terminated pod, and an event sink writing core/v1 Events.
 */
final class NodeClient implements ClusterClient {

    private static final int ATTEMPTS = 16;

    private final Context ctx;
    private final Registries registry;
    private final Updater updater;
    private final EventSink events;
    private final List<WatchHandle> watches = new CopyOnWriteArrayList<>();

    NodeClient(Context ctx, Registries registry, Updater updater) {
        this.ctx = ctx;
        this.registry = registry;
        this.updater = updater;
        this.events = new StoreEventSink(ctx, registry);
    }

    @Override
    public void watchPods(String nodeName, PodListener listener) {
        String key = "node-pods/" + nodeName;
        ListOptions o = new ListOptions(null, null, "spec.nodeName=" + nodeName, null, 0, null, false);
        watches.add(registry.watch(ResourceTypes.PODS, o, ev -> {
            Pod pod = (Pod) ev.object();
            switch (ev.type()) {
                case "ADDED", "MODIFIED" -> ctx.executor.execute(key, () -> listener.onUpsert(pod));
                case "DELETED" -> ctx.executor.execute(key, () -> listener.onDelete(pod));
                default -> { }
            }
        }));
    }

    @Override
    public Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = ctx.find(ResourceTypes.PODS, namespace, name);
            if (current == null || !current.object().getMetadata().getUid().equals(uid)) {
                return null;
            }
            Pod incoming = (Pod) ctx.codec.copy(ResourceTypes.PODS, current.object());
            incoming.setStatus(Yaml.copy(status));
            HasMetadata next = Parts.merge(ctx.codec, ResourceTypes.PODS, Part.STATUS, current.object(), incoming);
            try {
                return (Pod) updater.commit(ResourceTypes.PODS, current, next, WriteOptions.DEFAULT, Part.STATUS, List.of(), true)
                        .object();
            } catch (RevisionConflictException e) {
                // changed meanwhile: write the status over the newer object
            } catch (ApiException.NotFound e) {
                return null;
            }
        }
        throw Context.conflict(ResourceTypes.PODS, name);
    }

    @Override
    public void deletePodFinal(String namespace, String name, String uid) {
        DeleteOptions o = new DeleteOptions();
        o.setGracePeriodSeconds(0L);
        Preconditions p = new Preconditions();
        p.setUid(uid);
        o.setPreconditions(p);
        try {
            registry.delete(ResourceTypes.PODS, namespace, name, o);
        } catch (ApiException.NotFound | ApiException.Conflict e) {
            // already gone, or a newer pod of the same name
        }
    }

    @Override
    public EventSink events() {
        return events;
    }

    /** Stops the pod watches. */
    void close() {
        watches.forEach(WatchHandle::close);
        watches.clear();
    }
}
