package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness itself: the node comes up, a pod goes through scheduler and kubelet, and the API validates. */
class ClusterHarnessTest {

    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: app
                image: nginx
            """;

    @Test
    void nodeRegistersItselfAndIsReady() {
        try (ClusterHarness h = new ClusterHarness()) {
            assertThat(h.node()).isNotNull();
            assertThat(h.kubectlGet("nodes")).singleElement().asString().startsWith("podvisor Ready ");
            assertThat(h.node().getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
        }
    }

    @Test
    void podIsScheduledStartedAndAges() {
        try (ClusterHarness h = new ClusterHarness()) {
            h.apply(WEB);
            assertThat(h.pod("web").getSpec().getNodeName()).isEqualTo(ClusterHarness.NODE);
            h.advanceSeconds(10);
            assertThat(h.kubectlHeader("pods")).isEqualTo("NAME READY STATUS RESTARTS AGE");
            assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Running 0 10s");
            assertThat(h.events("web")).startsWith(
                    "Normal Scheduled Successfully assigned default/web to podvisor");
        }
    }

    @Test
    void applyGoesThroughValidation() {
        try (ClusterHarness h = new ClusterHarness()) {
            assertThatThrownBy(() -> h.apply("""
                    apiVersion: batch/v1
                    kind: Job
                    metadata:
                      name: pi
                    spec:
                      template:
                        spec:
                          containers:
                          - name: pi
                            image: perl
                    """))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("spec.template.spec.restartPolicy: Required value: "
                            + "valid values: \"OnFailure\", \"Never\"");
            assertThat(h.job("pi")).isNull();
        }
    }

    @Test
    void sameScenarioSameOutcome() {
        assertThat(runOnce()).isEqualTo(runOnce());
    }

    private static java.util.List<String> runOnce() {
        try (ClusterHarness h = new ClusterHarness()) {
            h.script("app", ContainerScript.script().exitAfter(Duration.ofSeconds(3), 1));
            h.apply(WEB);
            h.advanceSeconds(30);
            java.util.List<String> seen = new java.util.ArrayList<>(h.kubectlGet("pods"));
            seen.addAll(h.events("web"));
            seen.addAll(h.runtimeLog().stream().filter(l -> !l.contains(" sandbox ")).toList());
            h.delete(ResourceTypes.PODS, "web");
            // UIDs are random by design; everything else must repeat exactly
            return seen.stream().map(l -> l.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uid>")).toList();
        }
    }
}
