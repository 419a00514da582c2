package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.podvisor.api.Times;
import io.podvisor.api.printers.Tables.Column;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Jobs: Name | Status | Completions | Duration | Age | Containers* | Images* | Selector*.
 *
 * <p>STATUS is the first that holds of: condition Complete, condition Failed, deletion requested
 * ({@code Terminating}), condition Suspended, condition FailureTarget, else {@code Running} (a
 * condition counts when its first entry of that type is {@code True}). COMPLETIONS is
 * {@code succeeded/completions}, or without completions {@code succeeded/1 of parallelism} when
 * parallelism &gt; 1 and {@code succeeded/1} otherwise. DURATION runs from {@code startTime} to
 * {@code completionTime}, or to now while unfinished, and is empty before the job started.
 */
final class JobPrinter implements KindPrinter {

    private static final List<Column> COLUMNS = List.of(
            Columns.name(),
            Columns.column("Status", "Status of the job."),
            Columns.column("Completions", "The number of pods which reached phase Succeeded. The value increases "
                    + "monotonically for a given spec. However, it may decrease in reaction to scale down of elastic "
                    + "indexed jobs."),
            Columns.column("Duration", "Time required to complete the job."),
            Columns.age(),
            Columns.wide("Containers", Columns.CONTAINERS_DOC),
            Columns.wide("Images", Columns.IMAGES_DOC),
            Columns.wide("Selector", "A label query over pods that should match the pod count. Normally, the system "
                    + "sets this field for you. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        Job job = Columns.as(object, Job.class);
        JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        List<Container> containers = containers(spec.getTemplate());
        return List.of(Columns.name(job), status(job, status), completions(spec, status), duration(status, now),
                Columns.age(job, now), Columns.containerNames(containers), Columns.containerImages(containers),
                Selectors.format(spec.getSelector()));
    }

    static String status(Job job, JobStatus status) {
        List<JobCondition> conditions = Columns.list(status.getConditions());
        if (has(conditions, "Complete")) {
            return "Complete";
        }
        if (has(conditions, "Failed")) {
            return "Failed";
        }
        if (Columns.deleting(job)) {
            return "Terminating";
        }
        if (has(conditions, "Suspended")) {
            return "Suspended";
        }
        if (has(conditions, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    private static String completions(JobSpec spec, JobStatus status) {
        int succeeded = Columns.orZero(status.getSucceeded());
        if (spec.getCompletions() != null) {
            return succeeded + "/" + spec.getCompletions();
        }
        int parallelism = Columns.orZero(spec.getParallelism());
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String duration(JobStatus status, Instant now) {
        Instant start = Times.parse(status.getStartTime());
        if (start == null) {
            return "";
        }
        Instant end = Times.parse(status.getCompletionTime());
        return HumanDuration.format(Duration.between(start, end == null ? now : end));
    }

    private static boolean has(List<JobCondition> conditions, String type) {
        for (JobCondition c : conditions) {
            if (type.equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static List<Container> containers(PodTemplateSpec template) {
        return template == null || template.getSpec() == null ? List.of() : template.getSpec().getContainers();
    }
}
