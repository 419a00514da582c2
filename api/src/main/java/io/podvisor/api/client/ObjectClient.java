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

    /** Receives one watch event: {@code ADDED}, {@code MODIFIED} or {@code DELETED}. */
    @FunctionalInterface
    interface WatchHandler<T> {
        void onEvent(String type, T object);
    }

    /** A running watch; closing stops delivery (idempotent). */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
