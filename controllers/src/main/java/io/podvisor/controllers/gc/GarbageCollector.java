package io.podvisor.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CacheGate;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.WorkQueue;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Garbage collection by owner references, with upstream's three propagation policies. The API
 * server only marks an owner; this controller carries the policy out:
 * <ul>
 *   <li><b>Background</b>: the owner is removed at once. When its removal is seen, each dependent
 *       is checked: one without any remaining owner is deleted, one with other live owners just
 *       loses the reference.
 *   <li><b>Orphan</b>: the owner stays with a deletionTimestamp and the {@value #ORPHAN}
 *       finalizer; the references to it are removed from its dependents, then the finalizer, and
 *       the API server removes the owner.
 *   <li><b>Foreground</b>: the owner stays with a deletionTimestamp and the {@value #FOREGROUND}
 *       finalizer; its dependents are deleted (a dependent that has its own dependents in the
 *       foreground too), and once none that references it with {@code blockOwnerDeletion: true}
 *       is left, the finalizer goes and so does the owner. A dependent deleted so whose own
 *       dependents include one already deleting in the foreground may close a cycle of owners
 *       that would wait for each other for ever: as upstream, its references are first made
 *       non-blocking ({@code blockOwnerDeletion: false}), then it is deleted in the foreground.
 * </ul>
 *
 * <p>Sees every served type except events and leases through the shared informers (the objects
 * other controllers read too, decoded once) and keeps a graph from their events: each
 * dependent's owner references and whether it is being deleted, an index owner UID → dependents,
 * and the owners waiting for their dependents. Reading an object or an owner is one lookup by key
 * ({@link #read}), every write goes through the API. A dependent is checked when it appears, when
 * its references change, when an owner of it goes or starts a foreground deletion, and every
 * {@code sweepPeriod}. A check reads each owner (by kind, namespace and name, compared by UID); a
 * reference that cannot name an owner (null, or without a uid: stored before the API refused them)
 * is dangling and never stops the others.
 *
 * <p>Thread-safety: one executor key per object; the graph is concurrent.
 */
public final class GarbageCollector {

    /** How often all known dependents are checked. */
    public static final Duration DEFAULT_SWEEP_PERIOD = Duration.ofMinutes(1);
    /** The finalizer of an owner whose dependents are to be orphaned. */
    public static final String ORPHAN = "orphan";
    /** The finalizer of an owner that waits for its dependents to be deleted. */
    public static final String FOREGROUND = "foregroundDeletion";

    private static final int ATTEMPTS = 16;

    /**
     * What the watches last showed of a dependent; {@code deletingDependents}: being deleted in the
     * foreground itself (waiting for its own dependents).
     */
    private record Dependent(List<OwnerReference> owners, boolean deleting, boolean deletingDependents) {
        boolean blocks(String ownerUid) {
            return owners.stream().anyMatch(r -> r != null && ownerUid.equals(r.getUid())
                    && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
        }
    }

    private final ObjectClient client;
    private final Duration sweepPeriod;
    private final WorkQueue queue;
    /** dependent id ({@code <Kind>|<namespace/name>}) → what was seen of it. */
    private final Map<String, Dependent> dependents = new ConcurrentHashMap<>();
    /** owner uid → dependent ids. */
    private final Map<String, Set<String>> dependentsByOwner = new ConcurrentHashMap<>();
    /** uid → id of owners being deleted with a GC finalizer still on them. */
    private final Map<String, String> finalizing = new ConcurrentHashMap<>();
    private final SharedInformerFactory informers;
    private final List<SharedIndexInformer.Registration> registrations = new ArrayList<>();

    /** A collector seeing objects through {@code informers} (their owner starts them) and reading and writing through {@code client}. */
    public GarbageCollector(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor) {
        this(client, informers, clock, executor, DEFAULT_SWEEP_PERIOD);
    }

    public GarbageCollector(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            Duration sweepPeriod) {
        this.client = client;
        this.informers = informers;
        this.sweepPeriod = sweepPeriod;
        this.queue = new WorkQueue("gc", executor, clock, this::sync);
    }

    /** Adds a handler to the informer of every served type but events and leases; starts the periodic sweep. */
    public void start() {
        for (ResourceType t : ResourceTypes.ALL_TYPES) {
            if (!"events".equals(t.plural()) && !"leases".equals(t.plural())) {
                registrations.add(observe(t, informers.informerFor(t.javaType())));
            }
        }
        queue.every(sweepPeriod, () -> {
            dependents.keySet().forEach(queue::add);
            finalizing.values().forEach(queue::add);
        });
    }

    /** Removes the handlers and stops the sweep. */
    public void stop() {
        registrations.forEach(SharedIndexInformer.Registration::close);
        registrations.clear();
        queue.stop();
    }

    private <T extends HasMetadata> SharedIndexInformer.Registration observe(ResourceType t,
            SharedIndexInformer<T> informer) {
        return informer.addEventHandler(CacheGate.changes((obj, gone) -> onEvent(t, gone ? "DELETED" : "MODIFIED", obj)));
    }

    // ---- the graph, from the informers' events

    private void onEvent(ResourceType t, String type, HasMetadata obj) {
        String id = t.kind() + "|" + ObjectKeys.of(obj);
        ObjectMeta m = obj.getMetadata();
        if ("DELETED".equals(type)) {
            Dependent was = dependents.remove(id);
            if (was != null) {
                unindex(id, was, Set.of());
                wakeFinalizingOwners(was.owners());
            }
            finalizing.remove(m.getUid());
            Set<String> orphans = dependentsByOwner.remove(m.getUid());
            if (orphans != null) {
                orphans.forEach(queue::add);
            }
            return;
        }
        observeAsOwner(id, m);
        List<OwnerReference> refs = m.getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            Dependent was = dependents.remove(id);
            if (was != null) {
                unindex(id, was, Set.of());
                wakeFinalizingOwners(was.owners());
            }
            return;
        }
        boolean deleting = m.getDeletionTimestamp() != null;
        Dependent now = new Dependent(new ArrayList<>(refs), deleting,
                deleting && m.getFinalizers() != null && m.getFinalizers().contains(FOREGROUND));
        Dependent was = dependents.put(id, now);
        Set<String> uids = ownerUids(refs);
        if (was != null) {
            unindex(id, was, uids);
        }
        uids.forEach(u -> dependentsByOwner.computeIfAbsent(u, k -> ConcurrentHashMap.newKeySet()).add(id));
        if (was == null || !was.owners().equals(now.owners())) {
            queue.add(id);
        }
        if (was != null && !was.equals(now)) {
            // an owner waiting for this dependent may be free now (reference gone, unblocked, deleting)
            wakeFinalizingOwners(was.owners());
        }
    }

    /** Notes an owner that carries a GC finalizer while being deleted, and queues it. */
    private void observeAsOwner(String id, ObjectMeta m) {
        List<String> f = m.getFinalizers();
        boolean gcFinalizer = f != null && (f.contains(ORPHAN) || f.contains(FOREGROUND));
        if (m.getDeletionTimestamp() != null && gcFinalizer) {
            if (finalizing.put(m.getUid(), id) == null) {
                queue.add(id);
            }
        } else {
            finalizing.remove(m.getUid());
        }
    }

    private void wakeFinalizingOwners(List<OwnerReference> refs) {
        for (String uid : ownerUids(refs)) {
            String owner = finalizing.get(uid);
            if (owner != null) {
                queue.add(owner);
            }
        }
    }

    private void unindex(String id, Dependent was, Set<String> keep) {
        for (String uid : ownerUids(was.owners())) {
            if (!keep.contains(uid)) {
                Set<String> deps = dependentsByOwner.get(uid);
                if (deps != null) {
                    deps.remove(id);
                }
            }
        }
    }

    private static Set<String> ownerUids(List<OwnerReference> refs) {
        Set<String> uids = new HashSet<>();
        for (OwnerReference r : refs) {
            if (r != null && r.getUid() != null) {
                uids.add(r.getUid());
            }
        }
        return uids;
    }

    private Set<String> dependentsOf(String uid) {
        Set<String> deps = dependentsByOwner.get(uid);
        return deps == null ? Set.of() : Set.copyOf(deps);
    }

    // ---- checks

    /** Checks one object ({@code <Kind>|<namespace/name>}): as an owner being finalized, or as a dependent. */
    public void sync(String id) {
        ResourceType type = typeOf(id);
        String key = id.substring(id.indexOf('|') + 1);
        HasMetadata obj = read(type, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (obj == null) {
            return;
        }
        ObjectMeta m = obj.getMetadata();
        if (m.getDeletionTimestamp() != null) {
            List<String> f = m.getFinalizers() == null ? List.of() : m.getFinalizers();
            if (f.contains(ORPHAN)) {
                orphanDependents(obj);
                removeFinalizer(type, obj, ORPHAN);
            } else if (f.contains(FOREGROUND)) {
                deleteDependentsFirst(type, obj);
            }
            // otherwise being deleted: its dependents are checked once it is gone
            return;
        }
        checkDependent(type, obj);
    }

    /** Orphan: removes the references to {@code owner} from each of its dependents. */
    private void orphanDependents(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        for (String dep : dependentsOf(uid)) {
            ResourceType t = typeOf(dep);
            String key = dep.substring(dep.indexOf('|') + 1);
            edit(t, ObjectKeys.namespace(key), ObjectKeys.name(key), null,
                    o -> o.getMetadata().getOwnerReferences() != null
                            && o.getMetadata().getOwnerReferences().removeIf(r -> r != null && uid.equals(r.getUid())));
        }
    }

    /**
     * Foreground: queues the dependents of {@code owner} that are not being deleted yet (their check
     * deletes them), and removes the finalizer once no dependent blocks the owner.
     */
    private void deleteDependentsFirst(ResourceType type, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        boolean blocked = false;
        for (String dep : dependentsOf(uid)) {
            Dependent d = dependents.get(dep);
            if (d == null) {
                continue;
            }
            blocked |= d.blocks(uid);
            if (!d.deleting()) {
                queue.add(dep);
            }
        }
        if (!blocked) {
            removeFinalizer(type, owner, FOREGROUND);
        }
    }

    /** A dependent not being deleted: deletes it, or drops references to owners gone or going. */
    private void checkDependent(ResourceType type, HasMetadata obj) {
        ObjectMeta m = obj.getMetadata();
        List<OwnerReference> refs = m.getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return;
        }
        List<OwnerReference> solid = new ArrayList<>();
        boolean ownerWaits = false;
        for (OwnerReference r : refs) {
            switch (classify(r, m.getNamespace())) {
                case SOLID -> solid.add(r);
                case WAITING -> ownerWaits = true;
                case DANGLING -> { }
            }
        }
        if (solid.size() == refs.size()) {
            return;
        }
        String uid = m.getUid();
        String ns = m.getNamespace();
        try {
            if (!solid.isEmpty()) {
                Set<String> keep = ownerUids(solid);
                edit(type, ns, m.getName(), uid, o -> o.getMetadata().getOwnerReferences()
                        .removeIf(r -> r == null || r.getUid() == null || !keep.contains(r.getUid())));
            } else if (ownerWaits && !dependentsOf(uid).isEmpty()) {
                if (dependentsOf(uid).stream().map(dependents::get)
                        .anyMatch(d -> d != null && d.deletingDependents())) {
                    // a cycle may close through this object: its owners stop waiting for it first
                    edit(type, ns, m.getName(), uid, GarbageCollector::unblockOwners);
                }
                client.delete(type.javaType(), ns, m.getName(), null, "Foreground");
            } else {
                List<String> f = m.getFinalizers() == null ? List.of() : m.getFinalizers();
                if (f.contains(ORPHAN)) {
                    client.delete(type.javaType(), ns, m.getName(), null, "Orphan");
                } else if (f.contains(FOREGROUND)) {
                    client.delete(type.javaType(), ns, m.getName(), null, "Foreground");
                } else {
                    client.delete(type.javaType(), ns, m.getName(), null);
                }
            }
        } catch (ApiException.NotFound gone) {
            // deleted meanwhile: its removal is seen through the watch
        }
    }

    /** Sets {@code blockOwnerDeletion: false} on every reference that blocks; false when none does. */
    private static boolean unblockOwners(HasMetadata o) {
        boolean changed = false;
        for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
            if (r != null && Boolean.TRUE.equals(r.getBlockOwnerDeletion())) {
                r.setBlockOwnerDeletion(false);
                changed = true;
            }
        }
        return changed;
    }

    private enum OwnerState { SOLID, WAITING, DANGLING }

    /**
     * What a reference's owner is: absent (or another object by that name) or unnameable =
     * dangling; being deleted in the foreground = waiting for its dependents; else solid. An owner
     * of a kind not served here is never taken for absent.
     */
    private OwnerState classify(OwnerReference ref, String namespace) {
        if (ref == null || ref.getUid() == null) {
            return OwnerState.DANGLING;
        }
        Optional<ResourceType> type = ResourceTypes.byKind(ref.getApiVersion(), ref.getKind());
        if (type.isEmpty()) {
            return OwnerState.SOLID;
        }
        HasMetadata owner = read(type.get(), namespace, ref.getName());
        if (owner == null || !Objects.equals(ref.getUid(), owner.getMetadata().getUid())) {
            return OwnerState.DANGLING;
        }
        List<String> f = owner.getMetadata().getFinalizers();
        boolean waits = owner.getMetadata().getDeletionTimestamp() != null && f != null && f.contains(FOREGROUND);
        return waits ? OwnerState.WAITING : OwnerState.SOLID;
    }

    private void removeFinalizer(ResourceType type, HasMetadata owner, String finalizer) {
        ObjectMeta m = owner.getMetadata();
        edit(type, m.getNamespace(), m.getName(), m.getUid(),
                o -> o.getMetadata().getFinalizers() != null && o.getMetadata().getFinalizers().remove(finalizer));
    }

    /**
     * Reads, changes and updates one object, again on a conflict. {@code change} returns false when
     * there is nothing to write. Nothing happens if the object is gone or (with {@code uid}) replaced.
     */
    private void edit(ResourceType type, String namespace, String name, String uid, Predicate<HasMetadata> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            HasMetadata o = read(type, namespace, name);
            if (o == null || (uid != null && !uid.equals(o.getMetadata().getUid())) || !change.test(o)) {
                return;
            }
            try {
                client.update(o);
                return;
            } catch (ApiException.Conflict stale) {
                // changed meanwhile: read again
            } catch (ApiException.NotFound gone) {
                return;
            }
        }
        throw new IllegalStateException("kept conflicting: " + type.kind() + " " + namespace + "/" + name);
    }

    /**
     * One object by key: the single read path, a live read of the API (as upstream's collector
     * checks an owner the graph has not seen before calling a dependent dangling): an informer of
     * the owner's type may not have shown an owner created just before its dependent.
     */
    private HasMetadata read(ResourceType type, String namespace, String name) {
        return client.get(type.javaType(), type.namespaced() ? namespace : null, name);
    }

    private static ResourceType typeOf(String id) {
        String kind = id.substring(0, id.indexOf('|'));
        return ResourceTypes.ALL_TYPES.stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow();
    }
}
