package io.podvisor.api.validation;

import static io.podvisor.api.validation.Fixtures.podYaml;
import static io.podvisor.api.validation.Fixtures.read;
import static io.podvisor.api.validation.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class UpdateValidationTest {

    private static Pod stored() {
        return Defaults.apply(read(podYaml("activeDeadlineSeconds: 100\ntolerations: [{key: k, operator: Exists, effect: NoSchedule}]\ncontainers:\n- name: app\n  image: busybox:1\n"), Pod.class));
    }

    private static List<FieldError> updatePod(Consumer<Pod> change) {
        Pod old = stored();
        Pod now = Yaml.copy(old);
        change.accept(now);
        return Validation.validate(Defaults.apply(now), old);
    }

    @Test
    void imagesDeadlineLabelsAndAddedTolerationsMayChange() {
        List<FieldError> errs = updatePod(p -> {
            p.getSpec().getContainers().getFirst().setImage("busybox:2");
            p.getSpec().setActiveDeadlineSeconds(50L);
            p.getMetadata().setLabels(java.util.Map.of("a", "b"));
            p.getSpec().getTolerations().add(new Toleration("NoSchedule", "k2", "Exists", null, null));
        });
        assertThat(errs).isEmpty();
    }

    @Test
    void anyOtherSpecChangeIsForbiddenWithUpstreamsListAndADiff() {
        List<FieldError> errs = updatePod(p -> p.getSpec().setRestartPolicy("Never"));
        assertThat(errs).hasSize(1);
        String msg = errs.getFirst().toString();
        assertThat(msg).startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n");
        assertThat(msg).contains("- \tRestartPolicy: \"Always\",\n+ \tRestartPolicy: \"Never\",\n");
    }

    @Test
    void bindingThroughUpdateIsForbidden() {
        assertThat(text(updatePod(p -> p.getSpec().setNodeName("node-1")))).startsWith("spec: Forbidden: pod updates may not change");
    }

    @Test
    void theDeadlineMayOnlyShrinkAndContainersMayNotBeAdded() {
        assertThat(text(updatePod(p -> p.getSpec().setActiveDeadlineSeconds(200L))))
                .isEqualTo("spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value");
        assertThat(text(updatePod(p -> p.getSpec().getContainers().add(Yaml.copy(p.getSpec().getContainers().getFirst())))))
                .startsWith("[spec.containers[1].name: Duplicate value: \"app\", spec.containers: Forbidden: pod updates may not add or remove containers");
    }

    @Test
    void removingAnExistingTolerationIsForbidden() {
        assertThat(text(updatePod(p -> p.getSpec().getTolerations().removeFirst()))).startsWith(
                "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    @Test
    void identityMetadataIsImmutable() {
        assertThat(text(updatePod(p -> p.getMetadata().setUid("u2"))))
                .isEqualTo("metadata.uid: Invalid value: \"u2\": field is immutable");
        assertThat(text(updatePod(p -> p.getMetadata().setName("other"))))
                .isEqualTo("metadata.name: Invalid value: \"other\": field is immutable");
    }

    @Test
    void aJobsTemplateAndCompletionsAreImmutable() {
        Job old = Defaults.apply(read("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: pi, namespace: default, uid: u1}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: pi, image: "perl:1"}]
                """, Job.class));
        Job now = Yaml.copy(old);
        now.getSpec().setCompletions(3);
        now.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("perl:2");
        List<FieldError> errs = Validation.validate(Defaults.apply(now), old);
        assertThat(errs).extracting(FieldError::field).containsExactly("spec.completions", "spec.template");
        assertThat(errs.getFirst().toString()).isEqualTo("spec.completions: Invalid value: 3: field is immutable");
        assertThat(errs.get(1).toString()).startsWith("spec.template: Invalid value: ").endsWith(": field is immutable");
        Job same = Yaml.copy(old);
        same.getSpec().setSuspend(true);
        assertThat(Validation.validate(Defaults.apply(same), old)).isEmpty();
    }

    @Test
    void anImmutableConfigMapKeepsItsData() {
        ConfigMap old = read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\nimmutable: true\ndata: {a: b}\n",
                ConfigMap.class);
        ConfigMap now = Yaml.copy(old);
        now.getData().put("a", "c");
        assertThat(text(Validation.validate(now, old))).isEqualTo("data: Forbidden: field is immutable when `immutable` is set");
    }
}
