package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.controllers.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The Job controller's pure decisions (spec §10), table-tested. */
public final class JobDecisions {

    private JobDecisions() {}

    /**
     * How many pods should be active: {@code min(completions - succeeded, parallelism)} (never
     * negative); for a work-queue Job, {@code parallelism} until the first success, then whatever
     * is running.
     */
    public static int wantActive(JobParams p, int succeeded, int active) {
        if (p.completions() == null) {
            return succeeded > 0 ? active : p.parallelism();
        }
        return Math.max(0, Math.min(p.completions() - succeeded, p.parallelism()));
    }

    /** {@code failed > backoffLimit}: the count of failed pods (restartPolicy Never) is over the limit. */
    public static boolean exceedsBackoffLimit(JobParams p, int failed) {
        return failed > p.backoffLimit();
    }

    /**
     * For restartPolicy OnFailure: the sum of restartCount over init and main containers of pods in
     * phase Pending or Running is {@code >= backoffLimit} ({@code > 0} when the limit is 0).
     */
    public static boolean pastBackoffLimitOnFailure(JobParams p, List<Pod> pods) {
        if (!"OnFailure".equals(p.restartPolicy())) {
            return false;
        }
        int restarts = 0;
        for (Pod pod : pods) {
            String phase = Pods.phase(pod);
            if (Pods.RUNNING.equals(phase) || Pods.PENDING.equals(phase)) {
                restarts += restarts(pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses());
                restarts += restarts(pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses());
            }
        }
        return p.backoffLimit() == 0 ? restarts > 0 : restarts >= p.backoffLimit();
    }

    /** Whether the Job (not suspended, started at {@code start}) has run for its activeDeadlineSeconds. */
    public static boolean pastActiveDeadline(JobParams p, Instant start, Instant now) {
        if (p.activeDeadlineSeconds() == null || start == null || p.suspend()) {
            return false;
        }
        return Duration.between(start, now).compareTo(Duration.ofSeconds(p.activeDeadlineSeconds())) >= 0;
    }

    /** Whether the success criteria are met: enough successes (or any, for a work queue) and nothing active. */
    public static boolean complete(JobParams p, int succeeded, int active) {
        if (p.completions() == null) {
            return succeeded > 0 && active == 0;
        }
        return succeeded >= p.completions() && active == 0;
    }

    /**
     * Whether a pod counts as failed: phase Failed, or being deleted before it succeeded (upstream's
     * default pod replacement policy, TerminatingOrFailed).
     */
    public static boolean isFailed(Pod pod) {
        if (Pods.FAILED.equals(Pods.phase(pod))) {
            return true;
        }
        return Pods.isDeleting(pod) && !Pods.SUCCEEDED.equals(Pods.phase(pod));
    }

    private static int restarts(List<ContainerStatus> statuses) {
        if (statuses == null) {
            return 0;
        }
        int n = 0;
        for (ContainerStatus s : statuses) {
            n += s.getRestartCount() == null ? 0 : s.getRestartCount();
        }
        return n;
    }
}
