package io.podvisor.runtime.fake;

import io.podvisor.runtime.LabelledMap;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.PodNetwork;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;

/**
 * A scripted runtime on the injected {@link Clock}: containers do what their {@link ContainerScript}
 * says, at virtual times. Scripts are chosen by container name (or {@code "pod/container"}, which
 * wins), per attempt. Every signal and stop is recorded in {@link #log()} for assertions.
 *
 * <p>Thread-safety: all methods synchronize on the runtime.
 */
public final class FakeRuntime implements ContainerRuntime {

    /** The label the fake reads a container's pod name from (set by the kubelet). */
    public static final String POD_NAME_LABEL = "io.kubernetes.pod.name";

    private final Clock clock;
    private final Map<String, IntFunction<ContainerScript>> scripts = new HashMap<>();
    private final LabelledMap<FakeSandbox> sandboxes = new LabelledMap<>(s -> s.config.labels());
    private final LabelledMap<FakeContainer> containers = new LabelledMap<>(c -> c.config.labels());
    private final List<String> log = new ArrayList<>();
    private final FakeNetwork network = new FakeNetwork(this);
    private final FakeImages images;
    private final List<java.util.function.Consumer<ContainerInfo>> exitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int nextId = 1;
    private int nextIp = 2;

    public FakeRuntime(Clock clock) {
        this.clock = clock;
        this.images = new FakeImages(clock);
    }

    /** Scripts every attempt of containers named {@code name} (or {@code "pod/name"}) the same way. */
    public synchronized FakeRuntime script(String name, ContainerScript script) {
        scripts.put(name, attempt -> script);
        return this;
    }

    /** Scripts containers named {@code name} per attempt (0 = first instance). */
    public synchronized FakeRuntime script(String name, IntFunction<ContainerScript> perAttempt) {
        scripts.put(name, perAttempt);
        return this;
    }

    /** What happened, one line per event: {@code "<seconds since epoch of clock> <what>"}. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public String version() {
        return "fake://0.1.0";
    }

    @Override
    public synchronized SandboxInfo runSandbox(SandboxConfig config) {
        String id = "sb" + nextId++;
        String ip = config.hostNetwork() ? "127.0.0.1" : "10.88.0." + nextIp++;
        FakeSandbox sb = new FakeSandbox(id, config, ip, clock.now());
        sandboxes.put(id, sb);
        record("sandbox " + config.name() + " created " + id);
        return sb.info();
    }

    @Override
    public synchronized void stopSandbox(String sandboxId) {
        FakeSandbox sb = sandboxes.get(sandboxId);
        if (sb == null || !sb.ready) {
            return;
        }
        for (FakeContainer c : containers.values()) {
            if (c.sandboxId.equals(sandboxId) && c.state == ContainerState.RUNNING) {
                record("SIGKILL " + c.name + " (sandbox stop)");
                c.exit(137, "Error", clock.now());
            }
        }
        sb.ready = false;
        record("sandbox " + sb.config.name() + " stopped");
    }

    @Override
    public synchronized void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        containers.removeIf(c -> c.sandboxId.equals(sandboxId));
        sandboxes.remove(sandboxId);
    }

    @Override
    public synchronized List<SandboxInfo> listSandboxes(Map<String, String> labelFilter) {
        return sandboxes.select(labelFilter).stream().map(FakeSandbox::info).toList();
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        FakeSandbox sb = sandboxes.get(sandboxId);
        if (sb == null || !sb.ready) {
            throw new RuntimeFailure("sandbox " + sandboxId + " is not ready");
        }
        String id = String.format("%064x", nextId++);
        String imageRef = images.status(config.image()).map(io.podvisor.runtime.image.ImageInfo::imageRef).orElse("");
        FakeContainer c = new FakeContainer(this, id, sandboxId, config, imageRef, scriptFor(sb, config), clock.now());
        containers.put(id, c);
        record("create " + config.name() + " attempt " + config.attempt());
        return id;
    }

    /** The config the container {@code containerId} was created with (its mounts, env, …), for tests. */
    public synchronized ContainerConfig config(String containerId) throws RuntimeFailure {
        return require(containerId).config;
    }

    @Override
    public synchronized void startContainer(String containerId) throws RuntimeFailure {
        FakeContainer c = require(containerId);
        if (c.state != ContainerState.CREATED) {
            throw new RuntimeFailure("container " + containerId + " is not in created state");
        }
        if (c.script.startFailure != null) {
            c.failStart(c.script.startFailure, clock.now());
            record("start-failed " + c.name);
            throw new RuntimeFailure(c.script.startFailure);
        }
        c.start(clock.now());
        record("start " + c.name);
    }

    @Override
    public synchronized CompletionStage<Void> stopContainer(String containerId, Duration timeout) {
        FakeContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerState.RUNNING) {
            return CompletableFuture.completedFuture(null);
        }
        record("SIGTERM " + c.name + " timeout " + timeout.toSeconds() + "s");
        return c.stop(timeout);
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c != null && c.state != ContainerState.RUNNING) {
            containers.remove(containerId);
        }
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labelFilter) {
        return containers.select(labelFilter).stream().map(FakeContainer::info).toList();
    }

    /** Attaches to a running container's output (scripted lines) and, for {@link ContainerScript#catStdin}, its stdin. */
    @Override
    public CompletionStage<Void> attach(String containerId, io.podvisor.runtime.ExecStreams io) {
        io.podvisor.runtime.io.ContainerStdio stdio;
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null || c.state != ContainerState.RUNNING) {
                return CompletableFuture.failedFuture(new RuntimeFailure("container " + containerId + " is not running"));
            }
            stdio = c.stdio;
        }
        return stdio.attach(io);
    }

    @Override
    public synchronized CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
        FakeContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerState.RUNNING) {
            return CompletableFuture.completedFuture(ExecResult.exited(126, "container not running"));
        }
        return c.exec(command, timeout);
    }

    /**
     * The host goes down, as in a reboot: every container stops where it is, and nothing it was
     * scripted to do happens any more; no exit is reported. {@link #recover} starts the runtime again.
     */
    public synchronized void powerOff() {
        containers.values().forEach(FakeContainer::halt);
        record("power off");
    }

    /**
     * The runtime starts again after {@link #powerOff}, keeping its records as containerd does over a
     * reboot: a container that was running is exited with exit code 255 and reason {@code Unknown},
     * finished now; exited and created ones stay as they were; every sandbox is not ready. No exit
     * is reported (the caller's next listing finds them).
     */
    public synchronized void recover() {
        for (FakeContainer c : containers.values()) {
            if (c.state == ContainerState.RUNNING || c.state == ContainerState.UNKNOWN) {
                c.lost(clock.now());
            }
        }
        sandboxes.values().forEach(sb -> sb.ready = false);
        record("recovered");
    }

    /** {@inheritDoc} As the container's script has it (see {@link ContainerScript#cpu}, {@link ContainerScript#memory}). */
    @Override
    public synchronized java.util.Optional<io.podvisor.runtime.ContainerStats> containerStats(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerState.RUNNING) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(c.stats(clock.now()));
    }

    /** {@inheritDoc} The sum of its running containers. */
    @Override
    public synchronized java.util.Optional<io.podvisor.runtime.ContainerStats> podSandboxStats(String sandboxId) {
        FakeSandbox sb = sandboxes.get(sandboxId);
        if (sb == null || !sb.ready) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(sum(containers.values().stream().filter(c -> c.sandboxId.equals(sandboxId)).toList()));
    }

    /** {@inheritDoc} The sum of every running container (a fake node runs nothing else). */
    @Override
    public synchronized java.util.Optional<io.podvisor.runtime.ContainerStats> nodeStats() {
        return java.util.Optional.of(sum(List.copyOf(containers.values())));
    }

    private io.podvisor.runtime.ContainerStats sum(List<FakeContainer> all) {
        long cpu = 0;
        long workingSet = 0;
        long usage = 0;
        for (FakeContainer c : all) {
            if (c.state == ContainerState.RUNNING) {
                io.podvisor.runtime.ContainerStats s = c.stats(clock.now());
                cpu += s.cpuUsageCoreNanoSeconds();
                workingSet += s.memoryWorkingSetBytes();
                usage += s.memoryUsageBytes();
            }
        }
        return new io.podvisor.runtime.ContainerStats(clock.now(), cpu, workingSet, usage);
    }

    @Override
    public void onContainerExit(java.util.function.Consumer<ContainerInfo> listener) {
        exitListeners.add(listener);
    }

    void exited(FakeContainer c) {
        ContainerInfo info = c.info();
        exitListeners.forEach(l -> l.accept(info));
    }

    /** The runtime's scripted images and pretend registry (every image present and pullable by default). */
    @Override
    public FakeImages images() {
        return images;
    }

    @Override
    public PodNetwork network() {
        return network;
    }

    // ---- used by FakeContainer and FakeNetwork (lock held by callers) ----

    Clock clock() {
        return clock;
    }

    void record(String what) {
        log.add(clock.now().getEpochSecond() + " " + what);
    }

    synchronized FakeContainer listenerAt(String ip, int port) {
        for (FakeContainer c : containers.values()) {
            FakeSandbox sb = sandboxes.get(c.sandboxId);
            if (sb != null && sb.ready && sb.ip.equals(ip) && c.state == ContainerState.RUNNING
                    && c.listens(port, clock.now())) {
                return c;
            }
        }
        return null;
    }

    private ContainerScript scriptFor(FakeSandbox sb, ContainerConfig config) {
        String pod = sb.config.labels().getOrDefault(POD_NAME_LABEL, "");
        IntFunction<ContainerScript> s = scripts.get(pod + "/" + config.name());
        if (s == null) {
            s = scripts.get(config.name());
        }
        return s == null ? ContainerScript.runForever() : s.apply(config.attempt());
    }

    private FakeContainer require(String id) throws RuntimeFailure {
        FakeContainer c = containers.get(id);
        if (c == null) {
            throw new RuntimeFailure("no such container " + id);
        }
        return c;
    }

    private static final class FakeSandbox {
        final String id;
        final SandboxConfig config;
        final String ip;
        final Instant createdAt;
        boolean ready = true;

        FakeSandbox(String id, SandboxConfig config, String ip, Instant createdAt) {
            this.id = id;
            this.config = config;
            this.ip = ip;
            this.createdAt = createdAt;
        }

        SandboxInfo info() {
            return new SandboxInfo(id, ready, ip, createdAt, config.labels(), config.annotations());
        }
    }
}
