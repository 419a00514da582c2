package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.podvisor.api.Containers;
import java.util.ArrayList;
import java.util.List;

/** The {@code Initialized} condition (spec 3.4). */
final class InitializedRule {

    private InitializedRule() {}

    static ConditionValue evaluate(StatusIndex index, String phase) {
        List<String> unknown = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (Container c : index.inits()) {
            ContainerStatus s = index.ofInit(c);
            if (s == null) {
                unknown.add(c.getName());
            } else if (!isComplete(c, s)) {
                incomplete.add(c.getName());
            }
        }
        if (PodPhases.SUCCEEDED.equals(phase) && unknown.isEmpty()) {
            return ConditionValue.isTrue(PodConditions.REASON_POD_COMPLETED);
        }
        if (index.inits().isEmpty() || index.anyMainStarted()) {
            return ConditionValue.isTrue();
        }
        if (unknown.size() == index.inits().size()) {
            return ConditionValue.isFalse(PodConditions.REASON_UNKNOWN_STATUSES, null);
        }
        String message = ConditionValue.containerListMessage(unknown, "incomplete", incomplete);
        return message == null
                ? ConditionValue.isTrue()
                : ConditionValue.isFalse(PodConditions.REASON_NOT_INITIALIZED, message);
    }

    /** Regular init: ready (exited 0). Sidecar: started. */
    private static boolean isComplete(Container c, ContainerStatus s) {
        return Containers.isSidecar(c) ? ContainerStates.isStarted(s) : ContainerStates.isReady(s);
    }
}
