package io.podvisor.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.events.RecordingEventSink;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.store.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Virtual-time fixture: a {@link FakeClock}, a {@link DeterministicExecutor} drained after every
 * timer, the real API (the {@link Registries} on a {@link MemoryStore}, both on that clock and
 * executor) reached through {@link WatchFaults}, shared informers over it, recorded events, a
 * seeded random source, and the kubelet's part played by hand (run, finish, restart, terminate pods
 * through {@code updateStatus}).
 */
public final class TestCluster {

    public static final Instant START = Instant.parse("2025-06-01T10:00:00Z");

    public final FakeClock clock = new FakeClock(START);
    public final DeterministicExecutor executor = new DeterministicExecutor();
    private final MemoryStore store = new MemoryStore(executor);
    /** The API server's object semantics: defaulting, validation, preconditions, graceful deletion, watch. */
    public final Registries registries = new Registries(store, clock, executor);
    /** Ends or holds back the watches opened through {@link #api}. */
    public final WatchFaults watches = new WatchFaults(registries);
    /** The typed client controllers and tests use: {@link #registries} through {@link #watches}. */
    public final ObjectClient api = watches.client();
    public final RecordingEventSink events = new RecordingEventSink();
    public final RandomGenerator random = new SplittableRandom(42);
    /** Informers over {@link #api} for controllers under test; started by {@link #startInformers()}. */
    public final SharedInformerFactory informers = new SharedInformerFactory(api, clock, executor, Duration.ZERO);

    private static final ObjectMapper YAML = Yaml.newYamlMapper();
    private static final ObjectMapper JSON = Yaml.newJsonMapper();

    public TestCluster() {
        clock.afterEachTimer(executor::runUntilIdle);
        registries.start();
        settle();
    }

    /** Starts {@link #informers} (after the controllers under test added their handlers) and settles. */
    public void startInformers() {
        informers.start();
        settle();
    }

    /** Runs queued work (watch deliveries, syncs) until nothing is left. */
    public void settle() {
        executor.runUntilIdle();
    }

    /** Settles, advances virtual time by {@code seconds} (firing timers), settles. */
    public void advance(long seconds) {
        settle();
        clock.advance(Duration.ofSeconds(seconds));
        settle();
    }

    /**
     * Creates an object from YAML as {@code kubectl create -f} does (a JSON body decoded, defaulted
     * and validated by the API, in the object's namespace or {@code default}) and settles.
     */
    public <T extends HasMetadata> T apply(String yaml, Class<T> type) {
        JsonNode body;
        try {
            body = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ResourceType rt = ResourceTypes.of(type);
        String ns = rt.namespaced() ? body.path("metadata").path("namespace").asText("default") : null;
        T created = type.cast(registries.create(rt, ns, body, Registry.WriteOptions.DEFAULT).object());
        settle();
        return created;
    }

    /**
     * Writes {@code object} straight into the store, past the API's validation, with a fresh uid and
     * creation time, as data stored before the API refused such objects; settles.
     */
    public void storeUnchecked(HasMetadata object) {
        ResourceType rt = ResourceTypes.of(object.getClass());
        HasMetadata o = Yaml.copy(object);
        o.getMetadata().setUid(java.util.UUID.nameUUIDFromBytes(o.getMetadata().getName().getBytes()).toString());
        o.getMetadata().setCreationTimestamp(Times.format(clock.now()));
        String key = "/registry/" + (rt.group().isEmpty() ? "core" : rt.group()) + "/" + rt.plural() + "/"
                + (rt.namespaced() ? o.getMetadata().getNamespace() + "/" : "") + o.getMetadata().getName();
        try {
            store.create(key, JSON.writeValueAsBytes(JSON.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(o)
                    .put("kind", rt.kind()).put("apiVersion", rt.apiVersion())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settle();
    }

    /** All objects of a type, in namespace/name order. */
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return api.list(type, null, null, null);
    }

    public Pod pod(String name) {
        return api.get(Pod.class, "default", name);
    }

    /** The pods of the default namespace, by name. */
    public List<Pod> pods() {
        return api.list(Pod.class, "default", null, null);
    }

    /** Kubelet: the pod runs on {@code node} with {@code ip}, Ready as given. */
    public void run(String name, String node, String ip, boolean ready) {
        Pod p = pod(name);
        if (p.getSpec().getNodeName() == null && node != null) {
            api.bind("default", name, node);
            p = pod(name);
        }
        p.getStatus().setPhase("Running");
        p.getStatus().setPodIP(ip);
        p.getStatus().getConditions().removeIf(c -> "Ready".equals(c.getType()));
        p.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready")
                .withStatus(ready ? "True" : "False").withLastTransitionTime(Times.format(clock.now())).build());
        api.updateStatus(p);
        settle();
    }

    /** Kubelet: the pod's containers restarted {@code restarts} times in total (one container). */
    public void restarts(String name, int restarts) {
        Pod p = pod(name);
        p.getStatus().setPhase("Running");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("main")
                .withRestartCount(restarts).build()));
        api.updateStatus(p);
        settle();
    }

    /** Kubelet: the pod ends in {@code phase} now (its container terminated with the matching code). */
    public void finish(String name, String phase) {
        Pod p = pod(name);
        p.getStatus().setPhase(phase);
        List<ContainerStatus> statuses = new ArrayList<>();
        statuses.add(new ContainerStatusBuilder().withName("main").withRestartCount(0).withNewState().withNewTerminated()
                .withExitCode("Succeeded".equals(phase) ? 0 : 1).withFinishedAt(Times.format(clock.now()))
                .endTerminated().endState().build());
        p.getStatus().setContainerStatuses(statuses);
        api.updateStatus(p);
        settle();
    }

    /** Kubelet: a pod being deleted finishes terminating (phase Failed) and is removed (grace 0). */
    public void terminate(String name) {
        Pod p = pod(name);
        if (!Pods.isTerminal(p)) {
            finish(name, "Failed");
        }
        api.delete(Pod.class, "default", name, 0L);
        settle();
    }

    /** Events of an object as {@code Type Reason Message} lines, in order of creation. */
    public List<String> eventLines(String objectName) {
        return events.forObject(objectName).stream().map(TestCluster::line).toList();
    }

    private static String line(Event e) {
        return e.getType() + " " + e.getReason() + " " + e.getMessage();
    }

    /** The pod names of the default namespace. */
    public List<String> podNames() {
        return pods().stream().map(p -> p.getMetadata().getName()).toList();
    }
}
