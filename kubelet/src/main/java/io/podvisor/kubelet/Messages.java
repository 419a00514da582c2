package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.core.GoDuration;
import java.time.Duration;

/** The kubelet's user-visible message formats, in one place (spec §2.6, §4.3, §7.4, §11). */
public final class Messages {

    private Messages() {}

    /** {@code <pod>_<ns>(<uid>)}, the way the kubelet names a pod in messages. */
    public static String podDesc(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }

    public static String crashLoopBackOff(Duration delay, String container, Pod pod) {
        return "back-off " + GoDuration.format(delay) + " restarting failed container=" + container + " pod=" + podDesc(pod);
    }

    public static String backOffEvent(String container, Pod pod) {
        return "Back-off restarting failed container " + container + " in pod " + podDesc(pod);
    }

    public static String imagePresent(String image) {
        return "Container image \"" + image + "\" already present on machine";
    }

    public static String created(String container) {
        return "Created container: " + container;
    }

    public static String started(String container) {
        return "Started container " + container;
    }

    public static String stopping(String container) {
        return "Stopping container " + container;
    }

    public static String probeFailed(String type, String output) {
        return type + " probe failed: " + output;
    }

    public static String probeErrored(String type, String error) {
        return type + " probe errored and resulted in unknown state: " + error;
    }

    public static final String DEADLINE_EXCEEDED = "Pod was active on the node longer than the specified deadline";
    public static final String PRE_STOP_FAILED = "PreStopHook failed";
    public static final String POST_START_FAILED = "PostStartHook failed";
}
