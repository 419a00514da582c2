package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Objects;

/** The pod phase as the kubelet computes it on every sync (spec 1.2) and its stickiness (1.4). */
public final class PodPhases {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    private static final String ALWAYS = "Always";
    private static final String NEVER = "Never";

    private PodPhases() {}

    /**
     * Computes the phase from the spec and the API container statuses.
     *
     * <p>Statuses are matched to spec containers by name (init containers against
     * {@code initStatuses}, main containers against {@code containerStatuses}); a spec container
     * with no entry has an unknown status. Terminated sidecars are ignored; a sidecar that runs but
     * has not started keeps the pod Pending only while no main container is running or terminated.
     *
     * @param spec the pod spec ({@code restartPolicy} null means {@code Always})
     * @param initStatuses {@code status.initContainerStatuses}; null means none
     * @param containerStatuses {@code status.containerStatuses}; null means none
     * @param podIsTerminal the pod is being torn down (deleted, evicted, ...)
     * @param isStaticPod static pods never take the teardown shortcut to a terminal phase
     * @return {@code Pending}, {@code Running}, {@code Succeeded} or {@code Failed}
     */
    public static String compute(PodSpec spec, List<ContainerStatus> initStatuses,
            List<ContainerStatus> containerStatuses, boolean podIsTerminal, boolean isStaticPod) {
        StatusIndex index = new StatusIndex(spec, initStatuses, containerStatuses);
        PhaseTally t = PhaseTally.of(index);
        String policy = restartPolicy(spec);
        if (t.failedInit > 0 && NEVER.equals(policy)) {
            return FAILED;
        }
        if (t.pendingInit > 0 && !index.anyMainStarted()) {
            return PENDING;
        }
        if (t.waiting > 0) {
            return PENDING;
        }
        if (t.running > 0 && t.unknown == 0) {
            return RUNNING;
        }
        if (t.running == 0 && t.stopped > 0 && t.unknown == 0) {
            return afterAllStopped(t, policy, podIsTerminal && !isStaticPod);
        }
        return PENDING;
    }

    /** Rule 5: nothing runs, something stopped, nothing unknown. */
    private static String afterAllStopped(PhaseTally t, String policy, boolean tearingDown) {
        boolean allSucceeded = t.stopped == t.succeeded;
        if (tearingDown) {
            return allSucceeded ? SUCCEEDED : FAILED;
        }
        if (ALWAYS.equals(policy)) {
            return RUNNING;
        }
        if (allSucceeded) {
            return SUCCEEDED;
        }
        return NEVER.equals(policy) ? FAILED : RUNNING;
    }

    /**
     * Applies stickiness: once the previous phase is terminal ({@code Succeeded}/{@code Failed}),
     * a newly computed non-terminal phase is replaced by it. A terminal computed phase, or any
     * phase after a non-terminal (or absent) previous one, is returned unchanged.
     *
     * @param previousPhase the phase known so far (kubelet or API server); may be null
     * @param computed the phase computed by {@link #compute}
     * @return the phase to publish
     */
    public static String sticky(String previousPhase, String computed) {
        return isTerminal(previousPhase) && !isTerminal(computed) ? previousPhase : computed;
    }

    /**
     * Whether {@code phase} is {@code Succeeded} or {@code Failed}.
     *
     * @param phase a phase; may be null
     * @return true for the two terminal phases
     */
    public static boolean isTerminal(String phase) {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    private static String restartPolicy(PodSpec spec) {
        return Objects.requireNonNullElse(spec.getRestartPolicy(), ALWAYS);
    }
}
