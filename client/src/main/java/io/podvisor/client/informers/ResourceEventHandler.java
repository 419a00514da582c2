package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Consumer;

/**
 * Receives what an informer's cache went through, in the order it happened, one call at a time per
 * handler (on the handler's own executor key, never on the informer's delivery thread).
 *
 * <p>Objects are the informer's cached instances, shared with every other handler and every
 * {@link Lister} reader: they are read-only, and a handler must not modify them (copy first, e.g.
 * with {@code io.podvisor.api.Yaml}'s deep copy, to write one back). Handlers should be quick: the
 * usual one puts the object's key ({@link Indexers#key}) on a work queue, and the worker reads the
 * latest state from the {@link Lister} (level-triggered).
 */
public interface ResourceEventHandler<T extends HasMetadata> {

    /** An object appeared in the cache (by a watch event, a list, or for a late handler: was cached). */
    default void onAdd(T object) {
    }

    /**
     * An object changed; on a periodic resync {@code oldObject == newObject} (the same instance)
     * for every cached object.
     */
    default void onUpdate(T oldObject, T newObject) {
    }

    /**
     * An object left the cache. {@code lastKnown} is its final state as the watch reported it, or,
     * when {@code finalStateUnknown} is true, the last state this cache held: the deletion happened
     * while the watch was down and a re-list found the object gone.
     */
    default void onDelete(T lastKnown, boolean finalStateUnknown) {
    }

    /** A handler that passes the namespace/name key of every added, updated or deleted object to {@code queue}. */
    static <T extends HasMetadata> ResourceEventHandler<T> keys(Consumer<String> queue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                queue.accept(Indexers.key(object));
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                queue.accept(Indexers.key(newObject));
            }

            @Override
            public void onDelete(T lastKnown, boolean finalStateUnknown) {
                queue.accept(Indexers.key(lastKnown));
            }
        };
    }
}
