package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.podvisor.api.Times;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.controllers.Pods;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The status write of a {@link JobSync}, as upstream's finalizer tracking does it: (1) finished
 * pods still holding the tracking finalizer go into {@code status.uncountedTerminatedPods}, and an
 * interim {@code FailureTarget}/{@code SuccessCriteriaMet} condition is added, and that status is
 * written; (2) the finalizers are removed; (3) pods whose finalizer is gone move from the uncounted
 * lists into {@code succeeded}/{@code failed}; once nothing is uncounted or terminating the final
 * {@code Failed}/{@code Complete} condition (and {@code completionTime}) is added, the status is
 * written again and the finish event recorded.
 */
final class JobTracking {

    private final JobSync s;

    JobTracking(JobSync s) {
        this.s = s;
    }

    void trackAndFlush(boolean needsFlush) {
        Set<String> withFinalizer = new HashSet<>();
        for (Pod p : s.pods) {
            if (Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                withFinalizer.add(p.getMetadata().getUid());
            }
        }
        needsFlush |= moveCounted(withFinalizer);
        List<Pod> toRelease = new ArrayList<>();
        needsFlush |= collectUncounted(toRelease);
        needsFlush |= interimCondition();
        writeUncounted();
        if (needsFlush) {
            flush();
            s.c.backoffs.put(s.key, s.backoff);
            needsFlush = false;
        }
        for (Pod p : toRelease) {
            if (s.c.removeFinalizer(s.key, p)) {
                withFinalizer.remove(p.getMetadata().getUid());
            }
        }
        needsFlush |= moveCounted(withFinalizer);
        boolean done = enactFinished();
        if (needsFlush || done) {
            flush();
            if (done) {
                recordFinished();
            }
        }
    }

    /** Adds newly finished, releasable pods to the uncounted lists; returns whether any was added. */
    private boolean collectUncounted(List<Pod> toRelease) {
        boolean changed = false;
        boolean failing = s.finished != null && !JobConditions.SUCCESS_CRITERIA_MET.equals(s.finished.getType())
                && !JobConditions.COMPLETE.equals(s.finished.getType());
        for (Pod p : s.pods) {
            if (!Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                continue;
            }
            boolean podFailed = JobDecisions.isFailed(p);
            boolean succeededPod = Pods.SUCCEEDED.equals(Pods.phase(p));
            boolean jobGoing = s.job.getMetadata().getDeletionTimestamp() != null || s.finished != null;
            if (!jobGoing && !succeededPod && !podFailed) {
                continue;
            }
            toRelease.add(p);
            String uid = p.getMetadata().getUid();
            if (succeededPod && !s.uncountedFailed.contains(uid)) {
                changed |= s.uncountedSucceeded.add(uid);
            } else if (podFailed || failing) {
                changed |= s.uncountedFailed.add(uid);
            }
        }
        return changed;
    }

    /** Writes the interim condition and turns {@code finished} into the final one. */
    private boolean interimCondition() {
        if (s.finished == null) {
            return false;
        }
        JobStatus st = s.status();
        String type = s.finished.getType();
        boolean changed = false;
        if (JobConditions.FAILURE_TARGET.equals(type)) {
            st.getConditions().add(s.finished);
            changed = true;
            s.finished = JobConditions.of(JobConditions.FAILED, "True", s.finished.getReason(), s.finished.getMessage(), s.now);
        } else if (JobConditions.SUCCESS_CRITERIA_MET.equals(type)) {
            if (!JobConditions.isTrue(s.job, JobConditions.SUCCESS_CRITERIA_MET)) {
                st.getConditions().add(s.finished);
                changed = true;
            }
            s.finished = JobConditions.of(JobConditions.COMPLETE, "True", s.finished.getReason(), s.finished.getMessage(), s.now);
        }
        return changed;
    }

    /** Moves uncounted pods that no longer hold the finalizer into the counters. */
    private boolean moveCounted(Set<String> withFinalizer) {
        JobStatus st = s.status();
        int before = s.uncountedSucceeded.size() + s.uncountedFailed.size();
        int succ = s.uncountedSucceeded.size();
        s.uncountedSucceeded.retainAll(withFinalizer);
        st.setSucceeded(JobSync.nz(st.getSucceeded()) + succ - s.uncountedSucceeded.size());
        int fail = s.uncountedFailed.size();
        s.uncountedFailed.retainAll(withFinalizer);
        st.setFailed(JobSync.nz(st.getFailed()) + fail - s.uncountedFailed.size());
        writeUncounted();
        return before != s.uncountedSucceeded.size() + s.uncountedFailed.size();
    }

    private void writeUncounted() {
        JobStatus st = s.status();
        UncountedTerminatedPods unc = new UncountedTerminatedPods();
        unc.setSucceeded(new ArrayList<>(s.uncountedSucceeded));
        unc.setFailed(new ArrayList<>(s.uncountedFailed));
        st.setUncountedTerminatedPods(unc);
        st.setSucceeded(JobSync.nz(st.getSucceeded()));
        st.setFailed(JobSync.nz(st.getFailed()));
    }

    private boolean enactFinished() {
        if (s.finished == null || !s.uncountedSucceeded.isEmpty() || !s.uncountedFailed.isEmpty() || s.terminating > 0) {
            return false;
        }
        JobStatus st = s.status();
        JobConditions.ensure(st, s.finished.getType(), "True", s.finished.getReason(), s.finished.getMessage(), s.now);
        if (JobConditions.COMPLETE.equals(s.finished.getType())) {
            st.setCompletionTime(Times.format(s.now));
        }
        return true;
    }

    private void flush() {
        Job written = s.c.updateStatus(s.job);
        written.setStatus(s.job.getStatus());
        s.job = written;
    }

    private void recordFinished() {
        JobCondition cond = s.finished;
        if (JobConditions.COMPLETE.equals(cond.getType())) {
            Integer completions = s.params.completions();
            if (completions != null && JobSync.nz(s.status().getSucceeded()) > completions) {
                s.c.event(s.job, EventTypes.WARNING, "TooManySucceededPods",
                        "Too many succeeded pods running after completion count reached");
            }
            s.c.event(s.job, EventTypes.NORMAL, Reasons.COMPLETED, "Job completed");
        } else {
            s.c.event(s.job, EventTypes.WARNING, cond.getReason(), cond.getMessage());
        }
    }
}
