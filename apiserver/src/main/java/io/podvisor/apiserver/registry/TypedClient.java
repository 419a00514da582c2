package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.store.RevisionConflictException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ObjectClient} over the registry's paths: the same create/update/delete/list/watch
 * semantics without JSON bodies. Objects passed in are copied; objects returned are fresh.
 */
final class TypedClient implements ObjectClient {

    private static final int ATTEMPTS = 16;

    private final Context ctx;
    private final Registries registry;
    private final Updater updater;

    TypedClient(Context ctx, Registries registry, Updater updater) {
        this.ctx = ctx;
        this.registry = registry;
        this.updater = updater;
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        ResourceType rt = ResourceTypes.of(type);
        Stored s = ctx.find(rt, rt.namespaced() ? namespace : null, name);
        return s == null ? null : type.cast(s.object());
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector, String fieldSelector) {
        ResourceType rt = ResourceTypes.of(type);
        List<T> out = new ArrayList<>();
        for (HasMetadata o : registry.list(rt, new ListOptions(namespace, labelSelector, fieldSelector, null, 0, null, false)).items()) {
            out.add(type.cast(o));
        }
        return out;
    }

    @Override
    public <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        ResourceType rt = ResourceTypes.of(type);
        Registry.ListResult r = registry.list(rt, new ListOptions(namespace, labelSelector, fieldSelector, null, 0, null, false));
        List<T> out = new ArrayList<>(r.items().size());
        for (HasMetadata o : r.items()) {
            out.add(type.cast(o));
        }
        return new Listing<>(out, r.resourceVersion());
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        ResourceType rt = ResourceTypes.of(object.getClass());
        HasMetadata created = registry.createObject(rt, null, ctx.codec.copy(rt, object), WriteOptions.DEFAULT, List.of()).object();
        return cast(object, created);
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return write(object, Part.MAIN);
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        return write(object, Part.STATUS);
    }

    private <T extends HasMetadata> T write(T object, Part part) {
        ResourceType rt = ResourceTypes.of(object.getClass());
        HasMetadata copy = ctx.codec.copy(rt, object);
        String ns = rt.namespaced() ? copy.getMetadata().getNamespace() : null;
        return cast(object, updater.update(rt, ns, copy.getMetadata().getName(), copy, WriteOptions.DEFAULT, part, List.of()).object());
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds) {
        delete(type, namespace, name, gracePeriodSeconds, "Background");
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds,
            String propagationPolicy) {
        DeleteOptions o = new DeleteOptions();
        o.setGracePeriodSeconds(gracePeriodSeconds);
        o.setPropagationPolicy(propagationPolicy);
        ResourceType rt = ResourceTypes.of(type);
        registry.delete(rt, rt.namespaced() ? namespace : null, name, o);
    }

    @Override
    public Pod bind(String namespace, String name, String nodeName) {
        ResourceType rt = ResourceTypes.PODS;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = ctx.require(rt, namespace, name);
            Pod pod = (Pod) ctx.codec.copy(rt, current.object());
            String bound = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (bound != null && !bound.isEmpty()) {
                throw new ApiException.Conflict("", "pods/binding", name,
                        "pod " + name + " is already assigned to node \"" + bound + "\"");
            }
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                throw new ApiException.Conflict("", "pods/binding", name,
                        "pod " + name + " is being deleted, cannot be assigned to a host");
            }
            pod.getSpec().setNodeName(nodeName);
            setScheduled(pod);
            try {
                return (Pod) updater.writeSystem(rt, current, pod, false);
            } catch (RevisionConflictException e) {
                // changed meanwhile: look again
            }
        }
        throw Context.conflict(rt, name);
    }

    private void setScheduled(Pod pod) {
        PodStatus st = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        pod.setStatus(st);
        List<PodCondition> conditions = st.getConditions() == null ? new ArrayList<>() : new ArrayList<>(st.getConditions());
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        PodCondition c = new PodCondition();
        c.setType("PodScheduled");
        c.setStatus("True");
        c.setLastTransitionTime(ctx.now());
        conditions.add(c);
        st.setConditions(conditions);
    }

    @Override
    public <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        ResourceType rt = ResourceTypes.of(type);
        Registry.WatchHandle h = registry.watch(rt, ListOptions.all(namespace), ev -> {
            if (type.isInstance(ev.object())) {
                handler.onEvent(ev.type(), type.cast(ev.object()));
            }
        });
        return h::close;
    }

    @Override
    public <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace, String labelSelector,
            String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            throw new ApiException.BadRequest("a watch from a resourceVersion needs one");
        }
        ResourceType rt = ResourceTypes.of(type);
        Registry.WatchHandle h = registry.watch(rt,
                new ListOptions(namespace, labelSelector, fieldSelector, resourceVersion, 0, null, true), ev -> {
                    if (type.isInstance(ev.object())) {
                        handler.onEvent(ev.type(), type.cast(ev.object()));
                    }
                });
        return h::close;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T cast(T like, HasMetadata o) {
        return (T) like.getClass().cast(o);
    }
}
