package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * batch/v1 Job defaults: completions and parallelism 1 when both unset (parallelism 1 when unset),
 * backoffLimit 6 (max int with a per-index limit), completion mode NonIndexed, suspend false,
 * pod replacement TerminatingOrFailed (Failed with a pod failure policy), job labels from the
 * template's, the template spec defaulted like a pod's, and — unless {@code manualSelector} — the
 * generated selector on {@code batch.kubernetes.io/controller-uid} with the four job labels on the
 * template. The template's restart policy is defaulted like a pod's (Always), which validation
 * then rejects, as upstream.
 */
final class JobDefaults {

    private JobDefaults() {}

    static void apply(Job job) {
        if (job.getSpec() == null) {
            job.setSpec(new JobSpec());
        }
        if (job.getMetadata() == null) {
            job.setMetadata(new ObjectMeta());
        }
        JobSpec spec = job.getSpec();
        if (spec.getCompletions() == null && spec.getParallelism() == null) {
            spec.setCompletions(1);
        }
        if (spec.getParallelism() == null) {
            spec.setParallelism(1);
        }
        if (spec.getBackoffLimit() == null) {
            spec.setBackoffLimit(spec.getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : 6);
        }
        if (spec.getCompletionMode() == null) {
            spec.setCompletionMode("NonIndexed");
        }
        if (spec.getSuspend() == null) {
            spec.setSuspend(false);
        }
        if (spec.getPodReplacementPolicy() == null) {
            spec.setPodReplacementPolicy(spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
        }
        if (spec.getTemplate() == null) {
            spec.setTemplate(new PodTemplateSpec());
        }
        PodTemplateSpec template = spec.getTemplate();
        if (template.getSpec() == null) {
            template.setSpec(new PodSpec());
        }
        copyLabels(job, template);
        PodSpecDefaults.template(template.getSpec());
        generateSelector(job, spec, template);
        copyLabels(job, template);
    }

    /** Job labels default to the template's when the job has none. */
    private static void copyLabels(Job job, PodTemplateSpec template) {
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        Map<String, String> own = job.getMetadata().getLabels();
        if (labels != null && !labels.isEmpty() && (own == null || own.isEmpty())) {
            job.getMetadata().setLabels(new LinkedHashMap<>(labels));
        }
    }

    private static void generateSelector(Job job, JobSpec spec, PodTemplateSpec template) {
        String uid = job.getMetadata().getUid();
        if (Boolean.TRUE.equals(spec.getManualSelector()) || uid == null || uid.isEmpty()) {
            return;
        }
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = template.getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(template.getMetadata().getLabels());
        String name = job.getMetadata().getName() == null ? "" : job.getMetadata().getName();
        labels.putIfAbsent(Defaults.LEGACY_JOB_NAME, name);
        labels.putIfAbsent(Defaults.JOB_NAME, name);
        labels.putIfAbsent(Defaults.LEGACY_CONTROLLER_UID, uid);
        labels.putIfAbsent(Defaults.JOB_CONTROLLER_UID, uid);
        template.getMetadata().setLabels(labels);
        if (spec.getSelector() == null) {
            spec.setSelector(new LabelSelector());
        }
        Map<String, String> match = spec.getSelector().getMatchLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.getSelector().getMatchLabels());
        match.putIfAbsent(Defaults.JOB_CONTROLLER_UID, uid);
        spec.getSelector().setMatchLabels(match);
    }
}
