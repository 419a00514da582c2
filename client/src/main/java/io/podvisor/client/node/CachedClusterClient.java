package io.podvisor.client.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.events.EventSink;
import io.podvisor.client.informers.Lister;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The kubelet's {@link ClusterClient} over shared informers: its pods arrive through one informer
 * of pods selected by {@code spec.nodeName}, and the ConfigMaps, Secrets and Services its syncs read
 * (volume payloads, environment, image pull secrets, Service variables) come from one cluster-wide
 * informer of each, so a sync never waits on the API. Writes (pod status, the final delete, events) go to {@code writes}.
 *
 * <p>A node's pods are handed to the kubelet only once the ConfigMap, Secret and Service caches hold
 * their first list, so the first sync of a pod sees every object that existed before it started. An
 * object created after that reaches the cache through the watch; a sync that runs before it
 * arrived finds it missing and the pod's retry sees it, as upstream's kubelet behind its cache.
 *
 * <p>Objects handed out are the informers' cached instances, shared and read-only.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class CachedClusterClient implements ClusterClient {

    private final ClusterClient writes;
    private final SharedInformerFactory informers;
    private final SharedIndexInformer<ConfigMap> configMapInformer;
    private final SharedIndexInformer<Secret> secretInformer;
    private final SharedIndexInformer<Service> serviceInformer;
    private final Lister<ConfigMap> configMaps;
    private final Lister<Secret> secrets;
    private final Lister<Service> services;

    /**
     * Asks {@code informers} for the ConfigMap and Secret informers at once (the owner of the factory
     * starts it).
     *
     * @param writes where status writes, final deletes and events go
     */
    public CachedClusterClient(ClusterClient writes, SharedInformerFactory informers) {
        this.writes = Objects.requireNonNull(writes);
        this.informers = Objects.requireNonNull(informers);
        this.configMapInformer = informers.informerFor(ConfigMap.class);
        this.secretInformer = informers.informerFor(Secret.class);
        this.serviceInformer = informers.informerFor(Service.class);
        this.configMaps = configMapInformer.lister();
        this.secrets = secretInformer.lister();
        this.services = serviceInformer.lister();
    }

    /** The informer of pods bound to {@code nodeName} (one per node, shared through the factory). */
    public SharedIndexInformer<Pod> podInformer(String nodeName) {
        return informers.informerFor(Pod.class, null, null, "spec.nodeName=" + nodeName);
    }

    @Override
    public void watchPods(String nodeName, PodListener listener) {
        SharedIndexInformer<Pod> pods = podInformer(nodeName);
        ResourceEventHandler<Pod> handler = podHandler(listener, java.util.function.UnaryOperator.identity());
        // a handler added late first receives every cached pod, so nothing is missed meanwhile
        CompletableFuture.allOf(configMapInformer.synced().toCompletableFuture(),
                secretInformer.synced().toCompletableFuture(), serviceInformer.synced().toCompletableFuture()).thenRun(() -> pods.addEventHandler(handler));
    }

    /**
     * An informer handler passing its pods on to a kubelet's {@code listener}, each as {@code view}
     * makes it (the cached instance itself, or a copy): adds and updates as upserts, deletes as deletes.
     */
    public static ResourceEventHandler<Pod> podHandler(PodListener listener, java.util.function.UnaryOperator<Pod> view) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                listener.onUpsert(view.apply(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                listener.onUpsert(view.apply(newPod));
            }

            @Override
            public void onDelete(Pod lastKnown, boolean finalStateUnknown) {
                listener.onDelete(view.apply(lastKnown));
            }
        };
    }

    @Override
    public Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
        return writes.updatePodStatus(namespace, name, uid, status);
    }

    @Override
    public void deletePodFinal(String namespace, String name, String uid) {
        writes.deletePodFinal(namespace, name, uid);
    }

    @Override
    public EventSink events() {
        return writes.events();
    }

    /** From the cache: the shared instance (read-only), or null. */
    @Override
    public ConfigMap configMap(String namespace, String name) {
        return configMaps.get(namespace, name);
    }

    /** From the cache: the shared instance (read-only), or null. */
    @Override
    public Secret secret(String namespace, String name) {
        return secrets.get(namespace, name);
    }

    /** From the cache: the shared instances (read-only). */
    @Override
    public List<Service> services(String namespace) {
        return services.list(namespace);
    }
}
