package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.store.Store;

/**
 * Removes an object from the store for good and runs what follows a removal: a terminating
 * namespace that became empty is removed too. Dependents are the garbage collector's business
 * (controllers), which sees the removal through its watch.
 */
final class Remover {

    private final Context ctx;

    Remover(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Removes {@code current} if it is still at its revision.
     *
     * @return the last state at the deletion revision
     * @throws io.podvisor.store.RevisionConflictException if it changed meanwhile
     * @throws io.podvisor.store.KeyNotFoundException if it is gone already
     */
    HasMetadata remove(ResourceType type, Stored current) {
        HasMetadata o = current.object();
        Store.Entry gone = ctx.store.delete(Keys.key(type, o.getMetadata().getNamespace(), o.getMetadata().getName()),
                current.revision());
        HasMetadata last = ctx.codec.withRevision(type, o, gone.modRevision());
        if (type.namespaced()) {
            finishNamespaceIfEmpty(o.getMetadata().getNamespace());
        }
        return last;
    }

    /** Removes a terminating namespace once nothing is left in it. */
    void finishNamespaceIfEmpty(String namespace) {
        Stored ns = ctx.find(ResourceTypes.NAMESPACES, null, namespace);
        if (ns == null || !KindRules.terminating((Namespace) ns.object())) {
            return;
        }
        for (ResourceType t : ResourceTypes.ALL_TYPES) {
            if (t.namespaced() && !ctx.store.list(Keys.prefix(t, namespace), null, 1).entries().isEmpty()) {
                return;
            }
        }
        try {
            remove(ResourceTypes.NAMESPACES, ns);
        } catch (io.podvisor.store.StoreException e) {
            // changed or removed concurrently: whoever changed it re-checks
        }
    }
}
