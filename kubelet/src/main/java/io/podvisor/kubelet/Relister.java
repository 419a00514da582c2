package io.podvisor.kubelet;

import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.SandboxInfo;
import java.util.HashMap;
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
    private final Map<String, String> fingerprints = new HashMap<>();
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
        Map<String, StringBuilder> now = new HashMap<>();
        for (SandboxInfo s : runtime.listSandboxes(Map.of())) {
            String uid = s.labels().get(Labels.POD_UID);
            if (uid != null) {
                now.computeIfAbsent(uid, k -> new StringBuilder()).append(s.id()).append(s.ready()).append(';');
            }
        }
        for (ContainerInfo c : runtime.listContainers(Map.of())) {
            String uid = c.labels().get(Labels.POD_UID);
            if (uid != null) {
                now.computeIfAbsent(uid, k -> new StringBuilder()).append(c.id()).append(c.state()).append(';');
            }
        }
        Map<String, String> next = new HashMap<>();
        now.forEach((uid, sb) -> next.put(uid, sb.toString()));
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
