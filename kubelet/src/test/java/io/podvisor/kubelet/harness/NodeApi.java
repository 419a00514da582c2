package io.podvisor.kubelet.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.api.validation.Defaults;
import io.podvisor.apiserver.registry.KubectlRequests;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.client.node.CachedClusterClient;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The API a node talks to, in virtual time: the API's registries on a {@link MemoryStore}
 * (defaulting, validation, resourceVersions, graceful deletion and watches as the API server does
 * them) and, for each run of a kubelet, one {@link SharedInformerFactory} with a
 * {@link CachedClusterClient} over it, wired as {@code NodeServer} wires them, all on one
 * {@link FakeClock} and one {@link DeterministicExecutor}. Nothing here imitates the API.
 *
 * <p>Recorded for assertions: the node's typed writes ({@link #objects()}{@code .log()}), each pod
 * status write the kubelet made with the pod as the API returned it ({@link #statusUpdates()}), and
 * every event of a pod watch opened at the start ({@link #podEvents()}), which is what
 * {@code kubectl get pods -w} receives.
 *
 * <p>Writes made here ({@link #apply}, {@link #put}, {@link #update}, {@link #delete}) run queued
 * work until idle afterwards, so the informers' caches hold the change when they return.
 *
 * <p>Not thread-safe: drive it from the test thread only.
 */
public final class NodeApi implements AutoCloseable {

    /** The namespace objects go to unless they name another. */
    public static final String NAMESPACE = "default";

    private final FakeClock clock;
    private final DeterministicExecutor executor;
    private final MemoryStore store;
    private final Registries registries;
    private final RecordingObjects objects;
    private final StatusWrites writes = new StatusWrites();
    private final List<StatusUpdate> statusUpdates = new ArrayList<>();
    private final List<Watched> podEvents = new ArrayList<>();
    private final ObjectClient.Subscription podWatch;
    private SharedInformerFactory informers;
    private CachedClusterClient cluster;

    /** A pod as one status write of the node left it, and when. */
    public record StatusUpdate(Instant at, Pod pod) {}

    /** One event of the pod watch ({@code ADDED}, {@code MODIFIED}, {@code DELETED}) and when it arrived. */
    public record Watched(Instant at, String type, Pod pod) {}

    /** Starts the API (system namespaces, the {@code kubernetes} Service) and its informers; runs until idle. */
    public NodeApi(FakeClock clock, DeterministicExecutor executor) {
        this.clock = clock;
        this.executor = executor;
        this.store = new MemoryStore(executor);
        this.registries = new Registries(store, clock, executor);
        registries.start();
        this.objects = new RecordingObjects(registries);
        this.podWatch = registries.watch(Pod.class, null, (type, pod) -> podEvents.add(new Watched(clock.now(), type, pod)));
        connect();
        executor.runUntilIdle();
    }

    /**
     * Replaces the informers and the cache client with new ones, as a node process starting again
     * makes them (the old informers stop). The new ones are started: informers asked for later,
     * such as the kubelet's pod informer, start when they are asked for.
     *
     * @return the kubelet's {@link ClusterClient}, the same as {@link #cluster()} until the next call
     */
    public CachedClusterClient connect() {
        if (informers != null) {
            informers.close();
        }
        informers = new SharedInformerFactory(registries, clock, executor, Duration.ZERO);
        cluster = new CachedClusterClient(writes, informers);
        informers.start();
        return cluster;
    }

    /** The kubelet's view: pods of its node and cached ConfigMaps, Secrets and Services; writes to the API. */
    public CachedClusterClient cluster() {
        return cluster;
    }

    /** The typed API (Node, Lease, mirror pods) the node writes to, logging every write. */
    public RecordingObjects objects() {
        return objects;
    }

    /** The registries themselves, as the API server's HTTP front calls them. */
    public Registries registries() {
        return registries;
    }

    public SharedInformerFactory informers() {
        return informers;
    }

    // ---- writes, each followed by running until idle

    /**
     * Creates the object the YAML describes as {@code kubectl create -f} sends it: a JSON body to
     * {@link Registry#create} in its namespace ({@value #NAMESPACE} if none), so the API's decoding,
     * defaulting and validation apply. A pod without {@code spec.nodeName} gets {@code nodeName}, as
     * if the scheduler had placed it there.
     *
     * @return the object as stored
     * @throws ApiException as the API server refuses the request
     */
    public HasMetadata apply(String yaml, String nodeName) {
        KubectlRequests.Create request = KubectlRequests.create(yaml, NAMESPACE);
        if (request.type() == ResourceTypes.PODS && request.body().path("spec") instanceof ObjectNode spec
                && !spec.hasNonNull("nodeName")) {
            spec.put("nodeName", nodeName);
        }
        HasMetadata created = registries.create(request.type(), request.namespace(), request.body(),
                Registry.WriteOptions.DEFAULT).object();
        executor.runUntilIdle();
        return created;
    }

    /** Creates {@code object} ({@value #NAMESPACE} when namespaced and unset), or replaces it when it exists. */
    public <T extends HasMetadata> T put(T object) {
        T o = Yaml.copy(object);
        if (ResourceTypes.of(o.getClass()).namespaced() && o.getMetadata().getNamespace() == null) {
            o.getMetadata().setNamespace(NAMESPACE);
        }
        T stored;
        try {
            stored = registries.create(o);
        } catch (ApiException.AlreadyExists e) {
            o.getMetadata().setResourceVersion(null);
            stored = registries.update(o);
        }
        executor.runUntilIdle();
        return stored;
    }

    /**
     * Writes {@code object} straight to the store with the API's defaults but past its validation,
     * as an object an older API server stored before it refused such objects. It gets a uid and
     * creationTimestamp ({@value #NAMESPACE} when namespaced and unset); watches and informers see
     * it as any other.
     */
    public void storeAsIs(HasMetadata object) {
        ResourceType type = ResourceTypes.of(object.getClass());
        HasMetadata o = Defaults.apply(Yaml.copy(object));
        var m = o.getMetadata();
        if (type.namespaced() && m.getNamespace() == null) {
            m.setNamespace(NAMESPACE);
        }
        m.setUid(UUID.randomUUID().toString());
        m.setCreationTimestamp(Times.format(clock.now()));
        String group = type.group().isEmpty() ? "core" : type.group();
        String key = "/registry/" + group + "/" + type.plural() + "/" + (type.namespaced() ? m.getNamespace() + "/" : "")
                + m.getName();
        store.create(key, Yaml.json(o).getBytes(StandardCharsets.UTF_8));
        executor.runUntilIdle();
    }

    /** Replaces a pod's metadata and spec as an update does (the status is kept; the API validates the change). */
    public Pod update(Pod pod) {
        Pod stored = registries.update(pod);
        executor.runUntilIdle();
        return stored;
    }

    /** Deletes a pod as {@code kubectl delete pod [--grace-period=N]} does (null: its own grace period). */
    public void delete(String namespace, String name, Long gracePeriodSeconds) {
        DeleteOptions options = new DeleteOptions();
        options.setPropagationPolicy("Background");
        options.setGracePeriodSeconds(gracePeriodSeconds);
        registries.delete(ResourceTypes.PODS, namespace, name, options);
        executor.runUntilIdle();
    }

    /** Deletes an object of another kind (a ConfigMap, say) at once. */
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name) {
        registries.delete(type, namespace, name, 0L);
        executor.runUntilIdle();
    }

    // ---- reads

    /** The pod as the API holds it, or null. */
    public Pod get(String namespace, String name) {
        return registries.get(Pod.class, namespace, name);
    }

    /** Every status write the node made, with the pod it left, oldest first. */
    public List<StatusUpdate> statusUpdates() {
        return List.copyOf(statusUpdates);
    }

    /** Every status write the node made, as {@code "<epoch-seconds> <name> <phase>"}. */
    public List<String> statusLog() {
        return statusUpdates.stream().map(u -> u.at().getEpochSecond() + " " + u.pod().getMetadata().getName() + " "
                + u.pod().getStatus().getPhase()).toList();
    }

    /** What the pod watch received, oldest first. */
    public List<Watched> podEvents() {
        return List.copyOf(podEvents);
    }

    /**
     * The Events about the object named {@code name} in any namespace, as the API holds them, by
     * first occurrence (and by name, which grows with the time of issue, among those at the same time).
     */
    public List<Event> events(String name) {
        return registries.list(Event.class, null, null, null).stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing((Event e) -> Times.parse(e.getFirstTimestamp()))
                        .thenComparing(e -> e.getMetadata().getName()))
                .toList();
    }

    @Override
    public void close() {
        podWatch.close();
        informers.close();
        registries.close();
        store.close();
        executor.runUntilIdle();
    }

    /** The kubelet's writes, to the registries, with each status write recorded. */
    private final class StatusWrites implements ClusterClient {

        @Override
        public void watchPods(String nodeName, PodListener listener) {
            throw new UnsupportedOperationException("the kubelet's pods come from the informer");
        }

        @Override
        public Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
            Pod stored = registries.updatePodStatus(namespace, name, uid, status);
            if (stored != null) {
                statusUpdates.add(new StatusUpdate(clock.now(), stored));
            }
            return stored;
        }

        @Override
        public void deletePodFinal(String namespace, String name, String uid) {
            registries.deletePodFinal(namespace, name, uid);
        }

        @Override
        public EventSink events() {
            return registries.events();
        }
    }
}
