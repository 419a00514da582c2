package io.podvisor.api.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import java.util.List;

/**
 * Typed, in-process access to the API for controllers and node components: the same semantics as
 * the HTTP API (defaulting, validation, resourceVersion preconditions, graceful deletion, watch
 * fan-out) without HTTP or JSON. Objects passed in are not kept; objects returned are copies the
 * caller owns.
 *
 * <p>Failures are {@link ApiException}s (NotFound, AlreadyExists, Conflict, Invalid, …).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface ObjectClient {

    /** The object, or null if it does not exist. {@code namespace} is ignored for cluster-scoped types. */
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);

    /**
     * The objects of a type in {@code namespace} (null = all namespaces) matching the selectors
     * (null or empty = everything), in namespace/name order.
     *
     * @param labelSelector kubectl's syntax, e.g. {@code app=web,tier!=db}
     * @param fieldSelector e.g. {@code spec.nodeName=node-1}
     */
    <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector, String fieldSelector);

    /**
     * As {@link #list(Class, String, String, String)}, with the resourceVersion the items were read
     * at: a watch started from it with {@link #watchFrom} misses and repeats nothing (list-then-watch,
     * as informers do). The items are fresh objects the caller owns.
     *
     * @throws UnsupportedOperationException where the implementation cannot list at a revision
     */
    default <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        throw new UnsupportedOperationException("listWithVersion");
    }

    /** Creates the object (namespace from its metadata); returns it as stored. */
    <T extends HasMetadata> T create(T object);

    /**
     * Replaces the object's spec and metadata (not status). If {@code metadata.resourceVersion} is
     * set it is a precondition (Conflict when stale).
     */
    <T extends HasMetadata> T update(T object);

    /** Replaces the object's status only, with the same precondition rule as {@link #update}. */
    <T extends HasMetadata> T updateStatus(T object);

    /**
     * Deletes as {@code kubectl delete} with {@code propagationPolicy: Background} would: pods are
     * deleted gracefully (the kubelet finishes them), objects with finalizers only get a
     * deletionTimestamp.
     *
     * @param gracePeriodSeconds null for the object's default
     * @throws ApiException.NotFound if absent
     */
    <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds);

    /**
     * Deletes as {@link #delete(Class, String, String, Long)} does, with an explicit
     * {@code propagationPolicy} as the API server takes it: {@code Background}, {@code Foreground}
     * (the object stays, with a deletionTimestamp and the {@code foregroundDeletion} finalizer, until
     * the garbage collector has deleted the dependents that block it) or {@code Orphan} (the object
     * stays, with the {@code orphan} finalizer, until the garbage collector has removed the
     * references to it from its dependents).
     *
     * @throws ApiException.NotFound if absent
     * @throws UnsupportedOperationException where the implementation has no propagation policies
     */
    default <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds,
            String propagationPolicy) {
        throw new UnsupportedOperationException("delete with a propagationPolicy");
    }

    /**
     * Binds a pending pod to a node, as the {@code pods/binding} subresource does: sets
     * {@code spec.nodeName} and adds the {@code PodScheduled=True} condition.
     *
     * @throws ApiException.Conflict if the pod is already bound
     */
    io.fabric8.kubernetes.api.model.Pod bind(String namespace, String name, String nodeName);

    /**
     * Watches a type in {@code namespace} (null = all). The handler first receives an
     * {@code ADDED} for each existing object (synchronously, before this method returns), then
     * every change in order on a delivery thread. Handlers should hand work to their own executor
     * and return quickly.
     */
    <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler);

    /**
     * Watches a type in {@code namespace} (null = all) from {@code resourceVersion}: only changes
     * after it are sent, no synthetic {@code ADDED} first, with both selectors applied as a watch
     * with selectors does upstream (an object that starts matching is {@code ADDED}, one that stops
     * matching is {@code DELETED}). {@code BOOKMARK} events (an object carrying only the
     * resourceVersion the watch has reached) may come between changes. Events arrive in order on a
     * delivery thread, never inside this call; each object is decoded once for this watch.
     *
     * @param resourceVersion from {@link #listWithVersion} or the last event seen
     * @throws ApiException.Gone when the revision is older than the watch history (list again)
     * @throws UnsupportedOperationException where the implementation cannot watch from a revision
     */
    default <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace, String labelSelector,
            String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        throw new UnsupportedOperationException("watchFrom");
    }

    /** Objects read at one resourceVersion. */
    record Listing<T>(List<T> items, String resourceVersion) {
        public Listing {
            items = List.copyOf(items);
        }
    }

    /**
     * Receives one watch event: {@code ADDED}, {@code MODIFIED} or {@code DELETED} (and
     * {@code BOOKMARK} on {@link #watchFrom}).
     */
    @FunctionalInterface
    interface WatchHandler<T> {
        void onEvent(String type, T object);

        /**
         * The watch ended without {@link Subscription#close()}: the transport lost it, or the server
         * ended it ({@link ApiException.Gone} when its revision left the history). Nothing follows.
         * A transport that receives an {@code ERROR} event (an HTTP watch's in-stream Status) ends
         * the watch this way, with the Status as an {@link ApiException}, rather than passing it to
         * {@link #onEvent}; the in-process watch never ends by itself.
         */
        default void onClosed(RuntimeException cause) {
        }
    }

    /** A running watch; closing stops delivery (idempotent). */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
