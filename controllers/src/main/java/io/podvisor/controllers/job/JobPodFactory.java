package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Yaml;
import io.podvisor.api.validation.Defaults;
import io.podvisor.controllers.NameSuffix;
import io.podvisor.controllers.Owners;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a Job's pods from its template: name {@code <job>-<5 chars>} (also sent as
 * {@code generateName: <job>-}), the template's labels and annotations plus the Job labels
 * (spec 10.1) when the template lacks them, the tracking finalizer, and a controller owner
 * reference to the Job.
 */
public final class JobPodFactory {

    /** The finalizer that keeps a finished pod until the Job counted it. */
    public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    /** The Job labels (spec 10.1), as the API server's Job defaulting puts them on the template. */
    public static final String LABEL_CONTROLLER_UID = Defaults.JOB_CONTROLLER_UID;
    public static final String LABEL_JOB_NAME = Defaults.JOB_NAME;
    public static final String LABEL_LEGACY_CONTROLLER_UID = Defaults.LEGACY_CONTROLLER_UID;
    public static final String LABEL_LEGACY_JOB_NAME = Defaults.LEGACY_JOB_NAME;

    private final NameSuffix names;

    public JobPodFactory(NameSuffix names) {
        this.names = names;
    }

    /** A new pod for {@code job} with a fresh random name. */
    public Pod newPod(Job job) {
        String jobName = job.getMetadata().getName();
        PodTemplateSpec template = job.getSpec().getTemplate();
        ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String base = NameSuffix.generateNameBase(jobName + "-");
        return new PodBuilder()
                .withNewMetadata()
                    .withName(names.generate(jobName + "-"))
                    .withGenerateName(base)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels(job, tm.getLabels()))
                    .withAnnotations(tm.getAnnotations() == null || tm.getAnnotations().isEmpty() ? null
                            : new LinkedHashMap<>(tm.getAnnotations()))
                    .withFinalizers(List.of(TRACKING_FINALIZER))
                    .withOwnerReferences(Owners.controllerRef(job))
                .endMetadata()
                .withSpec(Yaml.copy(template.getSpec()))
                .build();
    }

    private static Map<String, String> labels(Job job, Map<String, String> template) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template != null) {
            labels.putAll(template);
        }
        String uid = job.getMetadata().getUid();
        String name = job.getMetadata().getName();
        labels.putIfAbsent(LABEL_CONTROLLER_UID, uid);
        labels.putIfAbsent(LABEL_JOB_NAME, name);
        labels.putIfAbsent(LABEL_LEGACY_CONTROLLER_UID, uid);
        labels.putIfAbsent(LABEL_LEGACY_JOB_NAME, name);
        return labels;
    }
}
