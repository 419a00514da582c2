package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.core.GoDuration;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

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
        return "Container image " + quote(image) + " already present on machine";
    }

    public static String pullingImage(String image) {
        return "Pulling image " + quote(image);
    }

    /**
     * The {@code Pulled} event of a finished pull.
     *
     * @param pulling   how long the pull itself took
     * @param withQueue how long since the pull was asked for, including the wait for earlier pulls
     */
    public static String pulledImage(String image, Duration pulling, Duration withQueue, long size) {
        return "Successfully pulled image " + quote(image) + " in " + GoDuration.format(pulling.truncatedTo(ChronoUnit.MILLIS))
                + " (" + GoDuration.format(withQueue.truncatedTo(ChronoUnit.MILLIS)) + " including waiting). Image size: "
                + size + " bytes.";
    }

    public static String pullFailed(String image, String error) {
        return "Failed to pull image " + quote(image) + ": " + error;
    }

    public static String pullBackOff(String image) {
        return "Back-off pulling image " + quote(image);
    }

    public static String imageNeverPull(String image) {
        return "Container image " + quote(image) + " is not present with pull policy of Never";
    }

    public static String invalidImageName(String image, String error) {
        return "Failed to apply default image tag " + quote(image) + ": " + error;
    }

    public static String pullSecretsMissing(java.util.List<String> names) {
        return "Unable to retrieve some image pull secrets (" + String.join(", ", names)
                + "); attempting to pull the image may not succeed.";
    }

    /** A string as Go's {@code %q} prints it (the characters image names can hold). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return b.append('"').toString();
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

    /** A probe that succeeded with a warning (an HTTP redirect to another host, not followed). */
    public static String probeWarning(String type, String output) {
        return type + " probe warning: " + output;
    }

    public static String probeErrored(String type, String error) {
        return type + " probe errored and resulted in unknown state: " + error;
    }

    public static final String DEADLINE_EXCEEDED = "Pod was active on the node longer than the specified deadline";
    public static final String PRE_STOP_FAILED = "PreStopHook failed";
    public static final String POST_START_FAILED = "PostStartHook failed";
    /** Warning, pod: some of {@code imagePullSecrets} do not exist. */
    public static final String FAILED_TO_RETRIEVE_PULL_SECRET = "FailedToRetrieveImagePullSecret";
}
