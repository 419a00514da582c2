package io.podvisor.kubelet;

import io.podvisor.runtime.ContainerInfo;
import java.util.List;

/**
 * What one sync should do, computed by {@link PodActionPlanner}. Executed in the order: kills,
 * sandbox, init starts, main starts.
 *
 * @param createSandbox the pod needs a (new) sandbox before anything starts
 * @param killPod       nothing is left to keep or start: stop the whole pod (the pod then ends)
 * @param kills         containers to stop before they are restarted (or not, per policy)
 * @param starts        containers to (re)start now, in order; back-off is checked when executed
 */
public record PodPlan(boolean createSandbox, boolean killPod, List<Kill> kills, List<PodContainer> starts) {

    public PodPlan {
        kills = List.copyOf(kills);
        starts = List.copyOf(starts);
    }

    /**
     * Stop one running container.
     *
     * @param message       the {@code Killing} event's message
     * @param graceOverride the probe-level grace period when a probe caused the kill, else null
     */
    public record Kill(PodContainer container, ContainerInfo instance, String message, Long graceOverride) {}

    public boolean isEmpty() {
        return !createSandbox && !killPod && kills.isEmpty() && starts.isEmpty();
    }
}
