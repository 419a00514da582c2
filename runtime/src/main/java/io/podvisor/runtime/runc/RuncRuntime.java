package io.podvisor.runtime.runc;

import io.podvisor.runtime.LabelledMap;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.runtime.InstanceRecords;
import io.podvisor.runtime.PodNetwork;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import io.podvisor.runtime.image.ImageService;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostInstances;
import io.podvisor.runtime.net.HostPodNetwork;
import io.podvisor.runtime.net.PodNetworks;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runc runtime (Linux, root): sandboxes are namespaces, a pod cgroup and {@code /etc} files made by
 * {@link SandboxSetup}; containers are OCI bundles ({@link Bundles}) run by {@code runc run} in the
 * foreground ({@link ContainerRunner}); exec is {@code runc exec} ({@link ExecRunner}).
 *
 * <p>Everything it makes carries the instance name: runc's state root {@code /run/podvisor/<name>/runc},
 * the cgroup hierarchy {@code /<name>}, network names with {@link Options#networkPrefix()}, and the state
 * directory (bundles, overlay layers, sandbox files). {@link #start(Options)} records the instance in
 * {@link HostInstances#HOST}, held for the process's life, after removing what dead instances left
 * (whatever their data dir, this name's previous run among them), and refuses a name, network prefix
 * or pod CIDR that a live instance has. {@link #shutdown()} removes everything and unregisters.
 *
 * <p>Each sandbox and container is also recorded in the state dir's {@code records/} ({@link InstanceRecords}),
 * which neither the shutdown nor the leftover sweep removes: a runtime started again on the same state dir lists
 * the previous run's sandboxes (not ready) and containers (exited; those that were running with exit code 255,
 * reason {@code Unknown}), as containerd does after a reboot, until its caller removes them.
 *
 * <p>Thread-safe: the maps are guarded by this object; host work runs outside the lock.
 */
public final class RuncRuntime implements ContainerRuntime {

    /**
     * How a runc runtime instance is set up.
     *
     * @param name       names the cgroup hierarchy, runc's root and (its first letters and digits) the network
     * @param stateDir   bundles, overlay layers and per-sandbox files
     * @param images     where images are found
     * @param podCidr    the pod addresses, or null for the first of {@link PodNetworks#AUTO_CIDRS} that no
     *                   live instance and no route on the host uses
     * @param clock      timestamps and stop/exec timers
     * @param runcBinary the runc executable
     * @param dataDir    the node's data dir, or null: mounts under it (the kubelet's memory-backed volumes)
     *                   are removed with the instance's other leftovers once it is dead
     * @param temporaryDataDir true when the data dir is this instance's alone: removed with its leftovers
     */
    public record Options(String name, Path stateDir, ImageService images, String podCidr, Clock clock, Path runcBinary,
                          Path dataDir, boolean temporaryDataDir) {

        /** The default instance name. */
        public static final String DEFAULT_NAME = "podvisor";

        public Options {
            name = name == null || name.isEmpty() ? DEFAULT_NAME : name;
            runcBinary = runcBinary == null ? Path.of("/usr/sbin/runc") : runcBinary;
        }

        /** Options of an instance that is not part of a node's data dir. */
        public Options(String name, Path stateDir, ImageService images, String podCidr, Clock clock, Path runcBinary) {
            this(name, stateDir, images, podCidr, clock, runcBinary, null, false);
        }

        /** Options with the default name, CIDR and runc binary. */
        public static Options of(Path stateDir, ImageService images, Clock clock) {
            return new Options(DEFAULT_NAME, stateDir, images, null, clock, null);
        }

        /** The same options with {@code cidr} as the pod CIDR. */
        Options withPodCidr(String cidr) {
            return new Options(name, stateDir, images, cidr, clock, runcBinary, dataDir, temporaryDataDir);
        }

        /** runc's state root: {@code /run/podvisor/<name>/runc}, beside the instance's liveness lock. */
        public Path runcRoot() {
            return HostInstances.HOST.dir(name).resolve("runc");
        }

        /** The network name prefix: the name's first six letters and digits. */
        public String networkPrefix() {
            String alnum = name.replaceAll("[^A-Za-z0-9]", "");
            return alnum.substring(0, Math.min(6, alnum.length()));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The state dir's directory of {@link InstanceRecords}, kept when the rest of the state is swept. */
    static final String RECORDS = "records";

    private final Options options;
    private final Runc runc;
    private final Cgroups cgroups;
    private final PodNetworks networks;
    private final SandboxSetup sandboxSetup;
    private final Bundles bundles;
    private final ContainerRunner runner;
    private final ExecRunner execs;
    private final PodNetwork probes = new HostPodNetwork();
    private final List<Consumer<ContainerInfo>> exitListeners = new CopyOnWriteArrayList<>();
    private final LabelledMap<RuncSandbox> sandboxes = new LabelledMap<>(s -> s.config.labels());
    private final LabelledMap<RuncContainer> containers = new LabelledMap<>(c -> c.config.labels());
    private final HostInstances.Claim claim;
    /** The records of this run's sandboxes and containers, and those recovered from the previous run. */
    private final InstanceRecords records;
    private volatile String version;

    /** An instance on the host's cgroups ({@link Cgroups#detect}) and a pod network of its own. */
    private RuncRuntime(Options options, HostInstances.Claim claim) {
        this.options = options;
        this.claim = claim;
        Cgroups cgroups = Cgroups.detect(options.name());
        PodNetworks networks = new PodNetworks(options.networkPrefix(), options.podCidr(),
                options.stateDir().resolve("network"));
        this.runc = new Runc(options.runcBinary(), options.runcRoot());
        this.cgroups = cgroups;
        this.networks = networks;
        this.sandboxSetup = new SandboxSetup(options.stateDir().resolve("sandboxes"), cgroups, networks);
        this.bundles = new Bundles(options.stateDir().resolve("containers"), options.images());
        this.records = new InstanceRecords(options.stateDir().resolve(RECORDS));
        this.runner = new ContainerRunner(runc, cgroups, options.clock(), info -> {
            records.save(info);
            exitListeners.forEach(l -> l.accept(info));
        });
        this.execs = new ExecRunner(runc, options.clock());
    }

    /**
     * Starts an instance: removes what dead instances on the host left (this name's previous run
     * among them), records this one as live (choosing its pod CIDR when none is given), then sets
     * the pod network up.
     *
     * @throws RuntimeFailure if a live instance has the name, network prefix or an overlapping CIDR,
     *     or the network cannot be set up; nothing of this instance remains then
     */
    public static RuncRuntime start(Options options) throws RuntimeFailure {
        if (options.podCidr() != null) {
            try {
                PodNetworks.checkCidr(options.podCidr());
            } catch (IllegalArgumentException e) {
                throw new RuntimeFailure("bad pod CIDR: " + e.getMessage(), e);
            }
        }
        HostInstances.Entry wanted = new HostInstances.Entry(options.name(), "runc", ProcessHandle.current().pid(),
                options.dataDir() == null ? null : options.dataDir().toString(), options.temporaryDataDir(),
                options.stateDir().toAbsolutePath().toString(), options.runcRoot().toString(), options.networkPrefix(),
                options.podCidr());
        HostInstances.Claim claim = HostInstances.HOST.claim(wanted, new HostInstances.Policy(PodNetworks::autoCidrsFreeOnHost,
                PodNetworks::overlap, dead -> Leftovers.removeDead(dead, options.runcBinary())));
        RuncRuntime rt = null;
        try {
            rt = new RuncRuntime(options.withPodCidr(claim.entry().podCidr()), claim);
            new Leftovers(rt.runc, rt.cgroups, rt.networks, options.stateDir()).remove();
            rt.records.recover(options.clock().now());
            rt.networks.setUp();
            return rt;
        } catch (RuntimeFailure | RuntimeException e) {
            if (rt != null) {
                rt.shutdown();
            } else {
                claim.close();
            }
            throw e;
        }
    }

    /** The options this instance runs with. */
    public Options options() {
        return options;
    }

    @Override
    public String type() {
        return "runc";
    }

    @Override
    public String version() {
        if (version == null) {
            version = "runc://" + runc.version();
        }
        return version;
    }

    @Override
    public SandboxInfo runSandbox(SandboxConfig config) throws RuntimeFailure {
        RuncSandbox sb = sandboxSetup.create(newId(), config, options.clock().now());
        synchronized (this) {
            sandboxes.put(sb.id, sb);
        }
        records.save(sb.info());
        return sb.info();
    }

    @Override
    public void stopSandbox(String sandboxId) {
        RuncSandbox sb = sandbox(sandboxId);
        if (sb == null) {
            return;
        }
        killAll(containersOf(sandboxId));
        sandboxSetup.stop(sb);
        sb.stopped();
    }

    @Override
    public void removeSandbox(String sandboxId) {
        RuncSandbox sb = sandbox(sandboxId);
        if (sb == null) {
            records.forgetSandbox(sandboxId); // one of the previous run's
            return;
        }
        stopSandbox(sandboxId);
        for (RuncContainer c : containersOf(sandboxId)) {
            bundles.remove(c);
            synchronized (this) {
                containers.remove(c.id);
            }
            records.forgetContainer(c.id);
        }
        sandboxSetup.remove(sb);
        synchronized (this) {
            sandboxes.remove(sandboxId);
        }
        records.forgetSandbox(sandboxId);
    }

    @Override
    public synchronized List<SandboxInfo> listSandboxes(Map<String, String> labelFilter) {
        return InstanceRecords.concat(sandboxes.select(labelFilter).stream().map(RuncSandbox::info).toList(),
                records.sandboxes(labelFilter));
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        RuncSandbox sb = sandbox(sandboxId);
        if (sb == null || !sb.ready()) {
            throw new RuntimeFailure("sandbox " + sandboxId + " is not ready");
        }
        cgroups.warmMoves(); // runc's first move of the container's process comes soon after
        RuncContainer c = bundles.create(newId(), sb, config, options.clock().now());
        synchronized (this) {
            containers.put(c.id, c);
        }
        records.save(c.info());
        return c.id;
    }

    @Override
    public void startContainer(String containerId) throws RuntimeFailure {
        RuncContainer c = container(containerId);
        if (c == null) {
            throw new RuntimeFailure("no such container " + containerId);
        }
        try {
            runner.start(c);
        } finally {
            records.save(c.info()); // running, exited already, or failed to start
        }
    }

    @Override
    public CompletionStage<Void> stopContainer(String containerId, Duration timeout) {
        RuncContainer c = container(containerId);
        return c == null ? CompletableFuture.completedFuture(null) : runner.stop(c, timeout);
    }

    @Override
    public void removeContainer(String containerId) {
        RuncContainer c = container(containerId);
        if (c == null) {
            records.forgetContainer(containerId); // one of the previous run's
            return;
        }
        if (c.state() == ContainerState.RUNNING || c.state() == ContainerState.UNKNOWN) {
            return;
        }
        bundles.remove(c);
        synchronized (this) {
            containers.remove(containerId);
        }
        records.forgetContainer(containerId);
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labelFilter) {
        return InstanceRecords.concat(containers.select(labelFilter).stream().map(RuncContainer::info).toList(),
                records.containers(labelFilter));
    }

    @Override
    public CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
        RuncContainer c = container(containerId);
        if (c == null || !c.running()) {
            return CompletableFuture.completedFuture(ExecResult.exited(126, "container not running"));
        }
        return execs.exec(c, command, timeout);
    }

    /** {@inheritDoc} With {@code tty} the command's stdio is a terminal ({@code runc exec --tty}). */
    @Override
    public CompletionStage<Integer> execStreaming(String containerId, List<String> command, ExecStreams io) {
        RuncContainer c = container(containerId);
        if (c == null || !c.running()) {
            return CompletableFuture.failedFuture(new RuntimeFailure("container " + containerId + " is not running"));
        }
        return execs.execStreaming(c, command, io);
    }

    /** {@inheritDoc} Read from the container's cgroup. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> containerStats(String containerId) {
        RuncContainer c = container(containerId);
        if (c == null || !c.running()) {
            return java.util.Optional.empty();
        }
        return cgroups.stats(c.cgroupPath, options.clock().now());
    }

    /** {@inheritDoc} Read from the pod's cgroup. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> podSandboxStats(String sandboxId) {
        RuncSandbox sb = sandbox(sandboxId);
        if (sb == null || !sb.ready() || sb.cgroupPath == null) {
            return java.util.Optional.empty();
        }
        return cgroups.stats(sb.cgroupPath, options.clock().now());
    }

    /** {@inheritDoc} Read from the host's root cgroup. */
    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> nodeStats() {
        return cgroups.rootStats(options.clock().now());
    }

    @Override
    public CompletionStage<Void> attach(String containerId, ExecStreams io) {
        RuncContainer c = container(containerId);
        io.podvisor.runtime.io.ContainerStdio stdio = c == null ? null : c.stdio;
        if (stdio == null || !c.running()) {
            return CompletableFuture.failedFuture(new RuntimeFailure("container " + containerId + " is not running"));
        }
        return stdio.attach(io);
    }

    @Override
    public void shutdown() {
        records.close(); // they say what ran when the node stopped, as after a reboot
        List<RuncSandbox> all;
        List<RuncContainer> live;
        synchronized (this) {
            live = List.copyOf(containers.values());
            all = new ArrayList<>(sandboxes.values());
        }
        killAll(live);
        all.forEach(sb -> removeSandbox(sb.id));
        List<RuncContainer> orphans;
        synchronized (this) {
            orphans = List.copyOf(containers.values());
            containers.clear();
        }
        orphans.forEach(bundles::remove);
        networks.close();
        runner.close();
        new Leftovers(runc, cgroups, networks, options.stateDir()).removeHostState();
        claim.close();
    }

    @Override
    public void onContainerExit(Consumer<ContainerInfo> listener) {
        exitListeners.add(listener);
    }

    @Override
    public ImageService images() {
        return options.images();
    }

    @Override
    public PodNetwork network() {
        return probes;
    }

    /** SIGKILL to each running container, then waits (bounded) for their exits to be recorded. */
    private void killAll(List<RuncContainer> all) {
        List<RuncContainer> list = all.stream()
                .filter(c -> c.state() == ContainerState.RUNNING || c.state() == ContainerState.UNKNOWN).toList();
        list.forEach(runner::kill);
        CompletableFuture<?>[] exits = list.stream().map(c -> c.exited).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(ContainerRunner.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            // a container that does not die is removed by its cgroup's removal
        }
    }

    private synchronized List<RuncContainer> containersOf(String sandboxId) {
        return containers.values().stream().filter(c -> c.sandboxId.equals(sandboxId)).toList();
    }

    private synchronized RuncSandbox sandbox(String id) {
        return sandboxes.get(id);
    }

    private synchronized RuncContainer container(String id) {
        return containers.get(id);
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
