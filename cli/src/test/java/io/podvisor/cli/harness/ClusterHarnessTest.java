package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    void noPartStartsAThreadOrWaitsOnRealTime() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        long wallStart = System.nanoTime();
        try (ClusterHarness h = new ClusterHarness()) {
            h.script("app", ContainerScript.runForever().ignoreSigterm());
            h.apply(WEB);
            h.advanceSeconds(600);
            h.delete(ResourceTypes.PODS, "web");
            h.advanceSeconds(31);
            assertThat(h.pod("web")).isNull();
        }
        Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        assertThat(started).isEmpty();
        // eleven virtual minutes in well under the real ones
        assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void sameScenarioSameOutcome() {
        assertThat(runOnce()).isEqualTo(runOnce());
    }

    private static List<String> runOnce() {
        try (ClusterHarness h = new ClusterHarness()) {
            h.script("app", ContainerScript.script().exitAfter(Duration.ofSeconds(3), 1));
            h.apply(WEB);
            h.advanceSeconds(30);
            List<String> seen = new ArrayList<>(h.kubectlGet("pods"));
            seen.addAll(h.events("web"));
            seen.addAll(h.runtimeLog());
            h.delete(ResourceTypes.PODS, "web");
            // UIDs are random by design; everything else must repeat exactly
            return seen.stream().map(l -> l.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uid>")).toList();
        }
    }
}
