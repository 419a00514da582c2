package io.podvisor.cli.harness;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.KubectlRequests;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.client.node.CachedClusterClient;
import io.podvisor.controllers.Controllers;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.kubelet.Kubelet;
import io.podvisor.kubelet.KubeletConfig;
import io.podvisor.runtime.fake.ContainerScript;
import io.podvisor.runtime.fake.FakeRuntime;
import io.podvisor.store.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A whole node in virtual time: the in-memory store, the registries (the API's object semantics),
 * the kubelet on the fake runtime and the controllers (Job, Endpoints, scheduler, garbage
 * collector) sharing one set of informers, wired as {@code NodeServer} wires them but on one
 * {@link FakeClock} and one
 * {@link DeterministicExecutor}. Every watch delivery, event write and pod sync is a task on that
 * executor, and every delay a timer on that clock, so a scenario runs single-threaded, in
 * milliseconds and the same way every time. Nothing ever waits on real time.
 *
 * <p>Objects go in as kubectl sends them: YAML turned into a JSON body and handed to
 * {@link Registry#create}, so defaulting and validation apply. Assertions read what kubectl would
 * print: {@link #kubectlGet} builds the rows from the server's table printers at the harness time.
 *
 * <pre>
 * ClusterHarness h = new ClusterHarness();
 * h.runtime().script("work", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 0));
 * h.apply("apiVersion: batch/v1\nkind: Job ...");
 * h.advanceSeconds(10);
 * assertThat(h.kubectlGet("jobs")).containsExactly("pi Complete 1/1 5s 10s");
 * </pre>
 *
 * <p>Not thread-safe: drive it from the test thread only.
 */
public final class ClusterHarness implements AutoCloseable {

    /** Virtual time starts here. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The node's name. */
    public static final String NODE = "podvisor";
    /** The namespace objects go to unless their YAML names another. */
    public static final String NAMESPACE = "default";

    /** How far the clock moves between two drains of the work queue in {@link #advance}. */
    private static final Duration STEP = Duration.ofMillis(100);

    private final FakeClock clock = new FakeClock(T0);
    private final DeterministicExecutor executor = new DeterministicExecutor();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final MemoryStore store = new MemoryStore(executor);
    private final Registries registries = new Registries(store, clock, executor);
    /** What the kubelet and the informers call on the API. */
    private final ApiCalls nodeCalls = new ApiCalls(registries);
    private final SharedInformerFactory informers;
    private final Kubelet kubelet;
    private final Controllers controllers;
    private final ClusterView view;

    /** Starts the whole node (namespaces, Node and Lease, controllers) and runs until idle. */
    public ClusterHarness() {
        this(null);
    }

    /**
     * The whole node, its kubelet writing pod volumes under {@code kubeletRoot} (null: volumes are
     * checked but not written).
     */
    public ClusterHarness(Path kubeletRoot) {
        this(kubeletRoot, UnaryOperator.identity());
    }

    /**
     * The whole node as {@link #ClusterHarness(Path)}, its kubelet's config changed by
     * {@code configure} (e.g. a static pod directory).
     */
    public ClusterHarness(Path kubeletRoot, UnaryOperator<KubeletConfig> configure) {
        clock.afterEachTimer(executor::runUntilIdle);
        registries.start();
        // as NodeServer: one informer factory for the kubelet and the controllers
        informers = new SharedInformerFactory(nodeCalls.objects(), clock, executor, Duration.ZERO);
        KubeletConfig config = configure.apply(KubeletConfig.defaults(NODE));
        kubelet = new Kubelet(kubeletRoot == null ? config : config.withRootDir(kubeletRoot), clock, executor, runtime,
                new CachedClusterClient(nodeCalls.cluster(), informers), nodeCalls.objects());
        kubelet.start();
        controllers = new Controllers(registries, informers, clock, executor, registries.events(), NODE,
                new SplittableRandom(42));
        controllers.start();
        informers.start();
        view = new ClusterView(registries, clock);
        executor.runUntilIdle();
    }

    // ---- parts

    public FakeRuntime runtime() {
        return runtime;
    }

    /** Scripts containers named {@code name} (shortcut for {@code runtime().script}). */
    public ClusterHarness script(String name, ContainerScript script) {
        runtime.script(name, script);
        return this;
    }

    public FakeClock clock() {
        return clock;
    }

    /** The API as the HTTP front sees it (JSON bodies, options) and as controllers see it (typed). */
    public Registries api() {
        return registries;
    }

    public Kubelet kubelet() {
        return kubelet;
    }

    public Controllers controllers() {
        return controllers;
    }

    /** The informers the kubelet and the controllers share. */
    public SharedInformerFactory informers() {
        return informers;
    }

    /**
     * The calls the kubelet and the informers made on the API whose text ({@code method(Kind)})
     * contains {@code part}, in order.
     */
    public List<String> nodeApiCalls(String part) {
        return nodeCalls.matching(part);
    }

    // ---- writes, as kubectl sends them

    /**
     * Creates the object the YAML describes, as {@code kubectl create -f} does: a JSON body to
     * {@link Registry#create} in the object's namespace ({@value #NAMESPACE} if none), with strict
     * field validation. Runs the node until idle afterwards.
     *
     * @return the object as stored
     * @throws ApiException as the API server rejects the request (nothing is stored then)
     */
    public HasMetadata apply(String yaml) {
        KubectlRequests.Create request = KubectlRequests.create(yaml, NAMESPACE);
        HasMetadata created = registries.create(request.type(), request.namespace(), request.body(),
                Registry.WriteOptions.DEFAULT).object();
        executor.runUntilIdle();
        return created;
    }

    /**
     * Deletes as {@code kubectl delete <resource> <name>} does (background propagation, the
     * object's own grace period) and runs until idle.
     *
     * @return true if the object is gone, false if it only got a deletionTimestamp
     */
    public boolean delete(ResourceType type, String name) {
        DeleteOptions options = new DeleteOptions();
        options.setPropagationPolicy("Background");
        return delete(type, name, options);
    }

    /** Deletes with explicit options ({@code --cascade=orphan}, {@code --grace-period}) and runs until idle. */
    public boolean delete(ResourceType type, String name, DeleteOptions options) {
        boolean gone = registries.delete(type, type.namespaced() ? NAMESPACE : null, name, options).gone();
        executor.runUntilIdle();
        return gone;
    }

    // ---- time

    /** Runs queued work (watch deliveries, syncs, event writes) until none is left. */
    public void runUntilIdle() {
        executor.runUntilIdle();
    }

    /** Moves virtual time forward in small steps, firing every timer and draining the work it causes. */
    public void advance(Duration d) {
        Instant end = clock.now().plus(d);
        executor.runUntilIdle();
        while (clock.now().isBefore(end)) {
            Instant next = clock.now().plus(STEP);
            clock.advanceTo(next.isAfter(end) ? end : next);
            executor.runUntilIdle();
        }
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    /** Seconds since {@link #T0}. */
    public long elapsedSeconds() {
        return Duration.between(T0, clock.now()).toSeconds();
    }

    // ---- reads

    /** The object, or null when absent ({@code ns} ignored for cluster-scoped types). */
    public HasMetadata get(ResourceType type, String ns, String name) {
        try {
            return registries.get(type, ns, name);
        } catch (ApiException.NotFound e) {
            return null;
        }
    }

    /** The pod in {@value #NAMESPACE}, or null. */
    public Pod pod(String name) {
        return registries.get(Pod.class, NAMESPACE, name);
    }

    /** The job in {@value #NAMESPACE}, or null. */
    public Job job(String name) {
        return registries.get(Job.class, NAMESPACE, name);
    }

    /** This node as the kubelet registered it. */
    public Node node() {
        return registries.get(Node.class, null, NODE);
    }

    /** The pods in {@value #NAMESPACE} whose labels match {@code selector}, by name. */
    public List<Pod> pods(String selector) {
        return registries.list(Pod.class, NAMESPACE, selector, null);
    }

    /** The pods the job {@code name} owns (by its {@code job-name} label), by name. */
    public List<Pod> jobPods(String name) {
        return pods("batch.kubernetes.io/job-name=" + name);
    }

    /**
     * The rows of {@code kubectl get <resource>} in {@value #NAMESPACE} (cluster-wide for
     * cluster-scoped types), without the header, each row's default columns single-spaced.
     *
     * @param resource a plural, singular or short name: {@code pods}, {@code job}, {@code ep}
     */
    public List<String> kubectlGet(String resource) {
        return view.rows(resource, NAMESPACE);
    }

    /** The header of {@code kubectl get <resource>}, single-spaced. */
    public String kubectlHeader(String resource) {
        return view.header(resource);
    }

    /** The single row of {@code kubectl get <resource> <name>}, or {@code "<gone>"}. */
    public String kubectlGet(String resource, String name) {
        return view.row(resource, NAMESPACE, name);
    }

    /** The events about the object {@code name} in {@value #NAMESPACE}: {@code "Type Reason message"}, oldest first. */
    public List<String> events(String name) {
        return view.events(NAMESPACE, name);
    }

    /** The fake runtime's log lines (starts, signals, exits) with seconds relative to {@link #T0}. */
    public List<String> runtimeLog() {
        long t0 = T0.getEpochSecond();
        return runtime.log().stream().map(l -> {
            int sp = l.indexOf(' ');
            return (Long.parseLong(l.substring(0, sp)) - t0) + l.substring(sp);
        }).toList();
    }

    @Override
    public void close() {
        controllers.stop();
        kubelet.close();
        informers.close();
        registries.close();
        store.close();
        executor.runUntilIdle();
    }
}
