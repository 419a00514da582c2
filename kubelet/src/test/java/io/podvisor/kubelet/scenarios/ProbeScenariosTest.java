package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.conditionWithDashes;
import static io.podvisor.kubelet.scenarios.PodViews.container;
import static io.podvisor.kubelet.scenarios.PodViews.logEndingWith;
import static io.podvisor.kubelet.scenarios.PodViews.phase;
import static io.podvisor.kubelet.scenarios.PodViews.readyStarted;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Startup, liveness and readiness probes (spec §7) as a user sees them: READY/STATUS/RESTARTS,
 * container flags, the Ready condition, Unhealthy/Killing events and the runtime's signal log.
 * Probe workers are created on the pod's first sync (t=0), probe at once and then every period.
 * A started container that is not ready is also re-probed at once whenever its pod's status is
 * regenerated (first sync, the relist a second after a container change, probe results), and its
 * readiness period then counts from that run (7.2).
 */
class ProbeScenariosTest {

    /** The article's agnhost stand-in: /healthz answers 200 for the first 10 s, then 500. */
    static final String AGNHOST_READINESS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: readiness-http}
            spec:
              containers:
              - name: web
                image: registry.k8s.io/e2e-test-images/agnhost:2.40
                args: ["liveness"]
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  periodSeconds: 5
                  failureThreshold: 3
            """;

    static NodeHarness agnhost(NodeHarness h, String container) {
        return h.script(container, script().http(8080, (path, since) ->
                !path.equals("/healthz") ? 404 : since.getSeconds() < 10 ? 200 : 500));
    }

    // ---- readiness (7.7) ----

    @Test
    void aRedirectToAnotherHostIsASuccessWithAProbeWarningEvent() {
        // upstream's HTTP prober does not follow a redirect to another host: the 3xx answer counts
        // as success, and the prober records "<Type> probe warning: Probe terminated redirects, ..."
        NodeHarness h = new NodeHarness();
        h.script("web", script().http(8080, (path, since) -> 302)
                .httpBody(8080, "<a href=\"http://login.example.com/\">Found</a>.\n\n"));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: redirected}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    readinessProbe:
                      httpGet: {path: /, port: 8080}
                      periodSeconds: 5
                    livenessProbe:
                      httpGet: {path: /, port: 8080}
                      periodSeconds: 10
                      failureThreshold: 1
                """);
        h.advanceSeconds(21);
        assertThat(h.kubectl("redirected")).isEqualTo("1/1 Running 0");
        assertThat(readyStarted(h, "redirected", "web")).isEqualTo("true true");
        assertThat(conditionWithDashes(h.pod("redirected"), "Ready")).isEqualTo("True - -");
        String body = "Response body: <a href=\"http://login.example.com/\">Found</a>.\n\n";
        assertThat(h.eventObjects("redirected").stream().filter(e -> e.getReason().equals("ProbeWarning"))
                .map(e -> e.getType() + " " + e.getInvolvedObject().getFieldPath() + " " + e.getCount() + "x " + e.getMessage()))
                .containsExactlyInAnyOrder(
                        "Warning spec.containers{web} 3x Liveness probe warning: Probe terminated redirects, " + body,
                        "Warning spec.containers{web} 5x Readiness probe warning: Probe terminated redirects, " + body);
        assertThat(h.events("redirected", "Unhealthy")).isEmpty();
        assertThat(h.events("redirected", "Killing")).isEmpty();
    }

    @Test
    void readinessHttpGetTurnsUnreadyAfterFailureThresholdAndNeverRestarts() {
        NodeHarness h = agnhost(new NodeHarness(), "web");
        h.apply(AGNHOST_READINESS);
        h.advanceSeconds(1);
        assertThat(h.kubectl("readiness-http")).isEqualTo("1/1 Running 0");
        assertThat(conditionWithDashes(h.pod("readiness-http"), "Ready")).isEqualTo("True - -");

        // failures at 10 and 15 do not reach the threshold of 3
        h.advanceSeconds(18);
        assertThat(h.kubectl("readiness-http")).isEqualTo("1/1 Running 0");
        assertThat(h.events("readiness-http", "Unhealthy"))
                .containsExactly("2x Readiness probe failed: HTTP probe failed with statuscode: 500");

        h.advanceSeconds(1); // t=20: third consecutive failure
        assertThat(h.kubectl("readiness-http")).isEqualTo("0/1 Running 0");
        assertThat(readyStarted(h, "readiness-http", "web")).isEqualTo("false true");
        assertThat(conditionWithDashes(h.pod("readiness-http"), "ContainersReady"))
                .isEqualTo("False ContainersNotReady containers with unready status: [web]");
        assertThat(conditionWithDashes(h.pod("readiness-http"), "Ready"))
                .isEqualTo("False ContainersNotReady containers with unready status: [web]");
        assertThat(h.events("readiness-http", "Unhealthy"))
                .containsExactly("3x Readiness probe failed: HTTP probe failed with statuscode: 500");

        h.advanceSeconds(80); // t=100: failing every 5 s, never restarted
        assertThat(h.kubectl("readiness-http")).isEqualTo("0/1 Running 0");
        assertThat(phase(h, "readiness-http")).isEqualTo("Running");
        assertThat(h.events("readiness-http", "Unhealthy"))
                .containsExactly("19x Readiness probe failed: HTTP probe failed with statuscode: 500");
        assertThat(h.events("readiness-http", "Killing")).isEmpty();
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("SIGTERM"));
    }

    @Test
    void readinessSuccessThresholdTwoNeedsTwoConsecutiveSuccesses() {
        NodeHarness h = new NodeHarness();
        // healthy, then 500 from 10 s to 20 s, then healthy again
        h.script("web", script().http(8080, (path, since) -> since.getSeconds() >= 10 && since.getSeconds() < 20 ? 500 : 200));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: two-successes}
                spec:
                  containers:
                  - name: web
                    image: agnhost
                    readinessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      periodSeconds: 5
                      successThreshold: 2
                      failureThreshold: 1
                """);
        // the first sync probes at once: one success is not enough
        assertThat(h.kubectl("two-successes")).isEqualTo("0/1 Running 0");
        assertThat(conditionWithDashes(h.pod("two-successes"), "Ready"))
                .isEqualTo("False ContainersNotReady containers with unready status: [web]");
        // the relist notices the new container at 1 s; that sync re-probes the unready container
        // at once (7.2) and the period restarts from there: ticks at 6, 11, 16, ...
        h.advanceSeconds(1);
        assertThat(h.kubectl("two-successes")).isEqualTo("1/1 Running 0");

        h.advanceSeconds(10); // t=11: one failure suffices with failureThreshold 1
        assertThat(h.kubectl("two-successes")).isEqualTo("0/1 Running 0");
        h.advanceSeconds(14); // t=25: 500 at 16, a single success at 21
        assertThat(h.kubectl("two-successes")).isEqualTo("0/1 Running 0");
        h.advanceSeconds(1); // t=26: second consecutive success
        assertThat(h.kubectl("two-successes")).isEqualTo("1/1 Running 0");
        assertThat(h.events("two-successes", "Unhealthy"))
                .containsExactly("2x Readiness probe failed: HTTP probe failed with statuscode: 500");
    }

    @Test
    void readinessInitialDelayIsRespected() {
        NodeHarness h = new NodeHarness();
        // the app answers 503 while warming up (7 s); probing earlier would record failures
        h.script("web", script().http(8080, (path, since) -> since.getSeconds() < 7 ? 503 : 200));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: delayed}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    readinessProbe:
                      httpGet: {path: /, port: 8080}
                      initialDelaySeconds: 7
                      periodSeconds: 5
                """);
        // the immediate runs at 0 and 1 s (first sync, relist) and the tick at 6 fall inside the delay
        h.advanceSeconds(10);
        assertThat(h.kubectl("delayed")).isEqualTo("0/1 Running 0");
        assertThat(readyStarted(h, "delayed", "web")).isEqualTo("false true");
        h.advanceSeconds(1); // t=11: first probe
        assertThat(h.kubectl("delayed")).isEqualTo("1/1 Running 0");
        assertThat(h.events("delayed", "Unhealthy")).isEmpty();
    }

    @Test
    void triggeredReadinessRunWaitsForTheProbeStillRunning() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("/ready"), ofSeconds(2), (since, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: slow-exec}
                spec:
                  containers:
                  - name: app
                    image: app:1.0
                    readinessProbe:
                      exec: {command: ["/ready"]}
                      timeoutSeconds: 5
                      periodSeconds: 10
                      successThreshold: 2
                """);
        // probe 1 runs 0..2; the relist's trigger at 1 waits for it, so probe 2 runs 2..4
        h.advanceSeconds(3);
        assertThat(h.kubectl("slow-exec")).isEqualTo("0/1 Running 0");
        h.advanceSeconds(1);
        assertThat(h.kubectl("slow-exec")).isEqualTo("1/1 Running 0");
    }

    @Test
    void containerWithoutReadinessProbeIsReadyAsSoonAsItRuns() {
        NodeHarness h = new NodeHarness();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: plain}
                spec:
                  containers:
                  - name: app
                    image: nginx
                """);
        // no time has passed: the first sync started the container and published it ready
        assertThat(h.kubectl("plain")).isEqualTo("1/1 Running 0");
        assertThat(readyStarted(h, "plain", "app")).isEqualTo("true true");
        assertThat(conditionWithDashes(h.pod("plain"), "ContainersReady")).isEqualTo("True - -");
        assertThat(conditionWithDashes(h.pod("plain"), "Ready")).isEqualTo("True - -");
    }

    // ---- liveness (7.5) ----

    static final String LIVENESS_HTTP = """
            apiVersion: v1
            kind: Pod
            metadata: {name: liveness-http}
            spec:
              restartPolicy: %s
              containers:
              - name: web
                image: registry.k8s.io/e2e-test-images/agnhost:2.40
                args: ["liveness"]
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  periodSeconds: 5
                  failureThreshold: 3
            """;

    @Test
    void httpLivenessFailureKillsAndRestartsThenBacksOff() {
        NodeHarness h = agnhost(new NodeHarness(), "web");
        h.apply(LIVENESS_HTTP.formatted("Always"));
        h.advanceSeconds(19);
        assertThat(h.kubectl("liveness-http")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(1); // t=20: failures at 10, 15, 20
        assertThat(h.events("liveness-http", "Unhealthy"))
                .containsExactly("3x Liveness probe failed: HTTP probe failed with statuscode: 500");
        assertThat(h.events("liveness-http", "Killing"))
                .containsExactly("1x Container web failed liveness probe, will be restarted");
        assertThat(h.runtimeLog()).contains("20 SIGTERM web timeout 30s");
        // the first liveness restart is immediate
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web", "20 start web");
        assertThat(h.kubectl("liveness-http")).isEqualTo("1/1 Running 1 (0s ago)");
        ContainerStatus web = container(h.pod("liveness-http"), "web");
        assertThat(web.getRestartCount()).isEqualTo(1);
        assertThat(web.getLastState().getTerminated().getExitCode()).isEqualTo(143);
        assertThat(web.getLastState().getTerminated().getReason()).isEqualTo("Error");

        // Every instance is healthy for 10 s, so it is killed 20 s after it started. The kill and
        // the restart are one sync: the back-off counts from the exit before the kill, which is
        // 20 s old, so restarts stay immediate until the delay (10, 20, 40 s) exceeds that.
        h.advanceSeconds(85); // t=105
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web", "20 start web", "40 start web",
                "60 start web", "80 start web");
        // the kill at 100 shows as the exit it was; the retry at 110 shows the back-off
        assertThat(h.kubectl("liveness-http")).isEqualTo("0/1 Error 4 (25s ago)");
        h.advanceSeconds(5);
        assertThat(h.kubectl("liveness-http")).isEqualTo("0/1 CrashLoopBackOff 4 (10s ago)");
        String uid = PodViews.uid(h, "liveness-http");
        assertThat(container(h.pod("liveness-http"), "web").getState().getWaiting().getMessage())
                .isEqualTo("back-off 40s restarting failed container=web pod=liveness-http_default(" + uid + ")");
        h.advanceSeconds(30); // t=140: 40 s after the exit at 100
        assertThat(logEndingWith(h, "start web")).endsWith("140 start web");
        assertThat(h.kubectl("liveness-http")).isEqualTo("1/1 Running 5 (40s ago)");
    }

    @Test
    void livenessFailureUnderRestartPolicyNeverStopsThePodAndPodFails() {
        NodeHarness h = agnhost(new NodeHarness(), "web");
        h.apply(LIVENESS_HTTP.formatted("Never"));
        h.advanceSeconds(20);
        // nothing is left to keep or start: upstream stops the whole pod, so the kill is the
        // pod's ("Stopping container"), not the probe's
        assertThat(h.events("liveness-http", "Killing")).containsExactly("1x Stopping container web");
        assertThat(h.runtimeLog()).contains("20 SIGTERM web timeout 30s");
        assertThat(phase(h, "liveness-http")).isEqualTo("Failed");
        assertThat(h.kubectl("liveness-http")).isEqualTo("0/1 Error 0");
        ContainerStatus web = container(h.pod("liveness-http"), "web");
        assertThat(web.getState().getTerminated().getExitCode()).isEqualTo(143);
        assertThat(conditionWithDashes(h.pod("liveness-http"), "Ready")).isEqualTo("False PodFailed -");

        h.advanceSeconds(100);
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web");
        assertThat(h.events("liveness-http", "Unhealthy"))
                .containsExactly("3x Liveness probe failed: HTTP probe failed with statuscode: 500");
    }

    @Test
    void livenessKillUnderNeverOfAnAppExitingZeroOnSigtermSucceeds() {
        NodeHarness h = agnhost(new NodeHarness(), "web");
        h.script("web", script().http(8080, (path, since) -> since.getSeconds() < 10 ? 200 : 500)
                .exitOnSigterm(ofSeconds(2), 0));
        h.apply(LIVENESS_HTTP.formatted("Never"));
        h.advanceSeconds(21);
        assertThat(phase(h, "liveness-http")).isEqualTo("Running");
        h.advanceSeconds(1); // t=22: the app exits 0, 2 s after SIGTERM
        assertThat(h.runtimeLog()).contains("20 SIGTERM web timeout 30s", "22 exit web code 0");
        assertThat(phase(h, "liveness-http")).isEqualTo("Succeeded");
        assertThat(h.kubectl("liveness-http")).isEqualTo("0/1 Completed 0");
    }

    @Test
    void tcpLivenessAgainstClosedPortReportsConnectionRefused() {
        NodeHarness h = new NodeHarness(); // the default script listens on no port
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness-tcp}
                spec:
                  containers:
                  - name: app
                    image: redis
                    livenessProbe:
                      tcpSocket: {port: 8080}
                      initialDelaySeconds: 15
                      periodSeconds: 10
                """);
        h.advanceSeconds(39); // probes at 20 and 30 failed
        assertThat(h.events("liveness-tcp", "Killing")).isEmpty();
        h.advanceSeconds(1); // t=40: third failure
        assertThat(h.events("liveness-tcp", "Unhealthy"))
                .containsExactly("3x Liveness probe failed: dial tcp 10.88.0.2:8080: connect: connection refused");
        assertThat(h.events("liveness-tcp", "Killing"))
                .containsExactly("1x Container app failed liveness probe, will be restarted");
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app", "40 start app");
    }

    @Test
    void aTimedOutExecProbeNamesItsCommandQuotedAsGoDoes() {
        // upstream's CRI client: fmt.Errorf("command %q timed out", strings.Join(cmd, " "))
        NodeHarness h = new NodeHarness();
        List<String> command = List.of("sh", "-c", "sleep 5; echo \"ok\"");
        h.script("app", script().exec(command, ofSeconds(5), (since, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: quoted}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    readinessProbe:
                      exec: {command: ["sh", "-c", "sleep 5; echo \\"ok\\""]}
                      periodSeconds: 10
                """);
        h.advanceSeconds(1);
        assertThat(h.eventObjects("quoted").stream().filter(e -> e.getReason().equals("Unhealthy"))
                .map(e -> e.getType() + " " + e.getInvolvedObject().getFieldPath() + " " + e.getMessage()))
                .containsExactly("Warning spec.containers{app} Readiness probe failed: command \"sh -c sleep 5; echo \\\"ok\\\"\" timed out");
        assertThat(h.kubectl("quoted")).isEqualTo("0/1 Running 0");
    }

    @Test
    void execProbeThatOutlivesTimeoutSecondsFailsWithTimedOut() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("sleep", "10"), ofSeconds(10), (since, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: exec-timeout}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    livenessProbe:
                      exec: {command: ["sleep", "10"]}
                      timeoutSeconds: 2
                      periodSeconds: 5
                      failureThreshold: 2
                """);
        h.advanceSeconds(6);
        // the probe started at 0 timed out at 2; the one started at 5 is still running
        assertThat(h.events("exec-timeout", "Unhealthy"))
                .containsExactly("1x Liveness probe failed: command \"sleep 10\" timed out");
        assertThat(h.events("exec-timeout", "Killing")).isEmpty();
        h.advanceSeconds(1); // t=7: second time-out
        assertThat(h.events("exec-timeout", "Unhealthy"))
                .containsExactly("2x Liveness probe failed: command \"sleep 10\" timed out");
        assertThat(h.events("exec-timeout", "Killing"))
                .containsExactly("1x Container app failed liveness probe, will be restarted");
        assertThat(h.runtimeLog()).contains("7 SIGTERM app timeout 30s", "7 start app");
    }

    @Test
    void grpcNotServingMakesContainerUnready() {
        NodeHarness h = new NodeHarness();
        h.script("etcd", script().grpc(2379, since -> since.getSeconds() < 10 ? "SERVING" : "NOT_SERVING"));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: grpc}
                spec:
                  containers:
                  - name: etcd
                    image: etcd
                    readinessProbe:
                      grpc: {port: 2379}
                      periodSeconds: 5
                      failureThreshold: 1
                """);
        h.advanceSeconds(9);
        assertThat(h.kubectl("grpc")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(1);
        assertThat(h.kubectl("grpc")).isEqualTo("0/1 Running 0");
        assertThat(h.events("grpc", "Unhealthy"))
                .containsExactly("1x Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")");
    }

    @Test
    void httpGetNamedPortResolvesFromContainerPorts() {
        NodeHarness h = new NodeHarness();
        // only 8081 listens: probing anything else would be refused
        h.script("web", script().http(8081, (path, since) -> since.getSeconds() < 10 ? 200 : 500));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: named-port}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    ports:
                    - {name: http, containerPort: 8080}
                    - {name: admin, containerPort: 8081}
                    readinessProbe:
                      httpGet: {path: /ready, port: admin}
                      periodSeconds: 5
                      failureThreshold: 1
                """);
        h.advanceSeconds(1);
        assertThat(h.kubectl("named-port")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(9);
        assertThat(h.kubectl("named-port")).isEqualTo("0/1 Running 0");
        assertThat(h.events("named-port", "Unhealthy"))
                .containsExactly("1x Readiness probe failed: HTTP probe failed with statuscode: 500");
    }

    @Test
    void proberErrorIsDiscardedAndNeverCountsTowardTheThreshold() {
        NodeHarness h = new NodeHarness();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bad-port}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    ports: [{name: http, containerPort: 8080}]
                    livenessProbe:
                      httpGet: {path: /, port: metrics}
                      periodSeconds: 5
                      failureThreshold: 1
                """);
        h.advanceSeconds(60);
        assertThat(h.events("bad-port", "Killing")).isEmpty();
        assertThat(h.events("bad-port", "Unhealthy")).singleElement().asString()
                .startsWith("13x Liveness probe errored and resulted in unknown state: ");
        assertThat(h.kubectl("bad-port")).isEqualTo("1/1 Running 0");
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web");
    }

    @Test
    void livenessKillUsesProbeLevelTerminationGracePeriod() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: probe-grace}
                spec:
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: app
                    image: busybox
                    livenessProbe:
                      tcpSocket: {port: 8080}
                      initialDelaySeconds: 10
                      periodSeconds: 5
                      failureThreshold: 1
                      terminationGracePeriodSeconds: 5
                """);
        h.advanceSeconds(14);
        // the process ignores SIGTERM: only the probe's 5 s (not the pod's 60 s) pass before SIGKILL
        assertThat(h.runtimeLog()).contains("10 SIGTERM app timeout 5s");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("SIGKILL"));
        assertThat(h.kubectl("probe-grace")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(1); // t=15
        assertThat(h.runtimeLog()).contains("15 SIGKILL app", "15 start app");
        ContainerStatus app = container(h.pod("probe-grace"), "app");
        assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(app.getRestartCount()).isEqualTo(1);
    }

    @Test
    void livenessKillRunsPreStopWithinTheProbeGracePeriod() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: prestop-on-liveness}
                spec:
                  containers:
                  - name: app
                    image: app:1.0
                    lifecycle:
                      preStop:
                        sleep: {seconds: 4}
                    livenessProbe:
                      tcpSocket: {port: 8080}
                      initialDelaySeconds: 10
                      periodSeconds: 5
                      failureThreshold: 1
                      terminationGracePeriodSeconds: 10
                """);
        h.advanceSeconds(29);
        // killed at 10: preStop for 4 s, then SIGTERM with the 6 s left, SIGKILL and restart at 20
        assertThat(h.runtimeLog()).contains("14 SIGTERM app timeout 6s", "20 SIGKILL app", "20 start app");
        assertThat(h.events("prestop-on-liveness", "Killing"))
                .containsExactly("1x Container app failed liveness probe, will be restarted");
    }

    @Test
    void readinessKeepsProbingDuringTerminationWhileLivenessStops() {
        NodeHarness h = new NodeHarness();
        // healthy for 30 s; then both endpoints answer 500. The process ignores SIGTERM.
        h.script("web", script().ignoreSigterm().http(8080, (path, since) -> since.getSeconds() < 30 ? 200 : 500));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: draining}
                spec:
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: web
                    image: nginx:1.27
                    readinessProbe:
                      httpGet: {path: /ready, port: 8080}
                      periodSeconds: 5
                      failureThreshold: 1
                    livenessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      periodSeconds: 5
                      failureThreshold: 1
                """);
        h.advanceSeconds(20);
        h.delete("draining");
        assertThat(h.runtimeLog()).contains("20 SIGTERM web timeout 60s");
        h.advanceSeconds(9);
        // deletion alone does not make the pod unready (3.8)
        assertThat(h.kubectl("draining")).isEqualTo("1/1 Terminating 0");
        assertThat(PodViews.conditionWithDashes(h.pod("draining"), "Ready")).isEqualTo("True - -");
        h.advanceSeconds(1); // t=30: readiness fails and the pod turns unready while terminating
        assertThat(h.kubectl("draining")).isEqualTo("0/1 Terminating 0");
        assertThat(PodViews.conditionWithDashes(h.pod("draining"), "Ready"))
                .isEqualTo("False ContainersNotReady containers with unready status: [web]");
        h.advanceSeconds(49); // t=79: readiness failed every 5 s; liveness never ran after deletion
        assertThat(h.events("draining", "Unhealthy"))
                .containsExactly("10x Readiness probe failed: HTTP probe failed with statuscode: 500");
        assertThat(h.events("draining", "Killing")).containsExactly("1x Stopping container web");
        h.advanceSeconds(1); // t=80
        assertThat(h.runtimeLog()).contains("80 SIGKILL web");
        assertThat(h.pod("draining")).isNull();
        assertThat(logEndingWith(h, "start web")).containsExactly("0 start web");
    }

    // ---- the articles' liveness labs, reproduced to the second ----

    @Test
    void articleExecLivenessLabWithShellThatIgnoresSigterm() {
        NodeHarness h = new NodeHarness();
        // the shell (PID 1) ignores SIGTERM; /tmp/healthy exists for the first 15 s
        h.script("liveness", script().ignoreSigterm().exec(List.of("cat", "/tmp/healthy"), since -> since.getSeconds() < 15
                ? ExecResult.exited(0, "")
                : ExecResult.exited(1, "cat: /tmp/healthy: No such file or directory\n")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: exec-liveness}
                spec:
                  containers:
                  - name: liveness
                    image: docker.io/library/rockylinux:9.2
                    args: ["/bin/sh", "-c", "touch /tmp/healthy && sleep 15 && rm -f /tmp/healthy && sleep 300"]
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/healthy"]}
                      periodSeconds: 3
                      initialDelaySeconds: 30
                      timeoutSeconds: 1
                      successThreshold: 1
                      failureThreshold: 3
                """);
        h.advanceSeconds(101);
        // failures at 30, 33, 36; killed at 36 but SIGKILLed only after the pod's 30 s grace
        assertThat(h.runtimeLog()).contains("36 SIGTERM liveness timeout 30s", "66 SIGKILL liveness", "66 start liveness");
        assertThat(h.describeEvents("exec-liveness").stream().map(String::strip)).containsExactlyInAnyOrder(
                "Normal Killing 65s Container liveness failed liveness probe, will be restarted",
                "Normal Pulled 35s (x2 over 101s) Container image \"docker.io/library/rockylinux:9.2\" already present on machine",
                "Normal Created 35s (x2 over 101s) Created container: liveness",
                "Normal Started 35s (x2 over 101s) Started container liveness",
                "Warning Unhealthy 2s (x5 over 71s) Liveness probe failed: cat: /tmp/healthy: No such file or directory");
        assertThat(h.kubectl("exec-liveness")).isEqualTo("1/1 Running 1 (35s ago)");
    }

    @Test
    void articleHttpLivenessLabStopsShowingEventsOnceTheSpamFilterIsEmpty() {
        NodeHarness h = new NodeHarness();
        h.script("liveness", script().http(8080, (path, since) -> since.getSeconds() < 10 ? 200 : 500));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: http-liveness}
                spec:
                  containers:
                  - name: liveness
                    image: registry.k8s.io/e2e-test-images/agnhost:2.40
                    args: [liveness]
                    livenessProbe:
                      httpGet:
                        path: /healthz
                        port: 8080
                        httpHeaders:
                        - {name: Custom-Header, value: Awesome}
                      periodSeconds: 3
                """);
        h.advanceSeconds(125);
        // killed and restarted at once at 18, 36 and 54; the kubelet's 25-event burst is used up by
        // the Unhealthy event at 66, so later failures, kills and back-offs are not recorded
        assertThat(logEndingWith(h, "start liveness")).startsWith("0 start liveness", "18 start liveness", "36 start liveness",
                "54 start liveness");
        assertThat(h.describeEvents("http-liveness")).containsExactlyInAnyOrder(
                "Normal Pulled 71s (x4 over 2m5s) Container image \"registry.k8s.io/e2e-test-images/agnhost:2.40\" already present on machine",
                "Normal Created 71s (x4 over 2m5s) Created container: liveness",
                "Normal Started 71s (x4 over 2m5s) Started container liveness",
                "Normal Killing 71s (x3 over 107s) Container liveness failed liveness probe, will be restarted",
                "Warning Unhealthy 59s (x10 over 113s) Liveness probe failed: HTTP probe failed with statuscode: 500");
    }

    @Test
    void articleTcpLivenessLabOnAPortNobodyListensOn() {
        NodeHarness h = new NodeHarness();
        h.script("goproxy", script().tcp(8080, since -> true));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: tcp-liveness}
                spec:
                  containers:
                  - name: goproxy
                    image: registry.k8s.io/goproxy:0.1
                    ports:
                    - containerPort: 8080
                    readinessProbe:
                      tcpSocket: {port: 8080}
                      initialDelaySeconds: 15
                      periodSeconds: 10
                    livenessProbe:
                      tcpSocket: {port: 8081}
                      initialDelaySeconds: 15
                      timeoutSeconds: 1
                      periodSeconds: 10
                      successThreshold: 1
                      failureThreshold: 3
                """);
        h.advanceSeconds(92);
        assertThat(logEndingWith(h, "start goproxy")).containsExactly("0 start goproxy", "40 start goproxy", "80 start goproxy");
        assertThat(h.describeEvents("tcp-liveness")).containsExactlyInAnyOrder(
                "Normal Pulled 12s (x3 over 92s) Container image \"registry.k8s.io/goproxy:0.1\" already present on machine",
                "Normal Created 12s (x3 over 92s) Created container: goproxy",
                "Normal Started 12s (x3 over 92s) Started container goproxy",
                "Warning Unhealthy 12s (x6 over 72s) Liveness probe failed: dial tcp 10.88.0.2:8081: connect: connection refused",
                "Normal Killing 12s (x2 over 52s) Container goproxy failed liveness probe, will be restarted");
        // the new instance is not ready before its readiness probe's initial delay has passed
        assertThat(h.kubectl("tcp-liveness")).isEqualTo("0/1 Running 2 (12s ago)");
    }

    // ---- startup (7.6) ----

    @Test
    void startupProbeHoldsOffLivenessAndReadinessUntilItSucceeds() {
        NodeHarness h = new NodeHarness();
        // the port opens only after 20 s; a liveness probe running earlier would kill the app at once
        h.script("app", script().tcp(8080, since -> since.getSeconds() >= 20).http(8080, (path, since) -> 200));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: slow-start}
                spec:
                  containers:
                  - name: app
                    image: legacy
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 5
                      failureThreshold: 10
                    livenessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      periodSeconds: 3
                      failureThreshold: 1
                    readinessProbe:
                      httpGet: {path: /ready, port: 8080}
                      periodSeconds: 3
                """);
        h.advanceSeconds(19);
        assertThat(readyStarted(h, "slow-start", "app")).isEqualTo("false false");
        assertThat(h.kubectl("slow-start")).isEqualTo("0/1 Running 0");
        assertThat(h.events("slow-start", "Unhealthy"))
                .containsExactly("4x Startup probe failed: dial tcp 10.88.0.2:8080: connect: connection refused");
        h.advanceSeconds(1); // t=20: startup succeeds; readiness is run right away (7.6)
        assertThat(readyStarted(h, "slow-start", "app")).isEqualTo("true true");
        assertThat(h.kubectl("slow-start")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(100);
        assertThat(h.events("slow-start", "Unhealthy"))
                .containsExactly("4x Startup probe failed: dial tcp 10.88.0.2:8080: connect: connection refused");
        assertThat(h.events("slow-start", "Killing")).isEmpty();
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app");
    }

    @Test
    void readinessRunsImmediatelyAfterStartupSucceeds() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().tcp(8080, since -> since.getSeconds() >= 12).http(8080, (path, since) -> 200));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ready-after-start}
                spec:
                  containers:
                  - name: app
                    image: legacy
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 5
                      failureThreshold: 10
                    readinessProbe:
                      httpGet: {path: /ready, port: 8080}
                      periodSeconds: 10
                """);
        h.advanceSeconds(14);
        assertThat(readyStarted(h, "ready-after-start", "app")).isEqualTo("false false");
        // startup succeeds at its tick at 15; readiness (ticking at 10, 20, ...) is triggered at once
        h.advanceSeconds(1);
        assertThat(readyStarted(h, "ready-after-start", "app")).isEqualTo("true true");
        assertThat(h.kubectl("ready-after-start")).isEqualTo("1/1 Running 0");
    }

    @Test
    void startupFailureThresholdKillsAndRestarts() {
        NodeHarness h = new NodeHarness(); // never listens
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: never-starts}
                spec:
                  containers:
                  - name: app
                    image: legacy
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 5
                      failureThreshold: 3
                """);
        h.advanceSeconds(9);
        assertThat(readyStarted(h, "never-starts", "app")).isEqualTo("false false");
        assertThat(h.events("never-starts", "Killing")).isEmpty();
        h.advanceSeconds(1); // t=10: failures at 0, 5, 10
        assertThat(h.events("never-starts", "Killing"))
                .containsExactly("1x Container app failed startup probe, will be restarted");
        assertThat(h.events("never-starts", "Unhealthy"))
                .containsExactly("3x Startup probe failed: dial tcp 10.88.0.2:8080: connect: connection refused");
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app", "10 start app");
        assertThat(h.kubectl("never-starts")).isEqualTo("0/1 Running 1 (0s ago)");
        assertThat(readyStarted(h, "never-starts", "app")).isEqualTo("false false");

        // each instance is probed from scratch and killed 15 s after it started; the back-off
        // counts from the exit before each kill: none, 10 s ago (no entry yet), 15 s ago (< 20 s)
        h.advanceSeconds(15); // t=25
        assertThat(h.events("never-starts", "Killing"))
                .containsExactly("2x Container app failed startup probe, will be restarted");
        assertThat(h.kubectl("never-starts")).isEqualTo("0/1 Running 2 (0s ago)");
        h.advanceSeconds(35); // t=60
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app", "10 start app", "25 start app", "40 start app");
        assertThat(h.kubectl("never-starts")).isEqualTo("0/1 CrashLoopBackOff 3 (5s ago)");
        h.advanceSeconds(15); // t=75: 20 s after the exit at 55
        assertThat(logEndingWith(h, "start app")).endsWith("75 start app");
    }
}
