package io.podvisor.kubelet;

import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.SandboxInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The pod lifecycle event generator: every relist period it lists the runtime once, and wakes the
 * worker of each pod whose containers changed state since the last relist (an exit, a start, a
 * vanished instance). Level-triggered: the woken worker re-reads everything.
 */
final class Relister {

    private final ContainerRuntime runtime;
    private final Function<String, PodWorker> workers;
    /** Per pod UID: its sandboxes' ids and readiness and its containers' ids and states. */
    private final Map<String, Set<String>> fingerprints = new HashMap<>();
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

    /**
     * One relist: compares each pod's sandboxes and containers with the previous relist, and wakes
     * the pod's worker when something appeared or changed state, unless all of it is exits its last
     * sync already saw (the runtime reported them at once; as upstream, an exit makes one sync, not
     * two).
     */
    synchronized void relistOnce() {
        Map<String, Set<String>> next = new HashMap<>();
        for (SandboxInfo s : runtime.listSandboxes(Map.of())) {
            String uid = s.labels().get(Labels.POD_UID);
            if (uid != null) {
                next.computeIfAbsent(uid, k -> new HashSet<>()).add(ObservedPod.fingerprint(s));
            }
        }
        for (ContainerInfo c : runtime.listContainers(Map.of())) {
            String uid = c.labels().get(Labels.POD_UID);
            if (uid != null) {
                next.computeIfAbsent(uid, k -> new HashSet<>()).add(ObservedPod.fingerprint(c));
            }
        }
        for (var e : next.entrySet()) {
            Set<String> before = fingerprints.getOrDefault(e.getKey(), Set.of());
            if (!e.getValue().equals(before)) {
                PodWorker w = workers.apply(e.getKey());
                if (w != null && !onlyExitsSeen(before, e.getValue(), w)) {
                    w.requestSync();
                }
            }
        }
        fingerprints.clear();
        fingerprints.putAll(next);
    }

    /**
     * Whether every new fingerprint is an exit {@code w}'s last sync saw. What vanished needs no
     * sync (as upstream, a removal is no reason to sync a pod).
     */
    private static boolean onlyExitsSeen(Set<String> before, Set<String> now, PodWorker w) {
        Set<String> added = new HashSet<>(now);
        added.removeAll(before);
        return added.stream().allMatch(ObservedPod::isExit) && w.lastSaw(added);
    }
}
