package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import java.time.Instant;
import java.util.List;

/**
 * What a pod's status carries over from its previous status (spec 2.4, 2.8): the status this kubelet
 * published last, or, when it has published none (a kubelet that just started on a node whose
 * runtime lost the pod's containers), the status the API holds, as upstream's status manager falls
 * back to {@code pod.Status}. So a restarted node keeps the pod's {@code startTime}, and a container
 * the runtime holds no instance of keeps its {@code restartCount} and {@code lastState}; one that
 * was running is counted as restarted, with an unknown termination.
 */
final class PreviousStatus {

    /** {@code lastState.terminated.reason} of a running container that vanished from the runtime. */
    static final String UNKNOWN_REASON = "ContainerStatusUnknown";

    /** Its message (two spaces before "The", as upstream's kubelet writes it). */
    static final String VANISHED_MESSAGE =
            "The container could not be located when the pod was deleted.  The container used to be Running";

    private PreviousStatus() {}

    /** The previous status of {@code pod}: {@code published} if there is one, else the API's (may be null). */
    static PodStatus of(PodStatus published, Pod pod) {
        return published != null ? published : pod.getStatus();
    }

    /** The pod's start time: the one its status already has, else {@code now}. */
    static Instant startTime(Pod pod, Instant now) {
        String kept = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return kept == null || kept.isEmpty() ? now : Times.parse(kept);
    }

    /**
     * The status of container {@code c} while the runtime holds no instance of it, before the
     * reason cache and the probes are applied. Without a previous entry it waits with
     * {@code defaultReason}. A previous entry that was terminated is kept whole; otherwise its
     * {@code restartCount} and {@code lastState} are kept, and if it was running (and no termination
     * is known) its {@code lastState} becomes an unknown termination, exit code 137, counted as a
     * restart unless the pod is being deleted.
     */
    static ContainerStatus withoutInstance(PodContainer c, PodStatus previous, String defaultReason, boolean deleting) {
        ContainerStatus old = find(previous, c);
        if (old != null && old.getState() != null && old.getState().getTerminated() != null) {
            return Yaml.copy(old);
        }
        ContainerStatus s = new ContainerStatus();
        s.setName(c.name());
        s.setImage(c.spec().getImage());
        s.setImageID("");
        s.setState(StatusGenerator.waiting(defaultReason, null));
        s.setRestartCount(old == null || old.getRestartCount() == null ? 0 : old.getRestartCount());
        s.setLastState(old == null || old.getLastState() == null ? new ContainerState() : Yaml.copy(old.getLastState()));
        boolean wasRunning = old != null && old.getState() != null && old.getState().getRunning() != null;
        if (wasRunning && s.getLastState().getTerminated() == null) {
            ContainerStateTerminated unknown = new ContainerStateTerminated();
            unknown.setExitCode(137);
            unknown.setReason(UNKNOWN_REASON);
            unknown.setMessage(VANISHED_MESSAGE);
            s.getLastState().setTerminated(unknown);
            if (!deleting) {
                s.setRestartCount(s.getRestartCount() + 1);
            }
        }
        return s;
    }

    /** The entry of container {@code c} in {@code previous}, or null. */
    static ContainerStatus find(PodStatus previous, PodContainer c) {
        if (previous == null) {
            return null;
        }
        List<ContainerStatus> list = c.kind() == ContainerKind.MAIN ? previous.getContainerStatuses()
                : previous.getInitContainerStatuses();
        return list == null ? null : list.stream().filter(s -> c.name().equals(s.getName())).findFirst().orElse(null);
    }
}
