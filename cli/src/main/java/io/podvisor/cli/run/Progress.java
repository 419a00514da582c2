package io.podvisor.cli.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Whether {@code --until ready} or {@code --until complete} holds, re-evaluated on every pod and
 * Job change the {@link Timeline} reports. {@code ready}: every pod Ready or Succeeded (and every
 * pod from the files seen). {@code complete}: every Job from the files Complete or Failed and
 * every bare pod from the files Succeeded or Failed; a Failed one makes the outcome
 * {@link Outcome#FAILED}.
 *
 * <p>Thread-safety: synchronized.
 */
final class Progress {

    /** How the wait ended. */
    enum Outcome { HELD, FAILED, TIMED_OUT }

    private final Until.Mode mode;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Set<String> expectedPods = new HashSet<>();
    private final Set<String> expectedJobs = new HashSet<>();
    private boolean armed;

    Progress(Until.Mode mode) {
        this.mode = mode;
    }

    /** The outcome, completed once. */
    CompletableFuture<Outcome> done() {
        return done;
    }

    /** Starts evaluating, with the pods and Jobs the files created ({@code namespace/name} keys). */
    synchronized void expect(List<String> bareKeys, List<String> jobKeys) {
        expectedPods.addAll(bareKeys);
        expectedJobs.addAll(jobKeys);
        armed = true;
        evaluate();
    }

    synchronized void pod(String key, Pod pod) {
        pods.put(key, pod);
        evaluate();
    }

    synchronized void podGone(String key) {
        pods.remove(key);
        evaluate();
    }

    synchronized void job(String key, Job job) {
        jobs.put(key, job);
        evaluate();
    }

    /** Ends the wait now with {@code outcome} (no effect once ended). */
    void end(Outcome outcome) {
        done.complete(outcome);
    }

    private void evaluate() {
        if (!armed || done.isDone()) {
            return;
        }
        switch (mode) {
            case READY -> {
                if (pods.keySet().containsAll(expectedPods) && pods.values().stream().allMatch(Progress::readyOrDone)) {
                    end(Outcome.HELD);
                }
            }
            case COMPLETE -> evaluateComplete();
            default -> { }
        }
    }

    private void evaluateComplete() {
        boolean failed = false;
        for (String key : expectedJobs) {
            Job job = jobs.get(key);
            String finished = job == null ? null : finished(job);
            if (finished == null) {
                return;
            }
            failed |= finished.equals("Failed");
        }
        for (String key : expectedPods) {
            String phase = phase(pods.get(key));
            if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                return;
            }
            failed |= phase.equals("Failed");
        }
        end(failed ? Outcome.FAILED : Outcome.HELD);
    }

    static boolean readyOrDone(Pod pod) {
        if (phase(pod).equals("Succeeded")) {
            return true;
        }
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of() : pod.getStatus().getConditions();
        return conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String phase(Pod pod) {
        return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? "" : pod.getStatus().getPhase();
    }

    /** {@code Complete} or {@code Failed} when the Job has that condition True, else null. */
    static String finished(Job job) {
        List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null
                ? List.of() : job.getStatus().getConditions();
        for (JobCondition c : conditions) {
            if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))) {
                return c.getType();
            }
        }
        return null;
    }
}
