package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.controllers.Pods;

/** Which pods become endpoints (spec 15.3). */
public final class EndpointPods {

    private EndpointPods() {}

    /**
     * Whether {@code pod} belongs in the endpoints: not Succeeded/Failed, has an IP, and is not
     * terminating unless {@code includeTerminating}.
     */
    public static boolean include(Pod pod, boolean includeTerminating) {
        if (Pods.isTerminal(pod)) {
            return false;
        }
        if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()) {
            return false;
        }
        return includeTerminating || !Pods.isDeleting(pod);
    }
}
