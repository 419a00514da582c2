package io.podvisor.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.podvisor.api.events.EventSink;
import java.util.List;

/**
 * How the kubelet talks to the API: its pods, status writes, final deletes and events, and the
 * ConfigMaps, Secrets and Services its syncs read. The node's implementation ({@code client.node.CachedClusterClient})
 * serves pods and reads from shared informer caches, so a sync never calls the API; objects it hands
 * out are shared cached instances the caller must not modify. Objects passed in may be kept by the
 * implementation only as copies.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface ClusterClient {

    /**
     * Subscribes to the pods bound to {@code nodeName}: the listener first receives every existing
     * one, then each change. Calls for one pod arrive in order; the pods are read-only.
     */
    void watchPods(String nodeName, PodListener listener);

    /**
     * Replaces the status of the pod with {@code uid}. Ignored if that pod no longer exists.
     *
     * @return the pod as stored afterwards, or null if it is gone
     */
    Pod updatePodStatus(String namespace, String name, String uid, PodStatus status);

    /**
     * Removes a pod that the kubelet has finished terminating (grace period 0, uid precondition).
     * Ignored if it is already gone.
     */
    void deletePodFinal(String namespace, String name, String uid);

    /** Where events go. */
    EventSink events();

    /**
     * The ConfigMap a pod's volumes and environment refer to, as the node's cache holds it: never a
     * request to the API (a sync must not wait on one). The default knows none.
     *
     * @return read-only, or null when it does not exist (or has not reached the cache yet)
     */
    default ConfigMap configMap(String namespace, String name) {
        return null;
    }

    /**
     * The Secret a pod's volumes, environment and image pulls refer to ({@code data} base64-encoded
     * as in the API), as the node's cache holds it: never a request to the API. The default knows none.
     *
     * @return read-only, or null when it does not exist (or has not reached the cache yet)
     */
    default Secret secret(String namespace, String name) {
        return null;
    }

    /**
     * The Services of {@code namespace}, for the Service environment variables of containers, as the
     * node's cache holds them: never a request to the API. The default knows none.
     *
     * @return read-only
     */
    default List<Service> services(String namespace) {
        return List.of();
    }

    /** Receives pod changes for one node. */
    interface PodListener {
        /** A pod was created or changed (including deletionTimestamp being set). */
        void onUpsert(Pod pod);

        /** A pod was removed from the API. */
        void onDelete(Pod pod);
    }
}
