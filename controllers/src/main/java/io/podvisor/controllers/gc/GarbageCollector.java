package io.podvisor.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.WorkQueue;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Background garbage collection by owner references. Watches every served type except events and
 * leases and keeps an index owner UID → dependents. When an object is deleted its dependents are
 * checked; every object with owner references is checked when it appears, and all of them every
 * {@code sweepPeriod}. A check reads each owner live (by kind, namespace and name, compared by UID):
 * if none exists the dependent is deleted as {@code kubectl delete} would (pods gracefully); if some
 * are gone, the dangling references are removed. A reference that cannot name an owner (null, or
 * without a uid: stored before the API refused them) is dangling; it never stops the others.
 *
 * <p>Thread-safety: one executor key per dependent; the index is concurrent.
 */
public final class GarbageCollector {

    /** How often all known dependents are checked. */
    public static final Duration DEFAULT_SWEEP_PERIOD = Duration.ofMinutes(1);

    private final ObjectClient client;
    private final Duration sweepPeriod;
    private final WorkQueue queue;
    /** owner uid → dependent ids ({@code <Kind>|<namespace/name>}). */
    private final Map<String, Set<String>> dependentsByOwner = new ConcurrentHashMap<>();
    private final Set<String> dependents = ConcurrentHashMap.newKeySet();
    private final List<ObjectClient.Subscription> watches = new ArrayList<>();

    public GarbageCollector(ObjectClient client, Clock clock, KeyedExecutor executor) {
        this(client, clock, executor, DEFAULT_SWEEP_PERIOD);
    }

    public GarbageCollector(ObjectClient client, Clock clock, KeyedExecutor executor, Duration sweepPeriod) {
        this.client = client;
        this.sweepPeriod = sweepPeriod;
        this.queue = new WorkQueue("gc", executor, clock, this::sync);
    }

    /** Starts the watches and the periodic sweep. */
    public void start() {
        for (ResourceType t : ResourceTypes.ALL_TYPES) {
            if (!"events".equals(t.plural()) && !"leases".equals(t.plural())) {
                watches.add(watch(t));
            }
        }
        queue.every(sweepPeriod, () -> dependents.forEach(queue::add));
    }

    /** Stops the watches and the sweep. */
    public void stop() {
        watches.forEach(ObjectClient.Subscription::close);
        watches.clear();
        queue.stop();
    }

    private ObjectClient.Subscription watch(ResourceType t) {
        return client.watch(t.javaType(), null, (type, obj) -> onEvent(t, type, obj));
    }

    private void onEvent(ResourceType t, String type, HasMetadata obj) {
        String id = t.kind() + "|" + ObjectKeys.of(obj);
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if ("DELETED".equals(type)) {
            dependents.remove(id);
            Set<String> deps = dependentsByOwner.remove(obj.getMetadata().getUid());
            if (deps != null) {
                deps.forEach(queue::add);
            }
            return;
        }
        if (refs == null || refs.isEmpty()) {
            return;
        }
        dependents.add(id);
        for (OwnerReference r : refs) {
            if (r != null && r.getUid() != null) {
                dependentsByOwner.computeIfAbsent(r.getUid(), k -> ConcurrentHashMap.newKeySet()).add(id);
            }
        }
        if ("ADDED".equals(type)) {
            queue.add(id);
        }
    }

    /** Checks one dependent ({@code <Kind>|<namespace/name>}). */
    public void sync(String id) {
        int bar = id.indexOf('|');
        ResourceType type = ResourceTypes.ALL_TYPES.stream().filter(t -> t.kind().equals(id.substring(0, bar)))
                .findFirst().orElseThrow();
        String key = id.substring(bar + 1);
        HasMetadata obj = client.get(type.javaType(), ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (obj == null || obj.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            dependents.remove(id);
            return;
        }
        List<OwnerReference> live = refs.stream().filter(r -> r != null && ownerExists(r, obj.getMetadata().getNamespace()))
                .toList();
        if (live.size() == refs.size()) {
            return;
        }
        try {
            if (live.isEmpty()) {
                client.delete(type.javaType(), obj.getMetadata().getNamespace(), obj.getMetadata().getName(), null);
            } else {
                obj.getMetadata().setOwnerReferences(new ArrayList<>(live));
                client.update(obj);
            }
        } catch (ApiException.NotFound gone) {
            dependents.remove(id);
        }
    }

    private boolean ownerExists(OwnerReference ref, String namespace) {
        Optional<ResourceType> type = ResourceTypes.byKind(ref.getApiVersion(), ref.getKind());
        if (type.isEmpty()) {
            return true;
        }
        HasMetadata owner = client.get(type.get().javaType(), type.get().namespaced() ? namespace : null, ref.getName());
        return owner != null && Objects.equals(ref.getUid(), owner.getMetadata().getUid());
    }
}
