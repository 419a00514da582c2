package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Times;
import java.time.Duration;
import java.time.Instant;

/**
 * The columns of {@code kubectl get pods}: {@code NAME READY STATUS RESTARTS AGE}.
 *
 * <p>READY is {@code <ready>/<total>} where total counts main containers and native sidecars
 * (init containers with {@code restartPolicy: Always}). STATUS is the pod phase, refined by
 * {@code status.reason}, scheduling gates, the first unfinished init container, then the
 * alphabetically-first main container with a reason, and finally deletion. RESTARTS sums the
 * restart counts of the containers that matter at this stage of the pod's life.
 */
public final class PodColumns {

    /** Shown for timestamps that are absent, as kubectl does. */
    public static final String UNKNOWN_AGE = "<unknown>";

    private PodColumns() {}

    /**
     * One printed row of {@code kubectl get pods}.
     *
     * @param name metadata.name (empty if absent)
     * @param ready the READY column, e.g. {@code 1/2}
     * @param status the STATUS column, e.g. {@code CrashLoopBackOff}
     * @param restarts the RESTARTS column, e.g. {@code 4 (33s ago)}
     * @param age the AGE column, e.g. {@code 5m3s}
     */
    public record Row(String name, String ready, String status, String restarts, String age) {}

    /**
     * The READY column.
     *
     * @param pod the pod; spec and status may be absent
     * @return {@code <ready>/<total>}, e.g. {@code 0/1}
     */
    public static String ready(Pod pod) {
        PodSummary s = PodSummary.of(pod);
        return s.ready() + "/" + s.total();
    }

    /**
     * The STATUS column.
     *
     * @param pod the pod; spec and status may be absent (an absent phase reads as {@code Pending})
     * @return e.g. {@code Running}, {@code Init:1/2}, {@code CrashLoopBackOff}, {@code Terminating}
     */
    public static String status(Pod pod) {
        return PodSummary.of(pod).status();
    }

    /**
     * The RESTARTS column.
     *
     * @param pod the pod
     * @param now the instant the table is printed at, used for the "ago" part
     * @return {@code N}, or {@code N (<human duration> ago)} when N &gt; 0 and a counted container
     *     has a previous termination with a finish time
     */
    public static String restarts(Pod pod, Instant now) {
        return restarts(PodSummary.of(pod), now);
    }

    /**
     * A full row: name, READY, STATUS, RESTARTS and AGE (time since {@code creationTimestamp}).
     *
     * @param pod the pod
     * @param now the instant the table is printed at
     * @return the row; AGE is {@code <unknown>} when the pod has no creation timestamp
     */
    public static Row row(Pod pod, Instant now) {
        PodSummary s = PodSummary.of(pod);
        ObjectMeta meta = pod.getMetadata();
        String name = meta == null || meta.getName() == null ? "" : meta.getName();
        Instant created = meta == null ? null : Times.parse(meta.getCreationTimestamp());
        return new Row(name, s.ready() + "/" + s.total(), s.status(), restarts(s, now), since(created, now));
    }

    private static String restarts(PodSummary s, Instant now) {
        if (s.restarts() == 0 || s.lastRestart() == null) {
            return Integer.toString(s.restarts());
        }
        return s.restarts() + " (" + HumanDuration.format(Duration.between(s.lastRestart(), now)) + " ago)";
    }

    /** Human duration from {@code then} to {@code now}, or {@code <unknown>} if {@code then} is null. */
    static String since(Instant then, Instant now) {
        return then == null ? UNKNOWN_AGE : HumanDuration.format(Duration.between(then, now));
    }
}
