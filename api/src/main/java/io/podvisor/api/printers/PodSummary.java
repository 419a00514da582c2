package io.podvisor.api.printers;

import static io.podvisor.api.printers.ContainerStates.orEmpty;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw numbers behind the READY / STATUS / RESTARTS columns, computed in one pass so the three
 * columns always agree with each other.
 *
 * @param ready containers counted as ready
 * @param total main containers plus sidecars declared in the spec
 * @param status the STATUS column text
 * @param restarts the restart total shown in RESTARTS
 * @param lastRestart most recent {@code lastState.terminated.finishedAt} among counted containers, or null
 */
record PodSummary(int ready, int total, String status, int restarts, Instant lastRestart) {

    private static final String ALWAYS = "Always";
    private static final String POD_INITIALIZING = "PodInitializing";
    private static final String NODE_LOST = "NodeLost";

    /** Summarises {@code pod}; tolerates absent spec, status and lists. */
    static PodSummary of(Pod pod) {
        return new Walk(pod).run();
    }

    /** Mutable state of one summarising pass; discarded afterwards. */
    private static final class Walk {
        private final Pod pod;
        private final PodSpec spec;
        private final PodStatus podStatus;
        private final Map<String, Container> initSpecs = new HashMap<>();

        private String reason;
        private int ready;
        private int total;
        private int restarts;
        private Instant lastRestart;
        private int sidecarRestarts;
        private Instant lastSidecarRestart;
        private boolean initializing;

        Walk(Pod pod) {
            this.pod = pod;
            this.spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
            this.podStatus = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        }

        PodSummary run() {
            reason = initialReason();
            countDeclaredContainers();
            walkInitContainers();
            if (!initializing || conditionIs("Initialized", "True")) {
                walkMainContainers();
            }
            applyDeletion();
            return new PodSummary(ready, total, reason, restarts, lastRestart);
        }

        private String initialReason() {
            String phase = podStatus.getPhase();
            String r = phase == null || phase.isEmpty() ? "Pending" : phase;
            if (!orEmpty(podStatus.getReason()).isEmpty()) {
                r = podStatus.getReason();
            }
            for (PodCondition c : list(podStatus.getConditions())) {
                if ("PodScheduled".equals(c.getType()) && "SchedulingGated".equals(c.getReason())) {
                    r = "SchedulingGated";
                }
            }
            return r;
        }

        private void countDeclaredContainers() {
            total = list(spec.getContainers()).size();
            for (Container c : list(spec.getInitContainers())) {
                initSpecs.put(c.getName(), c);
                if (ALWAYS.equals(c.getRestartPolicy())) {
                    total++;
                }
            }
        }

        private boolean isSidecar(ContainerStatus s) {
            Container c = initSpecs.get(s.getName());
            return c != null && ALWAYS.equals(c.getRestartPolicy());
        }

        private void walkInitContainers() {
            List<ContainerStatus> statuses = list(podStatus.getInitContainerStatuses());
            for (int i = 0; i < statuses.size(); i++) {
                ContainerStatus s = statuses.get(i);
                boolean sidecar = isSidecar(s);
                restarts += ContainerStates.restartCount(s);
                lastRestart = latest(lastRestart, ContainerStates.lastFinishedAt(s));
                if (sidecar) {
                    sidecarRestarts += ContainerStates.restartCount(s);
                    lastSidecarRestart = latest(lastSidecarRestart, ContainerStates.lastFinishedAt(s));
                }
                ContainerStateTerminated t = ContainerStates.terminated(s);
                if (t != null && ContainerStates.exitCode(t) == 0) {
                    continue;
                }
                if (sidecar && ContainerStates.started(s)) {
                    if (ContainerStates.ready(s)) {
                        ready++;
                    }
                    continue;
                }
                reason = "Init:" + initBlocker(s, t, i);
                initializing = true;
                break;
            }
        }

        private String initBlocker(ContainerStatus s, ContainerStateTerminated t, int index) {
            if (t != null) {
                String r = orEmpty(t.getReason());
                return r.isEmpty() ? ContainerStates.signalOrExitCode(t) : r;
            }
            String waiting = ContainerStates.waitingReason(s);
            if (!waiting.isEmpty() && !POD_INITIALIZING.equals(waiting)) {
                return waiting;
            }
            return index + "/" + list(spec.getInitContainers()).size();
        }

        private void walkMainContainers() {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<ContainerStatus> statuses = list(podStatus.getContainerStatuses());
            for (int i = statuses.size() - 1; i >= 0; i--) {
                ContainerStatus s = statuses.get(i);
                restarts += ContainerStates.restartCount(s);
                lastRestart = latest(lastRestart, ContainerStates.lastFinishedAt(s));
                ContainerStateTerminated t = ContainerStates.terminated(s);
                String waiting = ContainerStates.waitingReason(s);
                if (!waiting.isEmpty()) {
                    reason = waiting;
                } else if (t != null) {
                    String r = orEmpty(t.getReason());
                    reason = r.isEmpty() ? ContainerStates.signalOrExitCode(t) : r;
                } else if (ContainerStates.ready(s) && ContainerStates.running(s)) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionIs("Ready", "True") ? "Running" : "NotReady";
            }
        }

        private void applyDeletion() {
            String deletion = pod.getMetadata() == null ? null : pod.getMetadata().getDeletionTimestamp();
            if (deletion == null || deletion.isEmpty()) {
                return;
            }
            String phase = orEmpty(podStatus.getPhase());
            if (NODE_LOST.equals(podStatus.getReason())) {
                reason = "Unknown";
            } else if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                reason = "Terminating";
            }
        }

        private boolean conditionIs(String type, String status) {
            for (PodCondition c : list(podStatus.getConditions())) {
                if (type.equals(c.getType())) {
                    return status.equals(c.getStatus());
                }
            }
            return false;
        }
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
