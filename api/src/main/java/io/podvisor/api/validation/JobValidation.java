package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * batch/v1 Job rules: the generated selector and its template labels, non-negative counts,
 * completion mode, the template (validated as a pod spec under {@code spec.template.spec}) with
 * restart policy {@code OnFailure} or {@code Never}; on update the selector, completions
 * (non-indexed), completion mode and template are immutable.
 */
final class JobValidation {

    private JobValidation() {}

    static List<FieldError> job(Job job) {
        List<FieldError> errs = MetaValidation.validate(job.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
        errs.addAll(generatedSelector(job, spec));
        errs.addAll(spec(spec));
        return errs;
    }

    private static List<FieldError> generatedSelector(Job job, JobSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, String> labels = template(spec).getMetadata() == null ? null : template(spec).getMetadata().getLabels();
        if (Boolean.TRUE.equals(spec.getManualSelector()) || labels == null) {
            return errs;
        }
        ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        String uid = meta.getUid() == null ? "" : meta.getUid();
        if (uid.isEmpty()) {
            errs.add(FieldError.required("metadata.uid", null));
        }
        hasLabel(errs, labels, Defaults.JOB_CONTROLLER_UID, uid);
        hasLabel(errs, labels, Defaults.JOB_NAME, meta.getName() == null ? "" : meta.getName());
        if (spec.getSelector() != null && !matches(spec.getSelector(), Map.of(Defaults.JOB_CONTROLLER_UID, uid))) {
            errs.add(FieldError.invalid("spec.selector", render(spec.getSelector()), "`selector` not auto-generated"));
        }
        return errs;
    }

    private static void hasLabel(List<FieldError> errs, Map<String, String> labels, String key, String expected) {
        String path = "spec.template.metadata.labels[" + key + "]";
        if (!labels.containsKey(key)) {
            errs.add(FieldError.required(path, expected));
        } else if (!Objects.equals(labels.get(key), expected)) {
            errs.add(FieldError.invalid(path, Errs.goMap(labels), "must be '" + expected + "'"));
        }
    }

    private static List<FieldError> spec(JobSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        Errs.nonNegative(errs, "spec.parallelism", spec.getParallelism());
        Errs.nonNegative(errs, "spec.completions", spec.getCompletions());
        Errs.nonNegative(errs, "spec.activeDeadlineSeconds", spec.getActiveDeadlineSeconds());
        Errs.nonNegative(errs, "spec.backoffLimit", spec.getBackoffLimit());
        Errs.nonNegative(errs, "spec.ttlSecondsAfterFinished", spec.getTtlSecondsAfterFinished());
        String mode = spec.getCompletionMode();
        if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            errs.add(FieldError.notSupported("spec.completionMode", Errs.q(mode), List.of("NonIndexed", "Indexed")));
        }
        if ("Indexed".equals(mode) && spec.getCompletions() == null) {
            errs.add(FieldError.required("spec.completions", "when completion mode is Indexed"));
        }
        errs.addAll(template(template(spec)));
        if (spec.getSelector() == null) {
            errs.add(FieldError.required("spec.selector", null));
        } else {
            errs.addAll(selector(spec.getSelector(), "spec.selector"));
            Map<String, String> labels = template(spec).getMetadata() == null ? null : template(spec).getMetadata().getLabels();
            if (!matches(spec.getSelector(), labels == null ? Map.of() : labels)) {
                errs.add(FieldError.invalid("spec.template.metadata.labels", Errs.goMap(labels),
                        "`selector` does not match template `labels`"));
            }
        }
        return errs;
    }

    private static List<FieldError> template(PodTemplateSpec t) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMeta meta = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
        errs.addAll(MetaValidation.labels(meta.getLabels(), "spec.template.labels"));
        errs.addAll(MetaValidation.annotations(meta.getAnnotations(), "spec.template.annotations"));
        PodSpec spec = t.getSpec() == null ? new PodSpec() : t.getSpec();
        errs.addAll(PodValidation.spec(spec, "spec.template.spec"));
        String policy = spec.getRestartPolicy() == null ? "" : spec.getRestartPolicy();
        String path = "spec.template.spec.restartPolicy";
        if (policy.isEmpty() || policy.equals("Always")) {
            errs.add(FieldError.required(path, "valid values: \"OnFailure\", \"Never\""));
        } else if (!policy.equals("OnFailure") && !policy.equals("Never")) {
            errs.add(FieldError.notSupported(path, Errs.q(policy), List.of("OnFailure", "Never")));
        }
        return errs;
    }

    private static List<FieldError> selector(LabelSelector s, String path) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.labels(s.getMatchLabels(), path + ".matchLabels"));
        List<LabelSelectorRequirement> exprs = s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
        for (int i = 0; i < exprs.size(); i++) {
            LabelSelectorRequirement r = exprs.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            String op = r.getOperator() == null ? "" : r.getOperator();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.forbidden(at + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errs.add(FieldError.invalid(at + ".operator", Errs.q(op), "not a valid selector operator"));
            }
            Errs.each(errs, at + ".key", Errs.q(r.getKey()), Names.qualifiedName(r.getKey() == null ? "" : r.getKey()));
        }
        return errs;
    }

    /** Whether a label selector selects a label set (match labels and set-based expressions). */
    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s.getMatchLabels() != null) {
            for (var e : s.getMatchLabels().entrySet()) {
                if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement r : s.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of() : s.getMatchExpressions()) {
            String v = labels.get(r.getKey());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (r.getOperator() == null ? "" : r.getOperator()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static List<FieldError> update(Job now, Job old) {
        List<FieldError> errs = new ArrayList<>(MetaValidation.update(now.getMetadata(), old.getMetadata()));
        JobSpec n = now.getSpec() == null ? new JobSpec() : now.getSpec();
        JobSpec o = old.getSpec() == null ? new JobSpec() : old.getSpec();
        if (!"Indexed".equals(n.getCompletionMode())) {
            Errs.immutable(errs, "spec.completions", n.getCompletions(), o.getCompletions(), String.valueOf(n.getCompletions()));
        } else if (!Objects.equals(n.getCompletions(), o.getCompletions()) && n.getCompletions() != null
                && !n.getCompletions().equals(n.getParallelism())) {
            errs.add(FieldError.invalid("spec.completions", String.valueOf(n.getCompletions()),
                    "can only be modified in tandem with spec.parallelism"));
        }
        Errs.immutable(errs, "spec.selector", n.getSelector(), o.getSelector(), n.getSelector() == null ? "null" : render(n.getSelector()));
        Errs.immutable(errs, "spec.template", Yaml.json(template(n)), Yaml.json(template(o)), Yaml.json(template(n)));
        Errs.immutable(errs, "spec.completionMode", n.getCompletionMode(), o.getCompletionMode(), Errs.q(n.getCompletionMode()));
        return errs;
    }

    private static PodTemplateSpec template(JobSpec spec) {
        return spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    }

    /** Go's {@code %#v} of a label selector. */
    private static String render(LabelSelector s) {
        String exprs = s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()
                ? "[]v1.LabelSelectorRequirement(nil)"
                : s.getMatchExpressions().stream().map(r -> "v1.LabelSelectorRequirement{Key:" + Errs.q(r.getKey())
                        + ", Operator:" + Errs.q(r.getOperator()) + ", Values:" + Errs.goStrings(
                                r.getValues() == null ? List.of() : r.getValues()) + "}")
                        .collect(Collectors.joining(", ", "[]v1.LabelSelectorRequirement{", "}"));
        return "v1.LabelSelector{MatchLabels:" + Errs.goMap(s.getMatchLabels()) + ", MatchExpressions:" + exprs + "}";
    }
}
