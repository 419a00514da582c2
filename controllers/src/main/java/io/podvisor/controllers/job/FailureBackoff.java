package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The delay before a Job replaces failed pods (spec 10.6): {@code initial × 2^(n-1)}, capped, after
 * the latest of {@code n} failures since the last success. Pure; the controller keeps one
 * {@link Record} per Job.
 */
public final class FailureBackoff {

    /** Failures since the last success and when the latest of them finished (null when none). */
    public record Record(int failuresAfterLastSuccess, Instant lastFailureTime) {
        /** No failures. */
        public static final Record EMPTY = new Record(0, null);
    }

    private FailureBackoff() {}

    /**
     * The record after newly finished pods were seen: failures add up; a success resets the count to
     * the failures that finished after it.
     */
    public static Record next(Record prev, List<Pod> newSucceeded, List<Pod> newFailed, Instant now) {
        if (newSucceeded.isEmpty() && newFailed.isEmpty()) {
            return prev;
        }
        List<Instant> failures = new ArrayList<>(newFailed.stream().map(p -> finishTime(p, now)).toList());
        failures.sort(Comparator.naturalOrder());
        if (newSucceeded.isEmpty()) {
            return new Record(prev.failuresAfterLastSuccess() + failures.size(), failures.getLast());
        }
        Instant lastSuccess = newSucceeded.stream().map(p -> finishTime(p, now)).max(Comparator.naturalOrder()).orElseThrow();
        List<Instant> after = failures.stream().filter(t -> t.isAfter(lastSuccess)).toList();
        return after.isEmpty() ? Record.EMPTY : new Record(after.size(), after.getLast());
    }

    /** How long pod creation must still wait at {@code now} (zero when it may go ahead). */
    public static Duration remaining(Record r, Instant now, Duration initial, Duration max) {
        if (r.failuresAfterLastSuccess() == 0 || r.lastFailureTime() == null) {
            return Duration.ZERO;
        }
        Duration d = initial;
        for (int i = 1; i < r.failuresAfterLastSuccess(); i++) {
            d = d.multipliedBy(2);
            if (d.compareTo(max) >= 0) {
                d = max;
                break;
            }
        }
        Duration elapsed = Duration.between(r.lastFailureTime(), now);
        return elapsed.compareTo(d) > 0 ? Duration.ZERO : d.minus(elapsed);
    }

    /** The latest {@code finishedAt} of the pod's terminated containers, else {@code now}. */
    public static Instant finishTime(Pod pod, Instant now) {
        Instant latest = null;
        if (pod.getStatus() != null) {
            List<ContainerStatus> all = new ArrayList<>(pod.getStatus().getContainerStatuses());
            all.addAll(pod.getStatus().getInitContainerStatuses());
            for (ContainerStatus s : all) {
                if (s.getState() != null && s.getState().getTerminated() != null) {
                    Instant t = Times.parse(s.getState().getTerminated().getFinishedAt());
                    if (t != null && (latest == null || t.isAfter(latest))) {
                        latest = t;
                    }
                }
            }
        }
        return latest == null ? now : latest;
    }
}
