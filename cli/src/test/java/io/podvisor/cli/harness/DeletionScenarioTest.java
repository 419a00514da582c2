package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deletion through the API: graceful pod deletion carried out by the kubelet (owner references:
 * {@link GarbageCollectionScenarioTest}).
 */
class DeletionScenarioTest {

    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              terminationGracePeriodSeconds: %d
              containers:
              - name: app
                image: nginx
            """;

    private final ClusterHarness h = new ClusterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void deletedPodTerminatesGracefullyAndLeavesTheRegistry() {
        h.script("app", ContainerScript.runForever().exitOnSigterm(Duration.ofSeconds(5), 0));
        h.apply(WEB.formatted(30));
        h.advanceSeconds(10);

        boolean gone = h.delete(ResourceTypes.PODS, "web");
        assertThat(gone).isFalse();
        Pod deleting = h.pod("web");
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:40Z");
        assertThat(deleting.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 10s");

        h.advanceSeconds(3);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 13s");

        h.advanceSeconds(3);
        assertThat(h.pod("web")).isNull();
        assertThat(h.kubectlGet("pods")).isEmpty();
        assertThat(h.runtimeLog()).contains("10 SIGTERM app timeout 30s", "15 exit app code 0",
                "15 sandbox web stopped");
        assertThat(h.events("web")).contains("Normal Killing Stopping container app");
    }

    @Test
    void containerIgnoringSigtermIsKilledWhenTheGracePeriodEnds() {
        h.script("app", ContainerScript.runForever().ignoreSigterm());
        h.apply(WEB.formatted(8));
        h.advanceSeconds(2);

        h.delete(ResourceTypes.PODS, "web");
        h.advanceSeconds(7);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 9s");

        h.advanceSeconds(2);
        assertThat(h.pod("web")).isNull();
        assertThat(h.runtimeLog()).contains("2 SIGTERM app timeout 8s", "10 SIGKILL app");
    }
}
