package io.podvisor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Yaml;
import io.podvisor.controllers.NameSuffix;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JobPodFactoryTest {

    private final JobPodFactory factory = new JobPodFactory(new NameSuffix(new SplittableRandom(7)));

    private static Job job(String name, String templateMetadata) {
        return Yaml.read("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s, namespace: work, uid: uid-1}
                spec:
                  template:
                    metadata: %s
                    spec:
                      restartPolicy: Never
                      containers: [{name: main, image: busybox}]
                """.formatted(name, templateMetadata), Job.class);
    }

    @Test
    void podCarriesTheFourJobLabelsTheTrackingFinalizerAndTheTemplateMetadata() {
        Pod pod = factory.newPod(job("pi", "{labels: {app: pi}, annotations: {note: kept}}"));

        assertThat(pod.getMetadata().getName()).matches("pi-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("work");
        assertThat(pod.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app", "pi",
                "batch.kubernetes.io/controller-uid", "uid-1",
                "controller-uid", "uid-1",
                "batch.kubernetes.io/job-name", "pi",
                "job-name", "pi"));
        assertThat(pod.getMetadata().getAnnotations()).containsExactly(Map.entry("note", "kept"));
        assertThat(pod.getMetadata().getFinalizers()).containsExactly("batch.kubernetes.io/job-tracking");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void labelsAlreadyOnTheTemplateWin() {
        Pod pod = factory.newPod(job("pi", "{labels: {job-name: chosen}}"));

        assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "chosen")
                .containsEntry("batch.kubernetes.io/job-name", "pi");
    }

    @Test
    void aLongJobNameIsCutSoThePodNameStaysWithin63Characters() {
        String name = "j".repeat(63);
        Pod pod = factory.newPod(job(name, "{}"));

        assertThat(pod.getMetadata().getName()).hasSize(63).startsWith("j".repeat(58))
                .matches("j{58}[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void twoPodsOfOneJobGetDifferentNames() {
        Job job = job("pi", "{}");
        assertThat(factory.newPod(job).getMetadata().getName()).isNotEqualTo(factory.newPod(job).getMetadata().getName());
    }
}
