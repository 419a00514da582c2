package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's failure message (spec 11.6) for one node, as upstream 1.33 writes it in the
 * FailedScheduling event and the PodScheduled condition, e.g. {@code 0/1 nodes are available: 1
 * Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for
 * incoming pod.} No preemption is attempted: for a resources failure the message says no victims
 * were found.
 */
public final class FitMessages {

    /** The message when there is no node at all. */
    public static final String NO_NODES = "no nodes available to schedule pods";

    private FitMessages() {}

    /** The message for a pod that did not fit the single node. */
    public static String message(Pod pod, NodeFit.Result result) {
        List<String> reasons = new ArrayList<>();
        result.reasons().forEach(r -> reasons.add("1 " + r));
        reasons.sort(null);
        StringBuilder sb = new StringBuilder("0/1 nodes are available: ").append(String.join(", ", reasons)).append('.');
        if ("Never".equals(pod.getSpec().getPreemptionPolicy())) {
            return sb.append(" preemption: not eligible due to preemptionPolicy=Never.").toString();
        }
        String why = result.unresolvable() ? "Preemption is not helpful for scheduling" : "No preemption victims found for incoming pod";
        return sb.append(" preemption: 0/1 nodes are available: 1 ").append(why).append('.').toString();
    }
}
