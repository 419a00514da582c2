package io.podvisor.kubelet.logs;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which container instance a log request reads (spec 15.2), decided from the pod's status as the
 * kubelet last generated it. Failures are BadRequests with upstream's messages.
 */
public final class LogTarget {

    private LogTarget() {}

    /**
     * The {@code containerID} ({@code <runtime>://<id>}) of the instance to read.
     *
     * @throws ApiException.BadRequest when there is none (not started yet, no previous instance, …)
     */
    public static String containerId(String podName, PodStatus status, String container, boolean previous) {
        ContainerStatus cs = find(status, container);
        if (cs == null) {
            throw bad("container \"" + container + "\" in pod \"" + podName + "\" is not available");
        }
        ContainerStateTerminated last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
        var state = cs.getState();
        if (previous) {
            if (last == null || isEmpty(last.getContainerID())) {
                throw bad("previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
            }
            return last.getContainerID();
        }
        if (state != null && state.getRunning() != null) {
            return cs.getContainerID();
        }
        if (state != null && state.getTerminated() != null) {
            if (!isEmpty(state.getTerminated().getContainerID())) {
                return state.getTerminated().getContainerID();
            }
            if (last != null && !isEmpty(last.getContainerID())) {
                return last.getContainerID();
            }
            throw terminated(container, podName);
        }
        if (last != null) {
            if (isEmpty(last.getContainerID())) {
                throw terminated(container, podName);
            }
            return last.getContainerID();
        }
        if (state != null && state.getWaiting() != null) {
            throw bad("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: "
                    + waitingText(state.getWaiting().getReason()));
        }
        throw bad("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start - no logs yet");
    }

    private static String waitingText(String reason) {
        return switch (reason == null ? "" : reason) {
            case "ErrImagePull" -> "image can't be pulled";
            case "ImagePullBackOff" -> "trying and failing to pull image";
            default -> reason;
        };
    }

    private static ContainerStatus find(PodStatus status, String name) {
        if (status == null) {
            return null;
        }
        List<ContainerStatus> all = new ArrayList<>();
        for (List<ContainerStatus> l : List.of(nullSafe(status.getContainerStatuses()),
                nullSafe(status.getInitContainerStatuses()), nullSafe(status.getEphemeralContainerStatuses()))) {
            all.addAll(l);
        }
        return all.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
    }

    private static List<ContainerStatus> nullSafe(List<ContainerStatus> l) {
        return l == null ? List.of() : l;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static ApiException terminated(String container, String pod) {
        return bad("container \"" + container + "\" in pod \"" + pod + "\" is terminated");
    }

    private static ApiException bad(String message) {
        return new ApiException.BadRequest(message);
    }
}
