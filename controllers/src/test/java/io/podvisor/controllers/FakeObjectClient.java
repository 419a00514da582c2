package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link ObjectClient} for controller tests: objects by type and namespace/name, a
 * resourceVersion counter (precondition on update), deterministic UIDs, label and field selectors,
 * status kept apart from spec (reset on create except for Nodes), finalizers, pod graceful deletion (immediate for unbound or finished
 * pods), binding, and watches whose events go through a {@link KeyedExecutor} (a
 * {@code DeterministicExecutor} in tests) in mutation order.
 */
public final class FakeObjectClient implements ObjectClient {

    private record Watcher(Class<?> type, String namespace, WatchHandler<HasMetadata> handler, boolean[] closed,
            boolean resumable) {}

    private final Clock clock;
    private final KeyedExecutor executor;
    private final Map<Class<?>, TreeMap<String, HasMetadata>> objects = new HashMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long resourceVersion;
    private long uids;
    private long generated;
    private final List<String> log = new ArrayList<>();
    private final Set<Class<?>> held = new HashSet<>();
    private final List<Runnable> heldEvents = new ArrayList<>();

    public FakeObjectClient(Clock clock, KeyedExecutor executor) {
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public synchronized <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        HasMetadata o = store(type).get(key(type, namespace, name));
        return o == null ? null : copy(type.cast(o));
    }

    @Override
    public synchronized <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        var labels = LabelSelectorMatcher.parse(labelSelector);
        List<T> out = new ArrayList<>();
        for (HasMetadata o : store(type).values()) {
            ObjectMeta m = o.getMetadata();
            if ((namespace == null || namespace.equals(m.getNamespace())) && labels.test(m.getLabels())
                    && FieldSelectorMatcher.matches(fieldSelector, o)) {
                out.add(copy(type.cast(o)));
            }
        }
        return out;
    }

    @Override
    public synchronized <T extends HasMetadata> T create(T object) {
        T o = copy(object);
        ResourceType rt = ResourceTypes.of(o.getClass());
        ObjectMeta m = o.getMetadata();
        m.setNamespace(rt.namespaced() ? (m.getNamespace() == null ? "default" : m.getNamespace()) : null);
        if (m.getName() == null && m.getGenerateName() != null) {
            m.setName(m.getGenerateName() + "g" + (++generated));
        }
        String k = key(o.getClass(), m.getNamespace(), m.getName());
        if (store(o.getClass()).containsKey(k)) {
            throw new ApiException.AlreadyExists(rt.group(), rt.plural(), m.getName());
        }
        m.setUid("uid-" + (++uids));
        m.setCreationTimestamp(Times.format(clock.now()));
        m.setDeletionTimestamp(null);
        m.setResourceVersion(Long.toString(++resourceVersion));
        if (o instanceof Pod pod) {
            pod.setStatus(new PodStatus());
            pod.getStatus().setPhase("Pending");
        } else if (!rt.kind().equals("Node") && rt.hasSubresource("status")) {
            setStatus(o, null);
        }
        store(o.getClass()).put(k, o);
        emit("ADDED", o);
        return copy(o);
    }

    @Override
    public synchronized <T extends HasMetadata> T update(T object) {
        HasMetadata cur = current(object);
        T n = copy(object);
        ObjectMeta m = n.getMetadata();
        ObjectMeta c = cur.getMetadata();
        m.setNamespace(c.getNamespace());
        m.setUid(c.getUid());
        m.setCreationTimestamp(c.getCreationTimestamp());
        m.setDeletionTimestamp(c.getDeletionTimestamp());
        m.setDeletionGracePeriodSeconds(c.getDeletionGracePeriodSeconds());
        if (ResourceTypes.of(n.getClass()).hasSubresource("status")) {
            setStatus(n, status(cur));
        }
        return write(n);
    }

    @Override
    public synchronized <T extends HasMetadata> T updateStatus(T object) {
        HasMetadata cur = current(object);
        @SuppressWarnings("unchecked")
        T n = (T) copy(cur);
        setStatus(n, Yaml.copy(status(object)));
        return write(n);
    }

    /** As the API server does: Foreground and Orphan first leave their finalizer for the garbage collector. */
    @Override
    public synchronized <T extends HasMetadata> void delete(Class<T> type, String namespace, String name,
            Long gracePeriodSeconds, String propagationPolicy) {
        String gcFinalizer = switch (propagationPolicy) {
            case "Foreground" -> "foregroundDeletion";
            case "Orphan" -> "orphan";
            default -> null;
        };
        HasMetadata cur = store(type).get(key(type, namespace, name));
        if (gcFinalizer != null && cur != null) {
            HasMetadata o = copy(cur);
            List<String> finalizers = new ArrayList<>(o.getMetadata().getFinalizers() == null ? List.of()
                    : o.getMetadata().getFinalizers());
            finalizers.removeAll(List.of("foregroundDeletion", "orphan"));
            finalizers.add(gcFinalizer);
            o.getMetadata().setFinalizers(finalizers);
            write(o);
        }
        delete(type, namespace, name, gracePeriodSeconds);
    }

    @Override
    public synchronized <T extends HasMetadata> void delete(Class<T> type, String namespace, String name,
            Long gracePeriodSeconds) {
        HasMetadata cur = store(type).get(key(type, namespace, name));
        if (cur == null) {
            ResourceType rt = ResourceTypes.of(type);
            throw new ApiException.NotFound(rt.group(), rt.plural(), name);
        }
        log.add("delete " + type.getSimpleName() + " " + name);
        HasMetadata o = copy(cur);
        ObjectMeta m = o.getMetadata();
        long grace = 0;
        if (o instanceof Pod pod && pod.getSpec().getNodeName() != null && !Pods.isTerminal(pod)) {
            Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
            grace = gracePeriodSeconds != null ? gracePeriodSeconds : spec != null ? spec : 30;
        }
        if (m.getDeletionTimestamp() == null) {
            m.setDeletionTimestamp(Times.format(clock.now()));
            m.setDeletionGracePeriodSeconds(grace);
        } else if (grace < m.getDeletionGracePeriodSeconds()) {
            m.setDeletionGracePeriodSeconds(grace);
        }
        write(o);
    }

    @Override
    public synchronized Pod bind(String namespace, String name, String nodeName) {
        Pod pod = store(Pod.class).containsKey(key(Pod.class, namespace, name))
                ? (Pod) copy(store(Pod.class).get(key(Pod.class, namespace, name))) : null;
        if (pod == null) {
            throw new ApiException.NotFound("", "pods", name);
        }
        if (pod.getSpec().getNodeName() != null) {
            throw new ApiException.Conflict("", "pods", name, "pod " + name + " is already assigned to node \""
                    + pod.getSpec().getNodeName() + "\"");
        }
        pod.getSpec().setNodeName(nodeName);
        List<PodCondition> conds = new ArrayList<>(pod.getStatus().getConditions());
        conds.removeIf(c -> "PodScheduled".equals(c.getType()));
        conds.add(new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime(Times.format(clock.now())).build());
        pod.getStatus().setConditions(conds);
        log.add("bind " + name + " " + nodeName);
        return write(pod);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        boolean[] closed = {false};
        watchers.add(new Watcher(type, namespace, (WatchHandler<HasMetadata>) handler, closed, false));
        for (HasMetadata o : store(type).values()) {
            if (namespace == null || namespace.equals(o.getMetadata().getNamespace())) {
                handler.onEvent("ADDED", copy(type.cast(o)));
            }
        }
        return () -> closed[0] = true;
    }

    @Override
    public synchronized <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace,
            String labelSelector, String fieldSelector) {
        return new Listing<>(list(type, namespace, labelSelector, fieldSelector), Long.toString(resourceVersion));
    }

    /**
     * Watches from the current resourceVersion only (this fake keeps no history: an older one is
     * Gone), without selectors.
     */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace,
            String labelSelector, String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        if ((labelSelector != null && !labelSelector.isEmpty()) || (fieldSelector != null && !fieldSelector.isEmpty())) {
            throw new UnsupportedOperationException("the fake watches without selectors");
        }
        if (!Long.toString(this.resourceVersion).equals(resourceVersion)) {
            throw new ApiException.Gone("too old resource version: " + resourceVersion + " (" + this.resourceVersion + ")");
        }
        boolean[] closed = {false};
        watchers.add(new Watcher(type, namespace, (WatchHandler<HasMetadata>) handler, closed, true));
        return () -> closed[0] = true;
    }

    /**
     * Ends every watch opened with {@link #watchFrom} with 410 Gone, as when a watcher fell behind
     * the history: its informer lists again, and changes made until then reach it only through
     * that list.
     */
    public void expireWatches() {
        List<Watcher> expired = new ArrayList<>();
        synchronized (this) {
            for (Watcher w : watchers) {
                if (w.resumable() && !w.closed()[0]) {
                    w.closed()[0] = true;
                    expired.add(w);
                }
            }
            watchers.removeAll(expired);
        }
        for (Watcher w : expired) {
            w.handler().onClosed(new ApiException.Gone("too old resource version: " + resourceVersion));
        }
    }

    /** Holds back the watch events of {@code type} until {@link #releaseEvents()}: a watcher that lags behind. */
    public synchronized void holdEvents(Class<?> type) {
        held.add(type);
    }

    /** Delivers the held-back events, in order. */
    public synchronized void releaseEvents() {
        held.clear();
        heldEvents.forEach(e -> executor.execute("watch", e));
        heldEvents.clear();
    }

    /** Every mutation worth asserting on ({@code delete Pod x}, {@code bind p node}), in order. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** All objects of a type, in namespace/name order. */
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return list(type, null, null, null);
    }

    private <T extends HasMetadata> T write(T o) {
        ObjectMeta m = o.getMetadata();
        String k = key(o.getClass(), m.getNamespace(), m.getName());
        m.setResourceVersion(Long.toString(++resourceVersion));
        boolean noFinalizers = m.getFinalizers() == null || m.getFinalizers().isEmpty();
        Long grace = m.getDeletionGracePeriodSeconds();
        if (m.getDeletionTimestamp() != null && noFinalizers && (grace == null || grace == 0)) {
            store(o.getClass()).remove(k);
            emit("DELETED", o);
        } else {
            store(o.getClass()).put(k, o);
            emit("MODIFIED", o);
        }
        return copy(o);
    }

    private HasMetadata current(HasMetadata object) {
        ObjectMeta m = object.getMetadata();
        HasMetadata cur = store(object.getClass()).get(key(object.getClass(), m.getNamespace(), m.getName()));
        ResourceType rt = ResourceTypes.of(object.getClass());
        if (cur == null) {
            throw new ApiException.NotFound(rt.group(), rt.plural(), m.getName());
        }
        if (m.getResourceVersion() != null && !m.getResourceVersion().equals(cur.getMetadata().getResourceVersion())) {
            throw new ApiException.Conflict(rt.group(), rt.plural(), m.getName(),
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        return cur;
    }

    private void emit(String type, HasMetadata o) {
        for (Watcher w : watchers) {
            if (w.type().equals(o.getClass()) && !w.closed()[0]
                    && (w.namespace() == null || w.namespace().equals(o.getMetadata().getNamespace()))) {
                HasMetadata event = copy(o);
                Runnable delivery = () -> {
                    if (!w.closed()[0]) {
                        w.handler().onEvent(type, event);
                    }
                };
                if (held.contains(o.getClass())) {
                    heldEvents.add(delivery);
                } else {
                    executor.execute("watch", delivery);
                }
            }
        }
    }

    private TreeMap<String, HasMetadata> store(Class<?> type) {
        return objects.computeIfAbsent(type, t -> new TreeMap<>());
    }

    private static String key(Class<?> type, String namespace, String name) {
        boolean namespaced = ResourceTypes.of(type.asSubclass(HasMetadata.class)).namespaced();
        return namespaced ? (namespace == null ? "default" : namespace) + "/" + name : name;
    }

    private static <T> T copy(T o) {
        return Yaml.copy(o);
    }

    private static Object status(HasMetadata o) {
        try {
            Method get = o.getClass().getMethod("getStatus");
            return get.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setStatus(HasMetadata o, Object status) {
        try {
            Method get = o.getClass().getMethod("getStatus");
            Method set = o.getClass().getMethod("setStatus", get.getReturnType());
            set.invoke(o, status);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
