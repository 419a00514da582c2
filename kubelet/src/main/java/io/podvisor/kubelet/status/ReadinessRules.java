package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import java.util.ArrayList;
import java.util.List;

/** The {@code ContainersReady} (spec 3.5) and {@code Ready} (3.6) conditions. */
final class ReadinessRules {

    private ReadinessRules() {}

    /** Sidecars (in init order) then main containers must all be ready. */
    static ConditionValue containersReady(StatusIndex index, String phase) {
        List<String> unknown = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        List<Container> relevant = new ArrayList<>(index.sidecars());
        int sidecarCount = relevant.size();
        relevant.addAll(index.mains());
        for (int i = 0; i < relevant.size(); i++) {
            Container c = relevant.get(i);
            ContainerStatus s = i < sidecarCount ? index.ofInit(c) : index.ofMain(c);
            if (s == null) {
                unknown.add(c.getName());
            } else if (!ContainerStates.isReady(s)) {
                unready.add(c.getName());
            }
        }
        if (unknown.size() == relevant.size()) {
            return ConditionValue.isFalse(PodConditions.REASON_UNKNOWN_STATUSES, null);
        }
        if (PodPhases.SUCCEEDED.equals(phase) && unknown.isEmpty()) {
            return ConditionValue.isFalse(PodConditions.REASON_POD_COMPLETED, null);
        }
        if (PodPhases.FAILED.equals(phase)) {
            return ConditionValue.isFalse(PodConditions.REASON_POD_FAILED, null);
        }
        String message = ConditionValue.containerListMessage(unknown, "unready", unready);
        return message == null
                ? ConditionValue.isTrue()
                : ConditionValue.isFalse(PodConditions.REASON_NOT_READY, message);
    }

    /**
     * {@code Ready}: mirrors {@code ContainersReady} unless that is True; then every readiness gate
     * must name a condition in {@code existing} whose status is True.
     */
    static ConditionValue ready(ConditionValue containersReady, List<PodReadinessGate> gates,
            List<PodCondition> existing) {
        if (!containersReady.holds()) {
            return containersReady;
        }
        List<String> problems = new ArrayList<>();
        for (PodReadinessGate gate : gates == null ? List.<PodReadinessGate>of() : gates) {
            String type = gate.getConditionType();
            PodCondition c = PodConditions.find(existing, type);
            if (c == null) {
                problems.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!ConditionValue.TRUE.equals(c.getStatus())) {
                problems.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but "
                        + c.getStatus());
            }
        }
        return problems.isEmpty()
                ? ConditionValue.isTrue()
                : ConditionValue.isFalse(PodConditions.REASON_GATES_NOT_READY, String.join(", ", problems));
    }
}
