package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.eventsWithPath;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.podvisor.api.Times;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kubelet's events (spec §11) as {@code kubectl describe} and {@code kubectl get events} show them. */
class EventScenariosTest {

    static final String HELLO = """
            apiVersion: v1
            kind: Pod
            metadata: {name: hello}
            spec:
              containers:
              - name: app
                image: nginx:1.27
            """;

    /** Pod {@code name}: container app (app:1.0) with an exec liveness probe running {@code /check}. */
    static String checkLiveness(String name, int periodSeconds, int failureThreshold) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: app
                    image: app:1.0
                    livenessProbe:
                      exec: {command: ["/check"]}
                      periodSeconds: %d
                      failureThreshold: %d
                """.formatted(name, periodSeconds, failureThreshold);
    }

    @Test
    void normalStartSequenceHasExactMessagesSourceAndFieldPath() {
        NodeHarness h = new NodeHarness();
        h.apply(HELLO);
        assertThat(h.events("hello")).containsExactly(
                "Normal Pulled Container image \"nginx:1.27\" already present on machine",
                "Normal Created Created container: app",
                "Normal Started Started container app");
        String uid = PodViews.uid(h, "hello");
        for (Event e : h.eventObjects("hello")) {
            assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
            assertThat(e.getSource().getHost()).isEqualTo("podvisor");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("default");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("hello");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
            assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
            assertThat(e.getCount()).isEqualTo(1);
            assertThat(Times.parse(e.getFirstTimestamp())).isEqualTo(NodeHarness.T0);
            assertThat(e.getLastTimestamp()).isEqualTo(e.getFirstTimestamp());
        }
        h.advanceSeconds(75);
        assertThat(h.describeEvents("hello")).containsExactly(
                "Normal Pulled 75s Container image \"nginx:1.27\" already present on machine",
                "Normal Created 75s Created container: app",
                "Normal Started 75s Started container app");
    }

    @Test
    void initContainerAndSidecarEventsPointIntoInitContainers() {
        NodeHarness h = new NodeHarness();
        h.script("setup", script().exitAfter(ofSeconds(2), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: with-init}
                spec:
                  initContainers:
                  - name: setup
                    image: busybox:1.36
                  - name: proxy
                    image: envoy:v1.30
                    restartPolicy: Always
                  containers:
                  - name: app
                    image: app:1.0
                """);
        h.advanceSeconds(2);
        assertThat(eventsWithPath(h, "with-init", "Started")).containsExactly(
                "spec.initContainers{setup} 1x Started container setup",
                "spec.initContainers{proxy} 1x Started container proxy",
                "spec.containers{app} 1x Started container app");
        assertThat(eventsWithPath(h, "with-init", "Created")).containsExactly(
                "spec.initContainers{setup} 1x Created container: setup",
                "spec.initContainers{proxy} 1x Created container: proxy",
                "spec.containers{app} 1x Created container: app");
        assertThat(eventsWithPath(h, "with-init", "Pulled")).containsExactly(
                "spec.initContainers{setup} 1x Container image \"busybox:1.36\" already present on machine",
                "spec.initContainers{proxy} 1x Container image \"envoy:v1.30\" already present on machine",
                "spec.containers{app} 1x Container image \"app:1.0\" already present on machine");

        h.delete("with-init");
        // deletion announces every stop at once; the sidecar is signalled after the main exited
        assertThat(eventsWithPath(h, "with-init", "Killing")).containsExactlyInAnyOrder(
                "spec.containers{app} 1x Stopping container app",
                "spec.initContainers{proxy} 1x Stopping container proxy");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains("SIGTERM")))
                .containsExactly("2 SIGTERM app timeout 30s", "2 SIGTERM proxy timeout 30s");
    }

    @Test
    void repeatedUnhealthyEventsMergeIntoOneWithCountAndDescribeAge() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("/check"), since -> ExecResult.exited(1, "not healthy")));
        h.apply(checkLiveness("flaky", 10, 100));
        h.advanceSeconds(65); // failures at 0, 10, ..., 60
        Event unhealthy = PodViews.onlyEvent(h, "flaky", "Unhealthy");
        assertThat(unhealthy.getType()).isEqualTo("Warning");
        assertThat(unhealthy.getCount()).isEqualTo(7);
        assertThat(Times.parse(unhealthy.getFirstTimestamp())).isEqualTo(NodeHarness.T0);
        assertThat(Times.parse(unhealthy.getLastTimestamp())).isEqualTo(NodeHarness.T0.plusSeconds(60));
        assertThat(unhealthy.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
        assertThat(h.describeEvents("flaky")).contains(
                "Warning Unhealthy 5s (x7 over 65s) Liveness probe failed: not healthy",
                "Normal Started 65s Started container app");
        assertThat(h.events("flaky", "Killing")).isEmpty();
    }

    @Test
    void livenessRestartEventsCountAcrossInstances() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().tcp(8080, since -> since.getSeconds() < 6));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: restarts}
                spec:
                  containers:
                  - name: app
                    image: app:1.0
                    livenessProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 5
                      failureThreshold: 2
                """);
        // each instance answers for 6 s: failures 10, 15 (kill at 15), then 25, 30 (kill at 30)
        h.advanceSeconds(30);
        assertThat(h.runtimeLog().stream().filter(l -> l.endsWith("start app")))
                .containsExactly("0 start app", "15 start app", "30 start app");
        assertThat(h.describeEvents("restarts")).containsExactly(
                "Normal Pulled 0s (x3 over 30s) Container image \"app:1.0\" already present on machine",
                "Normal Created 0s (x3 over 30s) Created container: app",
                "Normal Started 0s (x3 over 30s) Started container app",
                "Warning Unhealthy 0s (x4 over 20s) Liveness probe failed: dial tcp 10.88.0.2:8080: connect: connection refused",
                "Normal Killing 0s (x2 over 15s) Container app failed liveness probe, will be restarted");
    }

    @Test
    void similarUnhealthyEventsWithChangingOutputAreCombinedAfterTen() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("/check"),
                since -> ExecResult.exited(1, "lag " + since.getSeconds() + "s")));
        h.apply(checkLiveness("lagging", 5, 100));
        h.advanceSeconds(55); // eleven different outputs at 0, 5, ..., 50 and one more at 55
        List<String> unhealthy = h.events("lagging", "Unhealthy");
        assertThat(unhealthy).hasSize(11);
        assertThat(unhealthy.subList(0, 3)).containsExactly("1x Liveness probe failed: lag 0s",
                "1x Liveness probe failed: lag 5s", "1x Liveness probe failed: lag 10s");
        assertThat(unhealthy.get(9)).isEqualTo("1x Liveness probe failed: lag 45s");
        assertThat(unhealthy.get(10)).isEqualTo("2x (combined from similar events): Liveness probe failed: lag 55s");
    }

    @Test
    void spamFilterAllowsABurstOf25PerPodThenOneEveryFiveMinutes() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("/check"), since -> ExecResult.exited(1, "down")));
        h.apply(checkLiveness("noisy", 1, 1000));
        // Pulled, Created, Started and 22 failures (0..21 s) use the burst; the rest is not sent
        h.advanceSeconds(299);
        assertThat(h.events("noisy", "Unhealthy")).containsExactly("22x Liveness probe failed: down");
        // the bucket refills one token per 300 s, continuously since it was first used: a whole
        // token is back at 300 s, and that update carries every occurrence counted meanwhile
        h.advanceSeconds(1);
        assertThat(h.events("noisy", "Unhealthy")).containsExactly("301x Liveness probe failed: down");
        assertThat(h.describeEvents("noisy")).contains("Warning Unhealthy 0s (x301 over 5m) Liveness probe failed: down");
        h.advanceSeconds(299);
        assertThat(h.events("noisy", "Unhealthy")).containsExactly("301x Liveness probe failed: down");
        h.advanceSeconds(1); // t=600
        assertThat(h.events("noisy", "Unhealthy")).containsExactly("601x Liveness probe failed: down");
    }

    @Test
    void crashLoopBackOffEventNamesThePodAndContainer() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(1), 2));
        h.apply(HELLO);
        h.advanceSeconds(5); // exits at 1 (restarted at once) and 2 (back-off 10 s)
        String uid = PodViews.uid(h, "hello");
        Event backOff = PodViews.onlyEvent(h, "hello", "BackOff");
        assertThat(backOff.getType()).isEqualTo("Warning");
        assertThat(backOff.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
        assertThat(backOff.getMessage()).isEqualTo("Back-off restarting failed container app in pod hello_default(" + uid + ")");
        // the exit shows until the retry 10 s later shows the back-off
        assertThat(h.kubectl("hello")).isEqualTo("0/1 Error 1 (4s ago)");
    }

    @Test
    void podLevelEventsHaveNoFieldPath() {
        NodeHarness h = new NodeHarness();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: deadline}
                spec:
                  activeDeadlineSeconds: 5
                  containers:
                  - name: app
                    image: app:1.0
                """);
        h.advanceSeconds(5);
        Event deadline = PodViews.onlyEvent(h, "deadline", "DeadlineExceeded");
        assertThat(deadline.getType()).isEqualTo("Normal");
        assertThat(deadline.getMessage()).isEqualTo("Pod was active on the node longer than the specified deadline");
        assertThat(deadline.getInvolvedObject().getFieldPath()).isNull();
        assertThat(deadline.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(eventsWithPath(h, "deadline", "Killing")).containsExactly("spec.containers{app} 1x Stopping container app");
        assertThat(h.pod("deadline").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(h.pod("deadline").getStatus().getReason()).isEqualTo("DeadlineExceeded");
    }
}
