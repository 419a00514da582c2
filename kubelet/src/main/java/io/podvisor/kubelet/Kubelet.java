package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.probe.ProbeManager;
import io.podvisor.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's kubelet: receives the pods bound to its node from the {@link ClusterClient}, runs each
 * through its {@link PodWorker}, and relists the runtime to notice container changes.
 */
public final class Kubelet implements ClusterClient.PodListener, AutoCloseable {

    private final KubeletContext ctx;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final Relister relister;

    public Kubelet(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime, ClusterClient cluster) {
        EventRecorder recorder = new EventRecorder(clock, cluster.events(),
                new EventSourceBuilder().withComponent("kubelet").withHost(config.nodeName()).build());
        this.ctx = new KubeletContext(config, clock, executor, runtime, cluster, recorder,
                new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300), clock), new ReasonCache(),
                new ProbeManager(clock, runtime, config.kubernetesVersion()), new StatusManager(cluster));
        this.relister = new Relister(runtime, clock, config.relistPeriod(), workers::get);
    }

    /** Subscribes to the node's pods and starts relisting. */
    public void start() {
        ctx.cluster().watchPods(ctx.config().nodeName(), this);
        relister.start();
        ctx.runtime().onContainerExit(c -> {
            PodWorker w = workers.get(c.labels().getOrDefault(Labels.POD_UID, ""));
            if (w != null) {
                w.requestSync();
            }
        });
    }

    @Override
    public void onUpsert(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodWorker w = workers.computeIfAbsent(uid, k -> new PodWorker(ctx, pod));
        w.update(pod);
    }

    @Override
    public void onDelete(Pod pod) {
        PodWorker w = workers.get(pod.getMetadata().getUid());
        if (w != null) {
            w.removed();
        }
    }

    /** The worker of a pod, or null (for tests and diagnostics). */
    public PodWorker worker(String uid) {
        return workers.get(uid);
    }

    @Override
    public void close() {
        relister.stop();
    }
}
