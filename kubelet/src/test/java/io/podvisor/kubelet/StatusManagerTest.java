package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.kubelet.harness.NodeApi;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The status manager writes a pod's status only when it differs from what the API last accepted. */
class StatusManagerTest {

    private final NodeApi cluster = new NodeApi(new FakeClock(Instant.parse("2026-01-01T00:00:00Z")),
            new DeterministicExecutor());

    private Pod created() {
        return cluster.put(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().withNodeName("podvisor").addNewContainer().withName("c").withImage("busybox:1.36").endContainer()
                .endSpec().build());
    }

    private static PodStatus running(String ip) {
        return new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .addNewContainerStatus().withName("c").withRestartCount(0).withReady(true).endContainerStatus().build();
    }

    @Test
    void anEqualStatusIsNeitherANewVersionNorWrittenAgain() {
        Pod pod = created();
        StatusManager m = new StatusManager(cluster.cluster());

        assertThat(m.publish(pod, running("10.88.0.2"))).isTrue();
        assertThat(m.publish(pod, running("10.88.0.2"))).isFalse();

        assertThat(m.version(pod.getMetadata().getUid())).isEqualTo(1);
        assertThat(cluster.statusLog()).hasSize(1);
        assertThat(cluster.get("default", "p").getStatus().getPodIP()).isEqualTo("10.88.0.2");
    }

    @Test
    void aChangedStatusIsANewVersionAndWritten() {
        Pod pod = created();
        StatusManager m = new StatusManager(cluster.cluster());
        m.publish(pod, running("10.88.0.2"));

        assertThat(m.publish(pod, running("10.88.0.3"))).isTrue();

        assertThat(m.version(pod.getMetadata().getUid())).isEqualTo(2);
        assertThat(m.last(pod.getMetadata().getUid()).getPodIP()).isEqualTo("10.88.0.3");
        assertThat(cluster.statusLog()).hasSize(2);
        assertThat(cluster.get("default", "p").getStatus().getPodIP()).isEqualTo("10.88.0.3");
    }

    @Test
    void anUnchangedStatusIsWrittenToANewApiObject() {
        Pod pod = created();
        AtomicReference<String> target = new AtomicReference<>(null);
        StatusManager m = new StatusManager(cluster.cluster(), p -> target.get());

        m.publish(pod, running("10.88.0.2"));
        assertThat(cluster.statusLog()).isEmpty();

        target.set(pod.getMetadata().getUid());
        assertThat(m.publish(pod, running("10.88.0.2"))).isFalse();
        assertThat(cluster.statusLog()).hasSize(1);
    }

    @Test
    void aStatusTheApiDidNotAcceptIsSentAgain() {
        Pod pod = created();
        AtomicReference<String> target = new AtomicReference<>("another-uid");
        StatusManager m = new StatusManager(cluster.cluster(), p -> target.get());

        m.publish(pod, running("10.88.0.2"));
        target.set(pod.getMetadata().getUid());
        m.publish(pod, running("10.88.0.2"));

        assertThat(cluster.statusLog()).hasSize(1);
        assertThat(cluster.get("default", "p").getStatus().getPodIP()).isEqualTo("10.88.0.2");
    }
}
