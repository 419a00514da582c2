package io.podvisor.kubelet.probe;

import io.fabric8.kubernetes.api.model.Probe;
import io.podvisor.core.Clock;
import io.podvisor.kubelet.ContainerKind;
import io.podvisor.kubelet.PodContainer;
import io.podvisor.kubelet.PodWorker;
import io.podvisor.kubelet.ProbeView;
import io.podvisor.runtime.ContainerRuntime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns the probe workers of every pod (one per pod × container × probe type, for main containers
 * and sidecars) and the published results, which it serves as a {@link ProbeView}. A changed
 * result asks the pod's worker to sync.
 */
public final class ProbeManager implements ProbeView {

    private final Clock clock;
    private final ProbeRunner runner;
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ProbeWorker>> workers = new ConcurrentHashMap<>();

    public ProbeManager(Clock clock, ContainerRuntime runtime, String kubernetesVersion) {
        this.clock = clock;
        this.runner = new ProbeRunner(runtime, kubernetesVersion);
    }

    /** Makes sure every probe of the pod has its worker (called on each sync, on the pod's key). */
    public void ensureWorkers(PodWorker pod, List<PodContainer> containers) {
        if (pod.isTerminated()) {
            return;
        }
        Map<String, ProbeWorker> mine = workers.computeIfAbsent(pod.uid(), k -> new ConcurrentHashMap<>());
        for (PodContainer c : containers) {
            if (c.kind() == ContainerKind.INIT) {
                continue;
            }
            add(mine, pod, c, ProbeType.STARTUP, c.spec().getStartupProbe());
            add(mine, pod, c, ProbeType.LIVENESS, c.spec().getLivenessProbe());
            add(mine, pod, c, ProbeType.READINESS, c.spec().getReadinessProbe());
        }
    }

    private void add(Map<String, ProbeWorker> mine, PodWorker pod, PodContainer c, ProbeType type, Probe probe) {
        if (probe == null) {
            return;
        }
        mine.computeIfAbsent(c.name() + "/" + type, k -> {
            ProbeWorker w = new ProbeWorker(this, pod, c, type, probe, clock);
            w.start();
            return w;
        });
    }

    /**
     * Asks the readiness worker of container {@code name} (if it has one) to probe at once: the
     * kubelet does this whenever it regenerates the status of a started container that is not
     * ready (spec 7.2), so readiness follows a passed startup probe or a restart without waiting
     * a whole period (7.6).
     */
    public void triggerReadiness(String uid, String name) {
        Map<String, ProbeWorker> mine = workers.get(uid);
        ProbeWorker w = mine == null ? null : mine.get(name + "/" + ProbeType.READINESS);
        if (w != null) {
            w.trigger();
        }
    }

    /** Stops every worker of the pod. */
    public void removePod(String uid) {
        Map<String, ProbeWorker> mine = workers.remove(uid);
        if (mine != null) {
            mine.values().forEach(ProbeWorker::stop);
        }
    }

    @Override
    public Result result(String containerId, ProbeType type) {
        Result r = results.get(containerId + "/" + type);
        if (r != null) {
            return r;
        }
        return switch (type) {
            case READINESS -> Result.FAILURE;
            case LIVENESS -> Result.SUCCESS;
            case STARTUP -> Result.UNKNOWN;
        };
    }

    void set(PodWorker pod, String containerId, ProbeType type, Result r) {
        Result old = results.put(containerId + "/" + type, r);
        if (old != r) {
            pod.requestSync();
        }
    }

    void clear(String containerId, ProbeType type) {
        results.remove(containerId + "/" + type);
    }

    ProbeRunner runner() {
        return runner;
    }
}
