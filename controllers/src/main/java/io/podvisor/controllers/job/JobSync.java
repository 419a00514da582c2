package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.podvisor.api.Times;
import io.podvisor.api.events.EventTypes;
import io.podvisor.controllers.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One sync of one unfinished Job, in upstream's order: count finished pods (status counters +
 * uncounted + newly finished), decide failure (back-off limit, deadline) or success, delete active
 * pods of a failing Job or manage the active count, then {@link JobTracking} writes the status.
 *
 * <p>State table of the finish conditions: nothing → {@code FailureTarget} (written with the
 * uncounted pods) → {@code Failed} once nothing is uncounted or terminating; nothing →
 * {@code SuccessCriteriaMet} → {@code Complete} under the same rule.
 */
final class JobSync {

    final JobController c;
    final String key;
    final JobParams params;
    final List<Pod> pods;
    final Instant now;
    Job job;
    List<Pod> active = new ArrayList<>();
    int terminating;
    int ready;
    final Set<String> uncountedSucceeded = new LinkedHashSet<>();
    final Set<String> uncountedFailed = new LinkedHashSet<>();
    int succeeded;
    int failed;
    JobCondition finished;
    FailureBackoff.Record backoff;

    JobSync(JobController c, String key, Job job, List<Pod> pods) {
        this.c = c;
        this.key = key;
        this.job = job;
        this.pods = pods;
        this.params = JobParams.of(job);
        this.now = c.clock.now();
    }

    void run() {
        JobStatus st = status();
        int oldActive = nz(st.getActive());
        Integer oldReady = st.getReady();
        Integer oldTerminating = st.getTerminating();
        classify(st);
        if (st.getStartTime() == null && !params.suspend()) {
            st.setStartTime(Times.format(now));
        }
        decideFailure(st);
        boolean suspendChanged = false;
        int activeCount = active.size();
        if (finished != null) {
            int deleted = deleteActive();
            activeCount -= deleted;
            terminating += deleted;
        } else {
            boolean managed = job.getMetadata().getDeletionTimestamp() == null;
            if (managed) {
                activeCount = manage(activeCount);
            }
            if (JobDecisions.complete(params, succeeded, activeCount)) {
                finished = JobConditions.of(JobConditions.SUCCESS_CRITERIA_MET, "True",
                        JobConditions.REASON_COMPLETIONS_REACHED, JobConditions.MESSAGE_COMPLETIONS_REACHED, now);
            } else if (managed) {
                suspendChanged = suspendCondition(st);
            }
        }
        boolean needsUpdate = suspendChanged || activeCount != oldActive || oldReady == null || oldReady != ready
                || oldTerminating == null || oldTerminating != terminating;
        st.setActive(activeCount);
        st.setReady(ready);
        st.setTerminating(terminating);
        new JobTracking(this).trackAndFlush(needsUpdate);
    }

    JobStatus status() {
        if (job.getStatus() == null) {
            job.setStatus(new JobStatus());
        }
        return job.getStatus();
    }

    private void classify(JobStatus st) {
        UncountedTerminatedPods unc = st.getUncountedTerminatedPods();
        if (unc != null) {
            uncountedSucceeded.addAll(unc.getSucceeded());
            uncountedFailed.addAll(unc.getFailed());
        }
        List<Pod> newSucceeded = new ArrayList<>();
        List<Pod> newFailed = new ArrayList<>();
        for (Pod p : pods) {
            boolean tracked = Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER);
            String uid = p.getMetadata().getUid();
            if (!Pods.isTerminal(p) && !Pods.isDeleting(p)) {
                active.add(p);
                ready += Pods.isReady(p) ? 1 : 0;
            }
            if (Pods.isDeleting(p) && !Pods.isTerminal(p)) {
                terminating++;
            }
            if (tracked && Pods.SUCCEEDED.equals(Pods.phase(p)) && !uncountedSucceeded.contains(uid)) {
                newSucceeded.add(p);
            } else if (tracked && JobDecisions.isFailed(p) && !uncountedFailed.contains(uid)) {
                newFailed.add(p);
            }
        }
        succeeded = nz(st.getSucceeded()) + newSucceeded.size() + uncountedSucceeded.size();
        failed = nz(st.getFailed()) + newFailed.size() + uncountedFailed.size();
        FailureBackoff.Record prev = c.backoffs.getOrDefault(key, FailureBackoff.Record.EMPTY);
        backoff = FailureBackoff.next(prev, newSucceeded, newFailed, now);
    }

    private void decideFailure(JobStatus st) {
        if (JobConditions.isTrue(job, JobConditions.SUCCESS_CRITERIA_MET)) {
            finished = JobConditions.find(job, JobConditions.SUCCESS_CRITERIA_MET);
            return;
        }
        JobCondition target = JobConditions.find(job, JobConditions.FAILURE_TARGET);
        if (target != null && "True".equals(target.getStatus())) {
            finished = JobConditions.of(JobConditions.FAILED, "True", target.getReason(), target.getMessage(), now);
            return;
        }
        Instant start = Times.parse(st.getStartTime());
        if (JobDecisions.exceedsBackoffLimit(params, failed) || JobDecisions.pastBackoffLimitOnFailure(params, pods)) {
            finished = JobConditions.of(JobConditions.FAILURE_TARGET, "True",
                    JobConditions.REASON_BACKOFF_LIMIT, JobConditions.MESSAGE_BACKOFF_LIMIT, now);
        } else if (JobDecisions.pastActiveDeadline(params, start, now)) {
            finished = JobConditions.of(JobConditions.FAILURE_TARGET, "True",
                    JobConditions.REASON_DEADLINE, JobConditions.MESSAGE_DEADLINE, now);
        } else if (params.activeDeadlineSeconds() != null && !params.suspend() && start != null) {
            c.queue.addAfter(key, Duration.between(now, start.plusSeconds(params.activeDeadlineSeconds())));
        }
    }

    /** Deletes every active pod of a finishing Job (keeping finalizers: they are counted as failed). */
    private int deleteActive() {
        int deleted = 0;
        for (Pod p : active) {
            if (c.deletePod(job, p, false)) {
                deleted++;
                ready -= Pods.isReady(p) ? 1 : 0;
            }
        }
        return deleted;
    }

    /** Creates or deletes pods towards the wanted active count; returns the new active count. */
    private int manage(int activeCount) {
        if (params.suspend()) {
            return activeCount - removePods(active);
        }
        int want = JobDecisions.wantActive(params, succeeded, activeCount);
        if (activeCount > want) {
            List<Pod> victims = new ArrayList<>(active);
            victims.sort(Comparator.comparing(Pods::isReady).thenComparing(p -> p.getMetadata().getCreationTimestamp(),
                    Comparator.nullsFirst(Comparator.reverseOrder())));
            return activeCount - removePods(victims.subList(0, activeCount - want));
        }
        int diff = Math.min(want - activeCount, c.config.maxPodCreatesPerSync());
        if (diff <= 0) {
            return activeCount;
        }
        Duration wait = FailureBackoff.remaining(backoff, now, c.config.podFailureBackOff(), c.config.maxPodFailureBackOff());
        if (wait.isPositive()) {
            c.queue.addAfter(key, wait);
            return activeCount;
        }
        for (int i = 0; i < diff; i++) {
            c.createPod(job);
            activeCount++;
        }
        return activeCount;
    }

    private int removePods(List<Pod> victims) {
        int removed = 0;
        for (Pod p : victims) {
            if (c.deletePod(job, p, true)) {
                removed++;
                terminating++;
                ready -= Pods.isReady(p) ? 1 : 0;
            }
        }
        return removed;
    }

    private boolean suspendCondition(JobStatus st) {
        if (params.suspend()) {
            boolean changed = JobConditions.ensure(st, JobConditions.SUSPENDED, "True",
                    JobConditions.REASON_SUSPENDED, JobConditions.MESSAGE_SUSPENDED, now);
            if (changed) {
                c.event(job, EventTypes.NORMAL, "Suspended", JobConditions.MESSAGE_SUSPENDED);
            }
            return changed;
        }
        boolean changed = JobConditions.ensure(st, JobConditions.SUSPENDED, "False",
                JobConditions.REASON_RESUMED, JobConditions.MESSAGE_RESUMED, now);
        if (changed) {
            c.event(job, EventTypes.NORMAL, "Resumed", JobConditions.MESSAGE_RESUMED);
            st.setStartTime(Times.format(now));
        }
        return changed;
    }

    static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
