package io.podvisor.kubelet.harness;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.printers.EventAges;
import io.podvisor.api.printers.PodColumns;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.kubelet.Kubelet;
import io.podvisor.kubelet.KubeletConfig;
import io.podvisor.kubelet.volume.Mounter;
import io.podvisor.runtime.fake.ContainerScript;
import io.podvisor.runtime.fake.FakeRuntime;
import io.podvisor.api.client.ContainerStreams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A whole node in virtual time: a kubelet on the fake runtime and a fake clock, talking to the real
 * API on an in-memory store through shared informers ({@link NodeApi}), as {@code NodeServer} wires
 * it. A test creates pods, scripts containers, advances the clock and asserts what a user would
 * see: phase, statuses, conditions, events and the kubectl columns.
 *
 * <pre>
 * NodeHarness h = new NodeHarness();
 * h.runtime().script("app", ContainerScript.script().exitAfter(Duration.ofSeconds(10), 0));
 * h.apply("""
 *     apiVersion: v1 ...""");
 * h.advance(Duration.ofSeconds(11));
 * assertThat(h.kubectl("web")).isEqualTo("0/1 Completed 0");
 * </pre>
 */
public final class NodeHarness {

    /** Virtual time starts here (any fixed instant works). */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final FakeClock clock = new FakeClock(T0);
    private final DeterministicExecutor executor = new DeterministicExecutor();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final RecordingRuntime recording = new RecordingRuntime(runtime);
    private final NodeApi api = new NodeApi(clock, executor);
    private final KubeletConfig config;
    private final Mounter mounter;
    private Kubelet kubelet;

    public NodeHarness() {
        this(c -> c);
    }

    /** A node whose settings are the defaults changed by {@code config} (log or manifest directories). */
    public NodeHarness(UnaryOperator<KubeletConfig> config) {
        this(config, rt -> {});
    }

    /** As above, with containers scripted before the kubelet starts (static pods start with it). */
    public NodeHarness(UnaryOperator<KubeletConfig> config, Consumer<FakeRuntime> scripts) {
        this(config, scripts, Mounter.NONE);
    }

    /** As above, with {@code mounter} for memory-backed emptyDirs. */
    public NodeHarness(UnaryOperator<KubeletConfig> config, Consumer<FakeRuntime> scripts, Mounter mounter) {
        scripts.accept(runtime);
        clock.afterEachTimer(executor::runUntilIdle);
        this.config = config.apply(KubeletConfig.defaults("podvisor"));
        this.mounter = mounter;
        startKubelet();
    }

    private void startKubelet() {
        // a starting node process makes its informers anew
        kubelet = new Kubelet(config, clock, executor, recording, api.connect(), api.objects(), mounter);
        kubelet.start();
        executor.runUntilIdle();
    }

    /**
     * Stops the node for {@code down} and starts it again, as a reboot does: the kubelet stops, the
     * host goes down under the runtime (nothing its containers were scripted to do happens any
     * more), virtual time passes, and the runtime starts again keeping its records as containerd
     * does ({@link FakeRuntime#recover}: a container that ran is exited 255 {@code Unknown}, every
     * sandbox not ready) before a new kubelet starts with the same settings and directories on the
     * same API state.
     */
    public void restartNode(Duration down) {
        restartNode(down, () -> {});
    }

    /** As above, with {@code whileDown} done (to the API, say) while the node is down. */
    public void restartNode(Duration down, Runnable whileDown) {
        executor.runUntilIdle();
        kubelet.close();
        runtime.powerOff();
        whileDown.run();
        advance(down);
        runtime.recover();
        startKubelet();
    }

    public Kubelet kubelet() {
        return kubelet;
    }

    /** The typed API (Node, Lease, mirror pods) the kubelet writes to, logging every write. */
    public RecordingObjects objects() {
        return api.objects();
    }

    /** {@code kubectl logs} through the kubelet's streams; API errors are thrown as they are. */
    public String logs(String pod, String container, ContainerStreams.LogOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            kubelet.streams().logs(pod(pod), container, options, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs queued work now (after a change made outside the harness, e.g. a manifest file). */
    public void runUntilIdle() {
        executor.runUntilIdle();
    }

    public FakeRuntime runtime() {
        return runtime;
    }

    /** The runtime as the kubelet sees it: records the configs it was given. */
    public RecordingRuntime recording() {
        return recording;
    }

    public FakeClock clock() {
        return clock;
    }

    /** The API the node talks to: writes as a user makes them, and what the node wrote. */
    public NodeApi cluster() {
        return api;
    }

    /** Scripts containers named {@code name} (shortcut for {@code runtime().script}). */
    public NodeHarness script(String name, ContainerScript script) {
        runtime.script(name, script);
        return this;
    }

    /**
     * Creates a pod from YAML as {@code kubectl create -f} does (the API decodes, defaults and
     * validates it), bound to this node unless it names one; runs the node until idle.
     *
     * @throws io.podvisor.api.errors.ApiException as the API server refuses the pod
     */
    public Pod apply(String yaml) {
        return (Pod) api.apply(yaml, config.nodeName());
    }

    /** Deletes a pod gracefully (its own grace period) and runs until idle. */
    public void delete(String name) {
        delete(name, null);
    }

    public void delete(String name, Long gracePeriodSeconds) {
        api.delete(NodeApi.NAMESPACE, name, gracePeriodSeconds);
    }

    /** Moves virtual time forward, running every timer and the work it causes. */
    public void advance(Duration d) {
        executor.runUntilIdle();
        clock.advance(d);
        executor.runUntilIdle();
    }

    public void advanceSeconds(long s) {
        advance(Duration.ofSeconds(s));
    }

    /** Seconds since {@link #T0}. */
    public long elapsedSeconds() {
        return Duration.between(T0, clock.now()).toSeconds();
    }

    /** The pod as the API holds it (null once deleted). */
    public Pod pod(String name) {
        return api.get(NodeApi.NAMESPACE, name);
    }

    /** {@code "READY STATUS RESTARTS"} as {@code kubectl get pod} prints them, single-spaced. */
    public String kubectl(String name) {
        Pod p = pod(name);
        if (p == null) {
            return "<gone>";
        }
        return PodColumns.ready(p) + " " + PodColumns.status(p) + " " + PodColumns.restarts(p, clock.now());
    }

    /**
     * What {@code kubectl get pod NAME -w} shows, from a watch on the API opened before the first
     * pod: a line {@code "<seconds since T0> READY STATUS RESTARTS"} for each event that changed
     * those columns (ages as at the event), the pod's creation first.
     */
    public List<String> kubectlWatch(String name) {
        List<String> lines = new java.util.ArrayList<>();
        String last = null;
        for (NodeApi.Watched u : api.podEvents()) {
            Pod p = u.pod();
            if (!p.getMetadata().getName().equals(name) || !NodeApi.NAMESPACE.equals(p.getMetadata().getNamespace())) {
                continue;
            }
            String columns = PodColumns.ready(p) + " " + PodColumns.status(p) + " " + PodColumns.restarts(p, u.at());
            if (!columns.equals(last)) {
                lines.add(Duration.between(T0, u.at()).toSeconds() + " " + columns);
                last = columns;
            }
        }
        return lines;
    }

    /** The pod's events as {@code "Type Reason Message"}, oldest first. */
    public List<String> events(String name) {
        return eventObjects(name).stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage()).toList();
    }

    /** The pod's events as kubectl describe shows them: {@code "Type Reason Age Message"}. */
    public List<String> describeEvents(String name) {
        return eventObjects(name).stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + EventAges.age(e, clock.now()) + " " + e.getMessage())
                .toList();
    }

    public List<Event> eventObjects(String name) {
        return api.events(name);
    }

    /** Events whose reason is {@code reason}, as {@code "count × message"}. */
    public List<String> events(String name, String reason) {
        return eventObjects(name).stream().filter(e -> reason.equals(e.getReason()))
                .map(e -> e.getCount() + "x " + e.getMessage()).toList();
    }

    /** The steps the pod's last acting sync executed, as {@code "Action target[: error]"}. */
    public List<String> lastSteps(String name) {
        var w = kubelet.worker(pod(name).getMetadata().getUid());
        return w.lastSteps().stream().map(s -> s.action() + " " + s.target() + (s.error() == null ? "" : ": " + s.error())).toList();
    }

    /** The fake runtime's log lines (signals, starts, exits) with seconds relative to {@link #T0}. */
    public List<String> runtimeLog() {
        long t0 = T0.getEpochSecond();
        return runtime.log().stream().map(l -> {
            int sp = l.indexOf(' ');
            return (Long.parseLong(l.substring(0, sp)) - t0) + l.substring(sp);
        }).toList();
    }
}
