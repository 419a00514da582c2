package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusGeneratorImageIdTest {

    static ContainerInfo instance(String imageRef, Map<String, String> annotations) {
        return new ContainerInfo("c1", "sb1", "app", 0, "busybox", imageRef, ContainerState.RUNNING, Instant.EPOCH,
                Instant.EPOCH, null, 0, null, null, Map.of(), annotations);
    }

    @Test
    void theRuntimesImageReferenceWins() {
        assertThat(StatusGenerator.imageId(instance("docker.io/library/busybox@sha256:aa",
                Map.of(Labels.IMAGE_REF, "sha256:bb")))).isEqualTo("docker.io/library/busybox@sha256:aa");
    }

    @Test
    void withoutOneTheKubeletsReferenceIsShown() {
        assertThat(StatusGenerator.imageId(instance("", Map.of(Labels.IMAGE_REF, "sha256:bb")))).isEqualTo("sha256:bb");
        assertThat(StatusGenerator.imageId(instance("", Map.of()))).isEmpty();
    }
}
