package io.podvisor.runtime.process;

import io.podvisor.runtime.LabelledMap;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.runtime.InstanceRecords;
import io.podvisor.runtime.PodNetwork;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import io.podvisor.runtime.io.ContainerStdio;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostInstances;
import io.podvisor.runtime.net.HostPodNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A runtime whose containers are host processes, for machines without root or runc.
 *
 * <ul>
 *   <li>Sandboxes are records: every sandbox has the host's network ({@code 127.0.0.1}, whatever
 *       {@code hostNetwork} says) and the host's name.</li>
 *   <li>The image is ignored: nothing is pulled or unpacked, so the command must be given
 *       ({@code command + args}, or {@code args} alone) and runs from the host's filesystem.</li>
 *   <li>Each container's first process leads its own session and process group; stopping signals
 *       the whole group. As root with writable cgroups, each container also gets a cgroup under its
 *       pod's ({@link Cgroups}), entered before its command runs: memory and CPU limits are enforced,
 *       OOM kills are reported as {@code OOMKilled}, and whatever a container leaves behind is killed
 *       with its cgroup. Without cgroups, limits are not enforced.</li>
 *   <li>The environment is exactly the container's {@code env}, plus the host's {@code PATH} if it
 *       sets none. The working directory is the given one (it must exist on the host) or an empty
 *       directory of the container's own under the state directory.</li>
 *   <li>Volume mounts (other than a path onto itself), other users and groups, privileged mode,
 *       read-only root filesystems and added capabilities are refused as configuration errors;
 *       dropped capabilities are not enforced.</li>
 *   <li>Exec runs the command on the host with the container's environment, working directory and
 *       cgroup; exec processes die with the container.</li>
 *   <li>Sandboxes and containers are recorded in the state dir's {@code records/} ({@link InstanceRecords}):
 *       {@link #start} on the same state dir lists the previous run's as not ready and exited (those
 *       that were running with exit code 255, reason {@code Unknown}) until they are removed.</li>
 * </ul>
 *
 * <p>Thread-safe: the maps are guarded by the runtime's lock, each container by its own.
 */
public final class ProcessRuntime implements ContainerRuntime {

    /**
     * How a runtime instance is set up.
     *
     * @param name       names the instance's cgroup ({@code /<name>}); letters, digits, {@code -_.}
     * @param stateDir   holds the containers' working directories; emptied on {@link #shutdown()}
     * @param useCgroups place containers in cgroups when the host allows it (root, writable hierarchy)
     * @param dataDir    the node's data dir, or null (recorded with the instance, see {@link #start})
     * @param temporaryDataDir true when the data dir is this instance's alone: removed once it is dead
     */
    public record Options(String name, Path stateDir, boolean useCgroups, Path dataDir, boolean temporaryDataDir) {

        /** Options of an instance that is not part of a node's data dir. */
        public Options(String name, Path stateDir, boolean useCgroups) {
            this(name, stateDir, useCgroups, null, false);
        }
    }

    private final Options options;
    private final Clock clock;
    private final Cgroups cgroups;
    private final Launcher launcher = Launcher.detect();
    private final ConfigCheck.Identity identity = ConfigCheck.Identity.current();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final PodNetwork network = new HostPodNetwork();
    private final LabelledMap<Sandbox> sandboxes = new LabelledMap<>(s -> s.config().labels());
    private final LabelledMap<ProcessContainer> containers = new LabelledMap<>(c -> c.config.labels());
    private final List<Consumer<ContainerInfo>> listeners = new CopyOnWriteArrayList<>();
    private final ProcessExec exec = new ProcessExec(this);
    /** The records of this run's sandboxes and containers, and those {@link #start} recovered from the previous run. */
    private final InstanceRecords records;
    private volatile HostInstances.Claim claim;

    private record Sandbox(String id, SandboxConfig config, java.time.Instant createdAt, String cgroup,
                           boolean ready) {
        SandboxInfo info() {
            return new SandboxInfo(id, ready, "127.0.0.1", createdAt, config.labels(), config.annotations());
        }
    }

    /** A runtime using the host's cgroups if {@code options} ask for them and they are writable. */
    public ProcessRuntime(Options options, Clock clock) {
        this(options, clock, options.useCgroups() ? Cgroups.detect(options.name()) : null);
    }

    /** A runtime using {@code cgroups} (null: none) if they are writable. */
    public ProcessRuntime(Options options, Clock clock, Cgroups cgroups) {
        this.options = options;
        this.clock = clock;
        this.records = new InstanceRecords(options.stateDir().resolve("records"));
        this.cgroups = cgroups != null && cgroups.writable() && launcher.canGate() ? cgroups : null;
    }

    /**
     * A runtime that, when its containers get cgroups (root), is recorded in {@link HostInstances#HOST}
     * for its process's life: dead process-runtime instances' leftovers (their processes, by their
     * cgroups; a temporary data dir) are removed first, and a live instance of the same name is refused.
     */
    public static ProcessRuntime start(Options options, Clock clock) throws RuntimeFailure {
        ProcessRuntime rt = new ProcessRuntime(options, clock);
        if (rt.usesCgroups()) {
            HostInstances.Entry wanted = new HostInstances.Entry(options.name(), "process",
                    ProcessHandle.current().pid(), options.dataDir() == null ? null : options.dataDir().toString(),
                    options.temporaryDataDir(), options.stateDir().toAbsolutePath().toString(), null, null, null);
            rt.claim = HostInstances.HOST.claim(wanted, new HostInstances.Policy(List::of, (a, b) -> false,
                    dead -> dead.kind().equals("process") && HostInstances.removeCommonLeftovers(dead)
                            && io.podvisor.core.FileTrees.delete(Path.of(dead.stateDir()).resolve("containers"))));
        }
        rt.records.recover(clock.now());
        return rt;
    }

    /** True if containers get cgroups. */
    public boolean usesCgroups() {
        return cgroups != null;
    }

    @Override
    public String type() {
        return "process";
    }

    @Override
    public String version() {
        String v = ProcessRuntime.class.getPackage().getImplementationVersion();
        return "process://" + (v == null ? "0.1.0" : v);
    }

    @Override
    public SandboxInfo runSandbox(SandboxConfig config) throws RuntimeFailure {
        String id = newId();
        String cgroup = cgroups == null ? null
                : cgroups.createPod(config.uid().isEmpty() ? id.substring(0, 32) : config.uid(), config.resources());
        Sandbox sb = new Sandbox(id, config, clock.now(), cgroup, true);
        synchronized (this) {
            sandboxes.put(id, sb);
        }
        records.save(sb.info());
        return sb.info();
    }

    @Override
    public void stopSandbox(String sandboxId) {
        List<CompletableFuture<Void>> kills = new ArrayList<>();
        synchronized (this) {
            Sandbox sb = sandboxes.get(sandboxId);
            if (sb == null || !sb.ready()) {
                return;
            }
            sandboxes.put(sandboxId, new Sandbox(sb.id(), sb.config(), sb.createdAt(), sb.cgroup(), false));
            for (ProcessContainer c : containers.values()) {
                if (c.sandboxId.equals(sandboxId)) {
                    kills.add(c.kill());
                }
            }
        }
        awaitAll(kills);
    }

    @Override
    public void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        String cgroup;
        List<ProcessContainer> gone = new ArrayList<>();
        synchronized (this) {
            Sandbox sb = sandboxes.remove(sandboxId);
            if (sb == null) {
                records.forgetSandbox(sandboxId); // one of the previous run's
                return;
            }
            containers.removeIf(c -> c.sandboxId.equals(sandboxId) && gone.add(c));
            boolean shared = sandboxes.values().stream().anyMatch(s -> sb.cgroup() != null && sb.cgroup().equals(s.cgroup()));
            cgroup = shared ? null : sb.cgroup();
        }
        gone.forEach(this::deleteState);
        gone.forEach(c -> records.forgetContainer(c.id));
        records.forgetSandbox(sandboxId);
        if (cgroup != null) {
            cgroups.remove(cgroup);
        }
    }

    @Override
    public synchronized List<SandboxInfo> listSandboxes(Map<String, String> labelFilter) {
        return InstanceRecords.concat(sandboxes.select(labelFilter).stream().map(Sandbox::info).toList(),
                records.sandboxes(labelFilter));
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        String id = create(sandboxId, config);
        records.save(find(id).info());
        return id;
    }

    private String create(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        List<String> command = ConfigCheck.command(config);
        ConfigCheck.check(config, identity);
        String id = newId();
        Path own = options.stateDir().resolve("containers").resolve(id);
        Path workDir = ConfigCheck.workingDir(config, own);
        synchronized (this) {
            Sandbox sb = sandboxes.get(sandboxId);
            if (sb == null || !sb.ready()) {
                throw new RuntimeFailure("sandbox " + sandboxId + " is not ready");
            }
            try {
                Files.createDirectories(own);
            } catch (IOException e) {
                throw new RuntimeFailure("cannot create the container's directory: " + e.getMessage(), e);
            }
            containers.put(id, new ProcessContainer(this, id, sandboxId, config, clock.now(), workDir, command,
                    sb.cgroup()));
        }
        return id;
    }

    @Override
    public void startContainer(String containerId) throws RuntimeFailure {
        ProcessContainer c = require(containerId);
        try {
            c.start();
        } finally {
            records.save(c.info()); // running, exited already, or failed to start
        }
    }

    @Override
    public CompletionStage<Void> stopContainer(String containerId, Duration timeout) {
        ProcessContainer c = find(containerId);
        return c == null ? CompletableFuture.completedFuture(null) : c.stop(timeout);
    }

    @Override
    public void removeContainer(String containerId) {
        ProcessContainer c;
        synchronized (this) {
            c = containers.get(containerId);
            if (c != null && c.state() == io.podvisor.runtime.ContainerState.RUNNING) {
                return;
            }
            if (c != null) {
                containers.remove(containerId);
            }
        }
        if (c != null) {
            deleteState(c);
        }
        records.forgetContainer(containerId);
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labelFilter) {
        return InstanceRecords.concat(containers.select(labelFilter).stream().map(ProcessContainer::info).toList(),
                records.containers(labelFilter));
    }

    @Override
    public CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
        return exec.run(find(containerId), command, timeout);
    }

    @Override
    public CompletionStage<Integer> execStreaming(String containerId, List<String> command, ExecStreams io) {
        return exec.stream(find(containerId), command, io);
    }

    /** {@inheritDoc} No terminal here: a {@code tty} container's stdio stays pipes (its stdin one if {@code stdin}). */
    @Override
    public CompletionStage<Void> attach(String containerId, ExecStreams io) {
        ProcessContainer c = find(containerId);
        ContainerStdio stdio = c == null ? null : c.stdio;
        if (stdio == null || c.state() != ContainerState.RUNNING) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new RuntimeFailure("container " + containerId + " is not running"));
        }
        return stdio.attach(io);
    }

    @Override
    public void onContainerExit(Consumer<ContainerInfo> listener) {
        listeners.add(listener);
    }

    @Override
    public io.podvisor.runtime.image.ImageService images() {
        return new io.podvisor.runtime.image.PresentImages();
    }

    @Override
    public PodNetwork network() {
        return network;
    }

    /**
     * Kills every container at once, removes the cgroups and the state directory's containers; the
     * records ({@code records/} in the state dir) are kept for {@link #start} on the same state dir.
     */
    @Override
    public void shutdown() {
        records.close(); // they say what ran when the node stopped, as after a reboot
        List<CompletableFuture<Void>> kills = new ArrayList<>();
        List<String> ids;
        synchronized (this) {
            containers.values().forEach(c -> kills.add(c.kill()));
            ids = new ArrayList<>(sandboxes.keySet());
        }
        awaitAll(kills);
        ids.forEach(this::removeSandbox);
        if (cgroups != null) {
            cgroups.removeAll();
        }
        deleteTree(options.stateDir().resolve("containers"));
        executor.shutdown();
        HostInstances.Claim held = claim;
        if (held != null) {
            held.close();
        }
    }

    /** {@inheritDoc} Read from the container's cgroup; empty when this runtime runs without cgroups. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> containerStats(String containerId) {
        ProcessContainer c = find(containerId);
        String cgroup = c == null || c.state() != io.podvisor.runtime.ContainerState.RUNNING ? null : c.cgroup();
        return cgroup == null ? java.util.Optional.empty() : cgroups.stats(cgroup, clock.now());
    }

    /** {@inheritDoc} Read from the pod's cgroup; empty when this runtime runs without cgroups. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> podSandboxStats(String sandboxId) {
        Sandbox sb;
        synchronized (this) {
            sb = sandboxes.get(sandboxId);
        }
        return sb == null || !sb.ready() || sb.cgroup() == null ? java.util.Optional.empty()
                : cgroups.stats(sb.cgroup(), clock.now());
    }

    /** {@inheritDoc} The root cgroup's, when this runtime uses cgroups; empty otherwise. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> nodeStats() {
        return cgroups == null ? java.util.Optional.empty() : cgroups.rootStats(clock.now());
    }

    // ---- for ProcessContainer and ProcessExec ----

    Clock clock() {
        return clock;
    }

    Cgroups cgroups() {
        return cgroups;
    }

    Launcher launcher() {
        return launcher;
    }

    ExecutorService executor() {
        return executor;
    }

    void exited(ContainerInfo info) {
        records.save(info);
        listeners.forEach(l -> l.accept(info));
    }

    /**
     * Starts {@code argv} (executable resolved) in a new session, in {@code cgroup} (null: none)
     * before its command runs; stdin is a pipe only if {@code input}, else empty.
     */
    Process launch(List<String> argv, Map<String, String> env, Path workDir, String cgroup, boolean mergeErrors,
                   boolean input) throws RuntimeFailure {
        return launcher.launch(argv, env, workDir, cgroup == null ? null : cgroups, cgroup, mergeErrors, input);
    }

    private synchronized ProcessContainer find(String id) {
        return containers.get(id);
    }

    private ProcessContainer require(String id) throws RuntimeFailure {
        ProcessContainer c = find(id);
        if (c == null) {
            throw new RuntimeFailure("no such container " + id);
        }
        return c;
    }

    private void deleteState(ProcessContainer c) {
        deleteTree(options.stateDir().resolve("containers").resolve(c.id));
    }

    private static void deleteTree(Path p) {
        io.podvisor.core.FileTrees.delete(p); // what remains goes at the next shutdown
    }

    /** Waits (bounded) for killed containers to be reported exited. */
    private static void awaitAll(List<CompletableFuture<Void>> kills) {
        try {
            CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new))
                    .get(ProcessContainer.DRAIN.toSeconds() + 3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // reported later by the exit watcher
        }
    }

    private static String newId() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
