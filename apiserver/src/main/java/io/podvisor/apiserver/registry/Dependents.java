package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small garbage collector for owner references within one namespace: when an owner is removed,
 * a dependent whose only owner it was is deleted (background propagation), one with other owners
 * just loses the reference; {@link #orphan} strips the references before an orphaning delete.
 * Events are never owners.
 */
final class Dependents {

    /** Deletes one object as a background-propagated delete does. */
    interface DeleteCall {
        void delete(ResourceType type, String namespace, String name);
    }

    private final Context ctx;
    private final Updater updater;
    private DeleteCall deleteCall = (t, ns, n) -> { };

    Dependents(Context ctx, Updater updater) {
        this.ctx = ctx;
        this.updater = updater;
    }

    void deleteWith(DeleteCall call) {
        this.deleteCall = call;
    }

    /** After {@code owner} was removed: delete or release its dependents. */
    void ownerRemoved(ResourceType ownerType, HasMetadata owner) {
        if (ownerType == ResourceTypes.EVENTS || ownerType == ResourceTypes.EVENTS_V1 || !ownerType.namespaced()) {
            return;
        }
        String uid = owner.getMetadata().getUid();
        forEachDependent(owner, (t, s) -> {
            List<OwnerReference> refs = s.object().getMetadata().getOwnerReferences();
            if (refs.stream().allMatch(r -> uid.equals(r.getUid()))) {
                try {
                    deleteCall.delete(t, s.object().getMetadata().getNamespace(), s.object().getMetadata().getName());
                } catch (ApiException.NotFound e) {
                    // gone meanwhile
                }
            } else {
                stripReference(t, s, uid);
            }
        });
    }

    /** Before an orphaning delete of {@code owner}: remove its references from dependents. */
    void orphan(HasMetadata owner) {
        forEachDependent(owner, (t, s) -> stripReference(t, s, owner.getMetadata().getUid()));
    }

    private void forEachDependent(HasMetadata owner, java.util.function.BiConsumer<ResourceType, Stored> action) {
        String uid = owner.getMetadata().getUid();
        String ns = owner.getMetadata().getNamespace();
        for (ResourceType t : ResourceTypes.ALL_TYPES) {
            if (!t.namespaced() || t == ResourceTypes.EVENTS || t == ResourceTypes.EVENTS_V1) {
                continue;
            }
            for (Stored s : ctx.all(t, ns)) {
                List<OwnerReference> refs = s.object().getMetadata().getOwnerReferences();
                if (refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()))) {
                    action.accept(t, s);
                }
            }
        }
    }

    private void stripReference(ResourceType type, Stored s, String uid) {
        HasMetadata next = ctx.codec.copy(type, s.object());
        List<OwnerReference> kept = new ArrayList<>(next.getMetadata().getOwnerReferences());
        kept.removeIf(r -> uid.equals(r.getUid()));
        next.getMetadata().setOwnerReferences(kept);
        try {
            updater.writeSystem(type, s, next, false);
        } catch (StoreException e) {
            // changed meanwhile; a later pass would see the new state
        }
    }
}
