package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.podvisor.api.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Job condition types, reasons and messages (upstream 1.33 texts), and helpers to read/write them. */
public final class JobConditions {

    public static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    public static final String COMPLETE = "Complete";
    public static final String FAILURE_TARGET = "FailureTarget";
    public static final String FAILED = "Failed";
    public static final String SUSPENDED = "Suspended";

    public static final String REASON_COMPLETIONS_REACHED = "CompletionsReached";
    public static final String MESSAGE_COMPLETIONS_REACHED = "Reached expected number of succeeded pods";
    public static final String REASON_BACKOFF_LIMIT = "BackoffLimitExceeded";
    public static final String MESSAGE_BACKOFF_LIMIT = "Job has reached the specified backoff limit";
    public static final String REASON_DEADLINE = "DeadlineExceeded";
    public static final String MESSAGE_DEADLINE = "Job was active longer than specified deadline";
    public static final String REASON_SUSPENDED = "JobSuspended";
    public static final String MESSAGE_SUSPENDED = "Job suspended";
    public static final String REASON_RESUMED = "JobResumed";
    public static final String MESSAGE_RESUMED = "Job resumed";

    private JobConditions() {}

    /** A condition with status True (or {@code status}) at {@code now}. */
    public static JobCondition of(String type, String status, String reason, String message, Instant now) {
        String t = Times.format(now);
        return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastProbeTime(t).withLastTransitionTime(t).build();
    }

    /** The condition of {@code type}, or null. */
    public static JobCondition find(Job job, String type) {
        JobStatus st = job.getStatus();
        if (st == null || st.getConditions() == null) {
            return null;
        }
        return st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** Whether the condition of {@code type} is present with status True. */
    public static boolean isTrue(Job job, String type) {
        JobCondition c = find(job, type);
        return c != null && "True".equals(c.getStatus());
    }

    /** Complete=True or Failed=True. */
    public static boolean isFinished(Job job) {
        return isTrue(job, COMPLETE) || isTrue(job, FAILED);
    }

    /** The True Complete or Failed condition, or null. */
    public static JobCondition finishedCondition(Job job) {
        if (isTrue(job, COMPLETE)) {
            return find(job, COMPLETE);
        }
        return isTrue(job, FAILED) ? find(job, FAILED) : null;
    }

    /**
     * Sets the condition of {@code type} to {@code status}/{@code reason}/{@code message}, appending it
     * if absent. The transition time only moves when the status changes.
     *
     * @return whether anything changed
     */
    public static boolean ensure(JobStatus st, String type, String status, String reason, String message, Instant now) {
        List<JobCondition> conds = st.getConditions() == null ? new ArrayList<>() : new ArrayList<>(st.getConditions());
        for (int i = 0; i < conds.size(); i++) {
            JobCondition c = conds.get(i);
            if (!type.equals(c.getType())) {
                continue;
            }
            if (status.equals(c.getStatus()) && eq(reason, c.getReason()) && eq(message, c.getMessage())) {
                return false;
            }
            JobCondition n = of(type, status, reason, message, now);
            if (status.equals(c.getStatus())) {
                n.setLastTransitionTime(c.getLastTransitionTime());
            }
            conds.set(i, n);
            st.setConditions(conds);
            return true;
        }
        if ("False".equals(status)) {
            return false;
        }
        conds.add(of(type, status, reason, message, now));
        st.setConditions(conds);
        return true;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
