package io.podvisor.kubelet;

import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.SandboxInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pod lifecycle event generator: every relist period it lists the runtime once, and wakes the
 * worker of each pod whose containers changed state since the last relist (an exit, a start, a
 * vanished instance). Level-triggered: the woken worker re-reads everything.
 */
final class Relister {

    private final ContainerRuntime runtime;
    private final Function<String, PodWorker> workers;
    /** Per pod UID: its sandboxes' ids and readiness and its containers' ids and states, in listing order. */
    private final Map<String, List<Object>> fingerprints = new HashMap<>();
    private final Periodic loop;

    Relister(ContainerRuntime runtime, Clock clock, java.time.Duration period, Function<String, PodWorker> workers) {
        this.runtime = runtime;
        this.workers = workers;
        this.loop = new Periodic(clock, period, this::relistOnce);
    }

    void start() {
        loop.start();
    }

    void stop() {
        loop.stop();
    }

    /** One relist: compares each pod's container states with the previous relist. */
    synchronized void relistOnce() {
        Map<String, List<Object>> next = new HashMap<>();
        for (SandboxInfo s : runtime.listSandboxes(Map.of())) {
            String uid = s.labels().get(Labels.POD_UID);
            if (uid != null) {
                List<Object> seen = next.computeIfAbsent(uid, k -> new ArrayList<>());
                seen.add(s.id());
                seen.add(s.ready());
            }
        }
        for (ContainerInfo c : runtime.listContainers(Map.of())) {
            String uid = c.labels().get(Labels.POD_UID);
            if (uid != null) {
                List<Object> seen = next.computeIfAbsent(uid, k -> new ArrayList<>());
                seen.add(c.id());
                seen.add(c.state());
            }
        }
        for (var e : next.entrySet()) {
            if (!e.getValue().equals(fingerprints.get(e.getKey()))) {
                PodWorker w = workers.apply(e.getKey());
                if (w != null) {
                    w.requestSync();
                }
            }
        }
        fingerprints.clear();
        fingerprints.putAll(next);
    }
}
