package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What a controller reading from informer caches checks before each sync of a key: that its
 * handlers have seen the first lists, and that the caches show its own writes for that key
 * ({@link Expectations}). A key it holds back is queued again when the first lists are in, when
 * the last pending write is shown (the handler passes {@link Expectations#observe}'s answer to the
 * queue), or when the oldest pending write expires.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class CacheGate {

    private final WorkQueue queue;
    private final Expectations expectations;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();

    public CacheGate(WorkQueue queue, Expectations expectations) {
        this.queue = queue;
        this.expectations = expectations;
    }

    /** Opens once every one of {@code registrations} has received its informer's first list. */
    public void awaitFirstLists(List<SharedIndexInformer.Registration> registrations) {
        CompletableFuture.allOf(registrations.stream().map(r -> r.synced().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).thenRun(() -> synced.complete(null));
    }

    /** Whether a sync of {@code key} may act now; if not, the key is queued again later. */
    public boolean open(String key) {
        if (!synced.isDone()) {
            synced.thenRun(() -> queue.add(key));
            return false;
        }
        if (!expectations.satisfied(key)) {
            queue.addAfter(key, expectations.untilExpiry(key));
            return false;
        }
        return true;
    }

    /** A handler calling {@code onChange} with every object that appeared or changed ({@code false}) or left ({@code true}). */
    public static <T extends HasMetadata> ResourceEventHandler<T> changes(BiConsumer<T, Boolean> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onChange.accept(object, false);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                onChange.accept(newObject, false);
            }

            @Override
            public void onDelete(T lastKnown, boolean finalStateUnknown) {
                onChange.accept(lastKnown, true);
            }
        };
    }
}
