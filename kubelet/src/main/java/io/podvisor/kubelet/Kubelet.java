package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.logs.LogWaiters;
import io.podvisor.kubelet.node.MachineInfo;
import io.podvisor.kubelet.node.NodeObjects;
import io.podvisor.kubelet.node.NodeStatusReporter;
import io.podvisor.kubelet.probe.ProbeManager;
import io.podvisor.kubelet.staticpod.StaticPodManifest;
import io.podvisor.kubelet.staticpod.StaticPodSource;
import io.podvisor.kubelet.env.NodeAllocatable;
import io.podvisor.kubelet.images.ImageManager;
import io.podvisor.kubelet.volume.HostMounter;
import io.podvisor.kubelet.volume.Mounter;
import io.podvisor.kubelet.volume.VolumeManager;
import io.podvisor.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's kubelet: receives the pods bound to its node from the {@link ClusterClient} and the
 * static pods of its manifest directory, runs each through its {@link PodWorker}, relists the
 * runtime to notice container changes, serves logs and exec ({@link #streams()}), and with an
 * {@link ObjectClient} registers its Node, renews its Lease and keeps mirror pods.
 */
public final class Kubelet implements ClusterClient.PodListener, AutoCloseable {

    /** How often log followers look for new lines (besides container exits, which wake them at once). */
    static final Duration LOG_FOLLOW_PERIOD = Duration.ofMillis(250);

    /** Image pulls go to the runtime one at a time (upstream's {@code serializeImagePulls} default). */
    static final boolean SERIALIZE_IMAGE_PULLS = true;

    private final KubeletContext ctx;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    /** Set by {@link #close()}: pod events are ignored from then on. */
    private volatile boolean closed;
    private final Relister relister;
    /** Upstream's container garbage collection period: what deleted pods left is removed then. */
    private static final Duration ORPHAN_SWEEP_PERIOD = Duration.ofMinutes(1);
    private final io.podvisor.core.Periodic orphanSweep;
    private final StaticPods staticPods;
    private final StaticPodSource staticSource;
    private final NodeStatusReporter nodeReporter;
    private final LogWaiters logWaiters;
    private final KubeletStreams streams;
    private final io.podvisor.kubelet.stats.ResourceSampler sampler;

    /** A kubelet without access to other API objects: no Node, Lease or mirror pods. */
    public Kubelet(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime, ClusterClient cluster) {
        this(config, clock, executor, runtime, cluster, null);
    }

    /**
     * A kubelet that mounts memory-backed emptyDirs as tmpfs when it runs as root on Linux.
     *
     * @param objects the API for the Node, its Lease and mirror pods (null: none of them)
     */
    public Kubelet(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime, ClusterClient cluster,
                   ObjectClient objects) {
        this(config, clock, executor, runtime, cluster, objects, config.rootDir() == null ? Mounter.NONE : HostMounter.forHost());
    }

    /**
     * @param objects the API for the Node, its Lease and mirror pods (null: none of them)
     * @param mounter how memory-backed emptyDirs are mounted ({@link Mounter#NONE}: plain directories)
     */
    public Kubelet(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime, ClusterClient cluster,
                   ObjectClient objects, Mounter mounter) {
        Path root = config.rootDir() != null ? config.rootDir() : Path.of("/");
        MachineInfo machine = MachineInfo.read(Path.of("/"), root);
        EventRecorder recorder = new EventRecorder(clock, cluster.events(),
                new EventSourceBuilder().withComponent("kubelet").withHost(config.nodeName()).build());
        this.staticPods = new StaticPods(this, objects, config.nodeName(), this::registeredNodeUid);
        this.ctx = new KubeletContext(config, clock, executor, runtime, cluster, recorder,
                new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300), clock), new ReasonCache(),
                new ProbeManager(clock, runtime, config.kubernetesVersion()),
                new StatusManager(cluster, this::statusTarget), this::deleteFinal,
                new VolumeManager(config.rootDir(), cluster, mounter), new TerminationMessages(config),
                new NodeAllocatable(machine.cpus() * 1000L, machine.memoryBytes()),
                new ImageManager(runtime.images(), clock, SERIALIZE_IMAGE_PULLS));
        this.relister = new Relister(runtime, clock, config.relistPeriod(), workers::get);
        this.orphanSweep = new io.podvisor.core.Periodic(clock, ORPHAN_SWEEP_PERIOD, this::removeOrphans);
        this.staticSource = config.staticPodPath() == null ? null : new StaticPodSource(config.staticPodPath(),
                config.nodeName(), clock, config.fileCheckPeriod(), staticPods);
        this.nodeReporter = objects == null ? null : new NodeStatusReporter(new NodeObjects.Facts(config.nodeName(),
                config.nodeIp(), runtime.version(), machine, config.maxPods(), config.kubeletPort()), clock, objects);
        this.logWaiters = new LogWaiters(clock, LOG_FOLLOW_PERIOD);
        this.streams = new KubeletStreams(this, ctx, logWaiters);
        this.sampler = new io.podvisor.kubelet.stats.ResourceSampler(runtime, clock);
    }

    /** Registers the node, reads static pods, subscribes to the node's pods and starts relisting. */
    public void start() {
        ctx.runtime().onContainerExit(c -> {
            PodWorker w = workers.get(c.labels().getOrDefault(Labels.POD_UID, ""));
            if (w != null) {
                w.requestSync();
            }
            logWaiters.wakeAll();
        });
        logWaiters.start();
        if (nodeReporter != null) {
            nodeReporter.start();
        }
        if (staticSource != null) {
            staticSource.start();
        }
        ctx.cluster().watchPods(ctx.config().nodeName(), this);
        relister.start();
        orphanSweep.start();
        sampler.start();
    }

    /**
     * Removes the sandboxes (with their containers and the pod's log directory) that are not ready
     * and belong to no pod this kubelet runs: what the runtime kept of pods deleted while the node
     * was down, as upstream's container garbage collector removes a deleted pod's sandboxes and
     * containers with their logs.
     */
    private void removeOrphans() {
        if (closed) {
            return;
        }
        for (io.podvisor.runtime.SandboxInfo s : ctx.runtime().listSandboxes(Map.of())) {
            Map<String, String> l = s.labels();
            String uid = l.get(Labels.POD_UID);
            if (uid == null || s.ready() || workers.containsKey(uid)) {
                continue;
            }
            ctx.runtime().removeSandbox(s.id());
            String ns = l.get(Labels.POD_NAMESPACE);
            String name = l.get(Labels.POD_NAME);
            if (ns != null && name != null) {
                LogPaths.delete(LogPaths.podDir(ctx.config(), ns, name, uid));
            }
        }
    }

    /** The UID of this node's Node as registered (null before, or without an API for it). */
    private String registeredNodeUid() {
        return nodeReporter == null ? null : nodeReporter.nodeUid();
    }

    /** Logs and exec of this node's containers, for the API server. */
    public ContainerStreams streams() {
        return streams;
    }

    /** The node's and its pods' CPU and memory from the last two samples, for the metrics API. */
    public io.podvisor.api.client.ResourceMetrics metrics() {
        return sampler;
    }

    @Override
    public void onUpsert(Pod pod) {
        if (StaticPodManifest.isMirror(pod)) {
            staticPods.onMirrorUpsert(pod);
            return;
        }
        runPod(pod);
    }

    @Override
    public void onDelete(Pod pod) {
        if (StaticPodManifest.isMirror(pod)) {
            staticPods.onMirrorDelete(pod);
            return;
        }
        PodWorker w = workers.get(pod.getMetadata().getUid());
        if (w != null) {
            w.removed();
        }
    }

    /** The worker of a pod, or null (for tests and diagnostics). */
    public PodWorker worker(String uid) {
        return workers.get(uid);
    }

    /**
     * The worker running the pod an API object stands for: the pod itself, or for a mirror pod its
     * static pod.
     *
     * @throws ApiException.NotFound if the pod does not run on this node
     */
    PodWorker workerFor(Pod apiPod) {
        PodWorker w = workers.get(apiPod.getMetadata().getUid());
        if (w == null && StaticPodManifest.isMirror(apiPod)) {
            Pod st = staticPods.staticPodOf(apiPod);
            w = st == null ? null : workers.get(st.getMetadata().getUid());
        }
        if (w == null) {
            throw new ApiException.NotFound("", "pods", apiPod.getMetadata().getName());
        }
        return w;
    }

    // ---- used by StaticPods ----

    /** Runs a pod or hands its newer version to its worker. */
    void runPod(Pod pod) {
        if (closed) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodWorker w = workers.computeIfAbsent(uid, k -> new PodWorker(ctx, pod));
        w.update(pod);
    }

    /** Stops a static pod gracefully, as a deletion with its own grace period. */
    void stopStaticPod(String uid) {
        PodWorker w = workers.get(uid);
        if (w == null) {
            return;
        }
        Pod p = Yaml.copy(w.pod());
        p.getMetadata().setDeletionTimestamp(Times.format(ctx.clock().now()));
        p.getMetadata().setDeletionGracePeriodSeconds(PodWorker.specGrace(p));
        w.update(p);
    }

    /** Forgets a finished static pod's worker (it cleans up after itself). */
    void dropWorker(String uid) {
        PodWorker w = workers.remove(uid);
        if (w != null) {
            w.removed();
        }
    }

    void requestSync(String uid) {
        PodWorker w = workers.get(uid);
        if (w != null) {
            w.requestSync();
        }
    }

    private String statusTarget(Pod pod) {
        return StaticPodManifest.isStatic(pod) ? staticPods.apiUid(pod) : pod.getMetadata().getUid();
    }

    private void deleteFinal(Pod pod) {
        if (StaticPodManifest.isStatic(pod)) {
            staticPods.terminated(pod);
        } else {
            ctx.cluster().deletePodFinal(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    pod.getMetadata().getUid());
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(PodWorker::stop);
        relister.stop();
        orphanSweep.stop();
        sampler.stop();
        logWaiters.stop();
        if (staticSource != null) {
            staticSource.stop();
        }
        if (nodeReporter != null) {
            nodeReporter.stop();
        }
        ctx.volumes().unmountAll();
    }
}
