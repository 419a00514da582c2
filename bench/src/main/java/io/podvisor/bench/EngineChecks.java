package io.podvisor.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link EngineSpeed}'s scenarios must have done for their figures to count: the crash-looping
 * container restarted as the back-off curve says and its BackOff events were recorded; every probed
 * pod is healthy and its probes ran every period.
 */
final class EngineChecks {

    private final Duration span;
    private final int pods;

    EngineChecks(Duration span, int pods) {
        this.span = span;
        this.pods = pods;
    }

    /** Probe execs the probed pods should have answered: two probes per pod, one each per period. */
    static long expectedExecs(Duration span, int pods) {
        return 2L * pods * (span.toSeconds() / EngineScenarios.PROBE_PERIOD_SECONDS);
    }

    /** The failures, empty when the simulation did what its figures claim. */
    List<String> check(EngineScenarios.CrashLoop crash, EngineScenarios.Probed probed) {
        List<String> failures = new ArrayList<>();
        int expected = EngineScenarios.expectedRestarts(span, EngineScenarios.CRASH_RUN);
        if (crash.restartCount() == 0) {
            failures.add("the crash-looping container was never restarted (restartCount 0)");
        } else if (Math.abs(crash.restartCount() - expected) > 1) {
            failures.add("restartCount " + crash.restartCount() + " is off the back-off curve (" + expected + ")");
        }
        if (expected >= 2 && crash.backOffEvents().isEmpty()) {
            failures.add("no BackOff event for the crash-looping pod");
        }
        if (probed.healthyPods() != pods) {
            failures.add("only " + probed.healthyPods() + " of " + pods + " probed pods are 1/1 Running 0");
        }
        long execs = expectedExecs(span, pods);
        if (probed.probeExecs() < execs * 9 / 10) {
            failures.add("probes ran " + probed.probeExecs() + " times, expected about " + execs);
        }
        return failures;
    }
}
