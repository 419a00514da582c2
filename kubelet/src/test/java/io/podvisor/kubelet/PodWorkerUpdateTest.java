package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Which pod updates from the API call for a sync: not the kubelet's own status writes coming back. */
class PodWorkerUpdateTest {

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").withUid("u").addToLabels("app", "a").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    @Test
    void aStatusOnlyChangeDoesNotCallForASync() {
        Pod newer = new PodBuilder(pod()).editStatus().withPhase("Running").withPodIP("10.88.0.2").endStatus()
                .editMetadata().withResourceVersion("7").endMetadata().build();
        assertThat(PodWorker.differsBeyondStatus(pod(), newer)).isFalse();
    }

    @Test
    void specLabelAnnotationAndDeletionChangesCallForASync() {
        assertThat(PodWorker.differsBeyondStatus(pod(), new PodBuilder(pod()).editSpec()
                .withActiveDeadlineSeconds(5L).endSpec().build())).isTrue();
        assertThat(PodWorker.differsBeyondStatus(pod(), new PodBuilder(pod()).editMetadata()
                .addToLabels("tier", "web").endMetadata().build())).isTrue();
        assertThat(PodWorker.differsBeyondStatus(pod(), new PodBuilder(pod()).editMetadata()
                .addToAnnotations("note", "x").endMetadata().build())).isTrue();
        assertThat(PodWorker.differsBeyondStatus(pod(), new PodBuilder(pod()).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").withDeletionGracePeriodSeconds(30L)
                .endMetadata().build())).isTrue();
    }
}
