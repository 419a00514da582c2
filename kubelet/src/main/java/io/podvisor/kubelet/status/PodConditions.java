package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.podvisor.api.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The pod conditions the kubelet owns (spec section 3), computed from one sync's view. */
public final class PodConditions {

    public static final String POD_READY_TO_START_CONTAINERS = "PodReadyToStartContainers";
    public static final String INITIALIZED = "Initialized";
    public static final String READY = "Ready";
    public static final String CONTAINERS_READY = "ContainersReady";
    public static final String POD_SCHEDULED = "PodScheduled";

    /** The five kubelet-owned types, in the order they are written. */
    public static final List<String> KUBELET_OWNED = List.of(POD_READY_TO_START_CONTAINERS,
            INITIALIZED, READY, CONTAINERS_READY, POD_SCHEDULED);

    public static final String REASON_POD_COMPLETED = "PodCompleted";
    public static final String REASON_POD_FAILED = "PodFailed";
    public static final String REASON_UNKNOWN_STATUSES = "UnknownContainerStatuses";
    public static final String REASON_NOT_INITIALIZED = "ContainersNotInitialized";
    public static final String REASON_NOT_READY = "ContainersNotReady";
    public static final String REASON_GATES_NOT_READY = "ReadinessGatesNotReady";

    private static final Set<String> OWNED = Set.copyOf(KUBELET_OWNED);

    /**
     * Everything the conditions depend on.
     *
     * @param spec the pod spec (containers, init containers, readiness gates)
     * @param phase the phase being published this sync (after stickiness)
     * @param initStatuses {@code status.initContainerStatuses}; null means none
     * @param containerStatuses {@code status.containerStatuses}; null means none
     * @param sandboxReady a pod sandbox with networking exists and needs no re-creation
     * @param previous the pod's current {@code status.conditions}; null means none
     * @param now the time stamped on conditions whose status changes
     */
    public record Input(PodSpec spec, String phase, List<ContainerStatus> initStatuses,
            List<ContainerStatus> containerStatuses, boolean sandboxReady,
            List<PodCondition> previous, Instant now) {

        /** Rejects a missing spec, phase or clock reading; null lists become empty. */
        public Input {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(now, "now");
            initStatuses = initStatuses == null ? List.of() : initStatuses;
            containerStatuses = containerStatuses == null ? List.of() : containerStatuses;
            previous = previous == null ? List.of() : previous;
        }
    }

    private PodConditions() {}

    /**
     * Computes the full {@code status.conditions} list: first every condition of
     * {@code in.previous()} whose type is not kubelet-owned, unchanged and in its original order;
     * then {@code PodReadyToStartContainers}, {@code Initialized}, {@code Ready},
     * {@code ContainersReady} and {@code PodScheduled} (always True). Each kubelet condition has
     * a null {@code lastProbeTime}; its {@code lastTransitionTime} is the previous condition's when
     * the status did not change, else {@code in.now()}.
     *
     * @param in the sync's view of the pod
     * @return a new list; the inputs are not modified
     */
    public static List<PodCondition> compute(Input in) {
        StatusIndex index = new StatusIndex(in.spec(), in.initStatuses(), in.containerStatuses());
        ConditionValue containersReady = ReadinessRules.containersReady(index, in.phase());
        List<PodCondition> out = new ArrayList<>();
        for (PodCondition c : in.previous()) {
            if (c != null && !OWNED.contains(c.getType())) {
                out.add(new PodConditionBuilder(c).build());
            }
        }
        out.add(stamp(in, POD_READY_TO_START_CONTAINERS, in.sandboxReady()
                ? ConditionValue.isTrue() : ConditionValue.isFalse(null, null)));
        out.add(stamp(in, INITIALIZED, InitializedRule.evaluate(index, in.phase())));
        out.add(stamp(in, READY, ReadinessRules.ready(containersReady,
                in.spec().getReadinessGates(), in.previous())));
        out.add(stamp(in, CONTAINERS_READY, containersReady));
        out.add(stamp(in, POD_SCHEDULED, ConditionValue.isTrue()));
        return out;
    }

    /** The first condition of {@code type} in {@code conditions}, or null. */
    static PodCondition find(List<PodCondition> conditions, String type) {
        for (PodCondition c : conditions) {
            if (c != null && Objects.equals(c.getType(), type)) {
                return c;
            }
        }
        return null;
    }

    private static PodCondition stamp(Input in, String type, ConditionValue value) {
        PodCondition before = find(in.previous(), type);
        String transition = before != null && value.status().equals(before.getStatus())
                && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime()
                : Times.format(in.now());
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(value.status());
        c.setLastTransitionTime(transition);
        c.setReason(value.reason());
        c.setMessage(value.message());
        return c;
    }
}
