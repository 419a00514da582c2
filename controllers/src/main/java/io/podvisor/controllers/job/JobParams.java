package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

/**
 * The spec values a sync decides with, defaulted as the API server defaults a Job (spec 10.1):
 * completions and parallelism 1 when both are unset, backoffLimit 6, suspend false.
 *
 * @param completions null for a work-queue Job (any success completes it)
 * @param activeDeadlineSeconds null when unset
 * @param ttlSecondsAfterFinished null when unset
 */
public record JobParams(Integer completions, int parallelism, int backoffLimit, String restartPolicy,
        Long activeDeadlineSeconds, Integer ttlSecondsAfterFinished, boolean suspend) {

    /** Default backoffLimit. */
    public static final int DEFAULT_BACKOFF_LIMIT = 6;

    /** The parameters of {@code job}. */
    public static JobParams of(Job job) {
        JobSpec s = job.getSpec();
        Integer completions = s.getCompletions();
        Integer parallelism = s.getParallelism();
        if (completions == null && parallelism == null) {
            completions = 1;
            parallelism = 1;
        }
        String policy = s.getTemplate() == null || s.getTemplate().getSpec() == null ? null
                : s.getTemplate().getSpec().getRestartPolicy();
        return new JobParams(completions, parallelism == null ? 1 : parallelism,
                s.getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : s.getBackoffLimit(), policy,
                s.getActiveDeadlineSeconds(), s.getTtlSecondsAfterFinished(), Boolean.TRUE.equals(s.getSuspend()));
    }
}
