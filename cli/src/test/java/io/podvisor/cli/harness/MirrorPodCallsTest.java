package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.runtime.fake.ContainerScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static pod's mirror costs the API one create: its owner is the Node as the kubelet registered
 * it (no read of the Node), and the kubelet knows its mirrors from the pods it receives anyway.
 */
class MirrorPodCallsTest {

    @TempDir
    Path dir;

    @Test
    void aMirrorPodIsCreatedOnceWithoutReadingTheNodeOrThePod() throws IOException {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("web.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - {name: web, image: nginx:1.27}
                """);
        try (ClusterHarness h = new ClusterHarness(null, c -> c.withStaticPodPath(manifests, Duration.ofSeconds(20)))) {
            h.script("web", ContainerScript.runForever());

            h.advanceSeconds(65); // the manifest directory is scanned three more times

            Pod mirror = h.pod("web-podvisor");
            assertThat(mirror.getMetadata().getOwnerReferences().getFirst().getUid())
                    .isEqualTo(h.node().getMetadata().getUid());
            assertThat(h.kubectlGet("pods")).containsExactly("web-podvisor 1/1 Running 0 65s");
            assertThat(h.nodeApiCalls("create(Pod)")).hasSize(1);
            assertThat(h.nodeApiCalls("get(Node)")).isEmpty();
            assertThat(h.nodeApiCalls("get(Pod)")).isEmpty();
        }
    }
}
