/**
 * The Job controller (batch/v1, NonIndexed completion mode): pods from the template, parallelism
 * and completions, back-off limit and pod failure back-off, active deadline, suspend, tracking of
 * finished pods through the {@code batch.kubernetes.io/job-tracking} finalizer and
 * {@code status.uncountedTerminatedPods}, the interim and final conditions, and
 * {@code ttlSecondsAfterFinished}. The decisions are pure functions in {@link
 * io.podvisor.controllers.job.JobDecisions} and {@link io.podvisor.controllers.job.FailureBackoff}.
 */
package io.podvisor.controllers.job;
