package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.conditionWithDashes;
import static io.podvisor.kubelet.scenarios.PodViews.container;
import static io.podvisor.kubelet.scenarios.PodViews.eventsWithPath;
import static io.podvisor.kubelet.scenarios.PodViews.logEndingWith;
import static io.podvisor.kubelet.scenarios.PodViews.phase;
import static io.podvisor.kubelet.scenarios.PodViews.readyStarted;
import static io.podvisor.kubelet.scenarios.PodViews.starts;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.fake.ContainerScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Native sidecars ({@code initContainers[*].restartPolicy: Always}, spec §6) in virtual time. */
class SidecarScenariosTest {

    // ---- start gating (6.2) ----

    @Test
    void sidecarStartupProbeGatesTheNextInitContainerAndTheMain() {
        NodeHarness h = new NodeHarness();
        h.script("proxy", script().tcp(15000, since -> since.getSeconds() >= 12));
        h.script("migrate", script().exitAfter(ofSeconds(3), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: gated}
                spec:
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    startupProbe:
                      tcpSocket: {port: 15000}
                      periodSeconds: 5
                      failureThreshold: 10
                  - name: migrate
                    image: flyway
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(14);
        assertThat(h.kubectl("gated")).isEqualTo("0/2 Init:0/2 0");
        assertThat(phase(h, "gated")).isEqualTo("Pending");
        assertThat(readyStarted(h, "gated", "proxy")).isEqualTo("false false");
        assertThat(conditionWithDashes(h.pod("gated"), "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [proxy migrate]");
        assertThat(container(h.pod("gated"), "app").getState().getWaiting().getReason()).isEqualTo("PodInitializing");

        h.advanceSeconds(1); // t=15: startup probe passes; the regular init container may run
        assertThat(h.kubectl("gated")).isEqualTo("1/2 Init:1/2 0");
        assertThat(phase(h, "gated")).isEqualTo("Pending");
        assertThat(conditionWithDashes(h.pod("gated"), "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [migrate]");

        h.advanceSeconds(3); // t=18: migrate exits 0, app starts
        assertThat(h.kubectl("gated")).isEqualTo("2/2 Running 0");
        assertThat(phase(h, "gated")).isEqualTo("Running");
        assertThat(conditionWithDashes(h.pod("gated"), "Initialized")).isEqualTo("True - -");
        assertThat(conditionWithDashes(h.pod("gated"), "Ready")).isEqualTo("True - -");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains(" start ")))
                .containsExactly("0 start proxy", "15 start migrate", "18 start app");
    }

    @Test
    void threeSidecarsStartStrictlyInOrder() {
        NodeHarness h = new NodeHarness();
        // each listens 3 s after it starts; its startup probe passes at its next 5 s tick
        h.script("s1", script().tcp(7001, since -> since.getSeconds() >= 3));
        h.script("s2", script().tcp(7002, since -> since.getSeconds() >= 3));
        h.script("s3", script().tcp(7003, since -> since.getSeconds() >= 3));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: three}
                spec:
                  initContainers:
                  - {name: s1, image: a, restartPolicy: Always, startupProbe: {tcpSocket: {port: 7001}, periodSeconds: 5}}
                  - {name: s2, image: b, restartPolicy: Always, startupProbe: {tcpSocket: {port: 7002}, periodSeconds: 5}}
                  - {name: s3, image: c, restartPolicy: Always, startupProbe: {tcpSocket: {port: 7003}, periodSeconds: 5}}
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(12);
        assertThat(h.kubectl("three")).isEqualTo("2/4 Init:2/3 0");
        assertThat(readyStarted(h, "three", "s3")).isEqualTo("false false");
        h.advanceSeconds(3);
        assertThat(h.runtimeLog().stream().filter(l -> l.contains(" start ")))
                .containsExactly("0 start s1", "5 start s2", "10 start s3", "15 start app");
        assertThat(h.kubectl("three")).isEqualTo("4/4 Running 0");
        assertThat(eventsWithPath(h, "three", "Unhealthy")).containsExactly(
                "spec.initContainers{s1} 1x Startup probe failed: dial tcp 10.88.0.2:7001: connect: connection refused",
                "spec.initContainers{s2} 1x Startup probe failed: dial tcp 10.88.0.2:7002: connect: connection refused",
                "spec.initContainers{s3} 1x Startup probe failed: dial tcp 10.88.0.2:7003: connect: connection refused");
    }

    // ---- readiness of sidecars (6.5, 12.1) ----

    @Test
    void sidecarReadinessCountsInReadyColumnButDoesNotGateTheMain() {
        NodeHarness h = new NodeHarness();
        // warming up for 3 s, healthy until 30 s, then failing
        h.script("proxy", script().http(15020, (path, since) ->
                since.getSeconds() < 3 || since.getSeconds() >= 30 ? 503 : 200));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: mesh}
                spec:
                  initContainers:
                  - name: proxy
                    image: istio/proxyv2
                    restartPolicy: Always
                    readinessProbe:
                      httpGet: {path: /healthz/ready, port: 15020}
                      periodSeconds: 5
                      failureThreshold: 1
                  containers:
                  - name: web
                    image: nginx
                """);
        // the main container starts although the sidecar is not ready (6.2)
        assertThat(h.kubectl("mesh")).isEqualTo("1/2 Running 0");
        assertThat(readyStarted(h, "mesh", "proxy")).isEqualTo("false true");
        assertThat(conditionWithDashes(h.pod("mesh"), "Ready"))
                .isEqualTo("False ContainersNotReady containers with unready status: [proxy]");
        // probed at 0, again at 1 s (the relist's sync re-probes the unready sidecar), then every
        // 5 s from there: ready at 6, unready at 31
        h.advanceSeconds(6);
        assertThat(h.kubectl("mesh")).isEqualTo("2/2 Running 0");
        assertThat(conditionWithDashes(h.pod("mesh"), "Ready")).isEqualTo("True - -");
        h.advanceSeconds(24); // t=30
        assertThat(h.kubectl("mesh")).isEqualTo("2/2 Running 0");
        h.advanceSeconds(1); // t=31
        assertThat(h.kubectl("mesh")).isEqualTo("1/2 Running 0");
        assertThat(conditionWithDashes(h.pod("mesh"), "ContainersReady"))
                .isEqualTo("False ContainersNotReady containers with unready status: [proxy]");
        assertThat(eventsWithPath(h, "mesh", "Unhealthy"))
                .containsExactly("spec.initContainers{proxy} 3x Readiness probe failed: HTTP probe failed with statuscode: 503");
        assertThat(phase(h, "mesh")).isEqualTo("Running");
    }

    @Test
    void onlySidecarsBeforeTheFirstUnstartedOneCountInReady() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("s1", attempt -> attempt < 1 ? script().exitAfter(ofSeconds(5), 1) : script().exitAfter(ofSeconds(1), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: partly}
                spec:
                  initContainers:
                  - {name: s1, image: a, restartPolicy: Always}
                  - {name: s2, image: b, restartPolicy: Always}
                  containers:
                  - name: app
                    image: app
                """);
        assertThat(h.kubectl("partly")).isEqualTo("3/3 Running 0");
        h.advanceSeconds(8); // s1 exited at 5, restarted at once, exited at 6: backing off
        // kubectl's init loop stops at s1, so the running and ready s2 is not counted
        assertThat(readyStarted(h, "partly", "s2")).isEqualTo("true true");
        assertThat(h.kubectl("partly")).isEqualTo("1/3 Init:Error 1 (3s ago)");
        h.advanceSeconds(8); // the retry at 16 shows the back-off, and the back-off has ended: restarted
        assertThat(h.kubectlWatch("partly")).contains("16 1/3 Init:CrashLoopBackOff 1 (10s ago)");
        assertThat(phase(h, "partly")).isEqualTo("Running");
    }

    // ---- restarts (6.4) ----

    @Test
    void exitingSidecarIsRestartedWithBackOffEvenUnderRestartPolicyNever() {
        NodeHarness h = new NodeHarness();
        h.script("logger", script().exitAfter(ofSeconds(5), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: sidecar-never}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - name: logger
                    image: fluent-bit
                    restartPolicy: Always
                  containers:
                  - name: main
                    image: batch
                """);
        h.advanceSeconds(35);
        // exits at 5 (restart at once), 10 (back-off 10 s), 25 (back-off 20 s, shown from the retry at 35)
        assertThat(logEndingWith(h, "start logger")).containsExactly("0 start logger", "5 start logger", "20 start logger");
        ContainerStatus logger = container(h.pod("sidecar-never"), "logger");
        assertThat(logger.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(logger.getState().getWaiting().getMessage())
                .startsWith("back-off 20s restarting failed container=logger pod=sidecar-never_default(");
        assertThat(logger.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(logger.getRestartCount()).isEqualTo(2);
        assertThat(phase(h, "sidecar-never")).isEqualTo("Running");
        // kubectl's init loop stops at the waiting sidecar; restarts = sidecar + main restarts
        assertThat(h.kubectl("sidecar-never")).isEqualTo("1/2 Init:CrashLoopBackOff 2 (10s ago)");
        // one Warning event, merged over every sync that found the sidecar backing off
        String uid = PodViews.uid(h, "sidecar-never");
        Event backOff = PodViews.onlyEvent(h, "sidecar-never", "BackOff");
        assertThat(backOff.getType()).isEqualTo("Warning");
        assertThat(backOff.getInvolvedObject().getFieldPath()).isEqualTo("spec.initContainers{logger}");
        assertThat(backOff.getMessage())
                .isEqualTo("Back-off restarting failed container logger in pod sidecar-never_default(" + uid + ")");
        assertThat(backOff.getCount()).isGreaterThanOrEqualTo(2);

        h.advanceSeconds(11); // t=46
        assertThat(logEndingWith(h, "start logger")).containsExactly("0 start logger", "5 start logger", "20 start logger",
                "45 start logger");
        assertThat(h.kubectl("sidecar-never")).isEqualTo("2/2 Running 3 (21s ago)");
        assertThat(logEndingWith(h, "start main")).containsExactly("0 start main");
    }

    @Test
    void sidecarCrashLoopingAfterMainsStartedKeepsPodRunning() {
        NodeHarness h = new NodeHarness();
        h.script("agent", script().exitAfter(ofSeconds(2), 0)); // even exit 0 restarts a sidecar
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crashing-agent}
                spec:
                  initContainers:
                  - name: agent
                    image: datadog
                    restartPolicy: Always
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(300);
        assertThat(phase(h, "crashing-agent")).isEqualTo("Running");
        // starts at 0, 2, 14 (+10), 36 (+20), 78 (+40), 160 (+80); next at 322 (+160)
        assertThat(logEndingWith(h, "start agent")).containsExactly("0 start agent", "2 start agent", "14 start agent",
                "36 start agent", "78 start agent", "160 start agent");
        assertThat(h.kubectl("crashing-agent")).isEqualTo("1/2 Init:CrashLoopBackOff 5 (2m18s ago)");
        assertThat(conditionWithDashes(h.pod("crashing-agent"), "Initialized")).isEqualTo("True - -");
        assertThat(conditionWithDashes(h.pod("crashing-agent"), "Ready"))
                .isEqualTo("False ContainersNotReady containers with unready status: [agent]");
        ContainerStatus agent = container(h.pod("crashing-agent"), "agent");
        assertThat(agent.getLastState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(container(h.pod("crashing-agent"), "app").getRestartCount()).isZero();
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app");
    }

    /**
     * Upstream counts the pod as initialized only while a main container is created or running, or
     * when its last init container is done (a sidecar: running and started). So once the only main
     * container has exited while the last sidecar backs off, the main container waits for the
     * sidecar to run again, even past its own back-off.
     */
    @Test
    void exitedMainContainerWaitsForTheLastSidecarToRunAgain() {
        NodeHarness h = new NodeHarness();
        h.script("logger", script().exitAfter(ofSeconds(5), 1));
        h.script("app", script().exitAfter(ofSeconds(12), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: main-waits}
                spec:
                  initContainers:
                  - {name: logger, image: fluent-bit, restartPolicy: Always}
                  containers:
                  - {name: app, image: app}
                """);
        h.advanceSeconds(19);
        // logger: exits at 5 (restarted at once) and 10 (back-off until 20); app exited at 12
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app");
        // no restart of app was attempted, so it shows its exit, not a back-off
        assertThat(h.kubectl("main-waits")).isEqualTo("0/2 Error 1 (9s ago)");
        assertThat(container(h.pod("main-waits"), "app").getState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(phase(h, "main-waits")).isEqualTo("Running");
        h.advanceSeconds(1); // t=20: logger runs again, and then app (its first restart is immediate)
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app", "20 start app");
        h.advanceSeconds(30); // t=50: app exited at 32 (back-off 10 s) while logger is down until 45
        assertThat(logEndingWith(h, "start logger")).containsExactly("0 start logger", "5 start logger",
                "20 start logger", "45 start logger");
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app", "20 start app", "45 start app");
        assertThat(container(h.pod("main-waits"), "app").getRestartCount()).isEqualTo(2);
    }

    @Test
    void sidecarProbesResumeAfterItsRestartUnderRestartPolicyNever() {
        NodeHarness h = new NodeHarness();
        // the first two instances exit after 3 s; the third one stays
        h.runtime().script("proxy", attempt -> {
            ContainerScript s = script().http(15020, (path, since) -> 200);
            return attempt < 2 ? s.exitAfter(ofSeconds(3), 1) : s;
        });
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: probe-after-restart}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    readinessProbe:
                      httpGet: {path: /ready, port: 15020}
                      periodSeconds: 5
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(15); // exits at 3 and 6; back-off until 16
        assertThat(h.kubectl("probe-after-restart")).isEqualTo("1/2 Init:CrashLoopBackOff 1 (9s ago)");
        h.advanceSeconds(1); // t=16: the third instance starts and is probed at once
        assertThat(logEndingWith(h, "start proxy")).containsExactly("0 start proxy", "3 start proxy", "16 start proxy");
        assertThat(h.kubectl("probe-after-restart")).isEqualTo("2/2 Running 2 (10s ago)");
        assertThat(readyStarted(h, "probe-after-restart", "proxy")).isEqualTo("true true");
        h.advanceSeconds(60);
        assertThat(h.kubectl("probe-after-restart")).isEqualTo("2/2 Running 2 (70s ago)");
    }

    /**
     * A regular init container after a crash-looping sidecar is restarted on its own back-off
     * (5.3, 16.2): upstream walks the init containers from the last one that ran backwards, so the
     * failed init container is restarted while the sidecar before it waits out its own back-off;
     * it does not wait for the sidecar to run again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OnFailure", "Always"})
    void initContainerAfterCrashLoopingSidecarRestartsOnItsOwnBackOff(String policy) {
        NodeHarness h = new NodeHarness();
        h.script("proxy", script().exitAfter(ofSeconds(1), 1));
        h.script("migrate", script().exitAfter(ofSeconds(3), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: behind-sidecar}
                spec:
                  restartPolicy: %s
                  initContainers:
                  - {name: proxy, image: envoy, restartPolicy: Always}
                  - {name: migrate, image: flyway}
                  containers:
                  - {name: app, image: app}
                """.formatted(policy));
        String uid = PodViews.uid(h, "behind-sidecar");
        // both run at 0: the sidecar started, so the init container after it starts
        assertThat(h.kubectl("behind-sidecar")).isEqualTo("1/2 Init:1/2 0");

        h.advanceSeconds(4); // proxy exited at 1 (restarted at once) and 2 (back-off 10 s, until 12)
        // migrate exited at 3 and was restarted at once although proxy is down
        assertThat(starts(h, "migrate")).containsExactly(0L, 3L);
        h.advanceSeconds(4); // t=8: migrate exited again at 6: back-off 10 s, until 16
        assertThat(h.kubectl("behind-sidecar")).isEqualTo("0/2 Init:CrashLoopBackOff 1 (6s ago)");
        // migrate shows its exit until the retry that shows its back-off (here at 16, also its restart)
        ContainerStatus migrate = container(h.pod("behind-sidecar"), "migrate");
        assertThat(migrate.getState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(migrate.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(migrate.getRestartCount()).isEqualTo(1);

        h.advanceSeconds(4); // t=12: proxy is back; kubectl's init loop now reaches migrate
        assertThat(h.kubectl("behind-sidecar")).isEqualTo("1/2 Init:CrashLoopBackOff 3 (6s ago)");
        h.advanceSeconds(5); // t=17: proxy exited at 13 (back-off 20 s, until 33); migrate ran again at 16
        assertThat(h.kubectl("behind-sidecar")).isEqualTo("0/2 Init:CrashLoopBackOff 2 (4s ago)");
        assertThat(container(h.pod("behind-sidecar"), "migrate").getState().getRunning()).isNotNull();

        h.advanceSeconds(13); // t=30: migrate exited at 19; the retry at 29 showed its back-off of 20 s
        migrate = container(h.pod("behind-sidecar"), "migrate");
        assertThat(migrate.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(migrate.getState().getWaiting().getMessage())
                .isEqualTo("back-off 20s restarting failed container=migrate pod=behind-sidecar_default(" + uid + ")");
        assertThat(migrate.getRestartCount()).isEqualTo(2);
        h.advanceSeconds(13); // t=43
        // migrate: exits at 3, 6, 19, 42; restarts 0, 10 and 20 s after them, none waiting for proxy
        assertThat(starts(h, "migrate")).containsExactly(0L, 3L, 16L, 39L);
        assertThat(starts(h, "proxy")).containsExactly(0L, 1L, 12L, 33L);
        ContainerStatus proxy = container(h.pod("behind-sidecar"), "proxy");
        migrate = container(h.pod("behind-sidecar"), "migrate");
        assertThat(proxy.getRestartCount()).isEqualTo(3);
        assertThat(migrate.getRestartCount()).isEqualTo(3);
        assertThat(migrate.getState().getTerminated().getExitCode()).as("exited at 42").isEqualTo(1);
        assertThat(h.kubectl("behind-sidecar")).isEqualTo("0/2 Init:CrashLoopBackOff 3 (9s ago)");
        assertThat(phase(h, "behind-sidecar")).isEqualTo("Pending");
        assertThat(conditionWithDashes(h.pod("behind-sidecar"), "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [proxy migrate]");
        assertThat(starts(h, "app")).isEmpty();
        assertThat(eventsWithPath(h, "behind-sidecar", "BackOff")).extracting(e -> e.replaceFirst(" \\d+x ", " "))
                .containsExactlyInAnyOrder(
                        "spec.initContainers{proxy} Back-off restarting failed container proxy in pod behind-sidecar_default(" + uid + ")",
                        "spec.initContainers{migrate} Back-off restarting failed container migrate in pod behind-sidecar_default(" + uid + ")");
        assertThat(eventsWithPath(h, "behind-sidecar", "Started")).extracting(e -> e.replaceFirst(" \\d+x ", " "))
                .containsExactlyInAnyOrder("spec.initContainers{proxy} Started container proxy",
                        "spec.initContainers{migrate} Started container migrate");
        assertThat(h.events("behind-sidecar", "Killing")).isEmpty();        // kubectl get pod -w: each exit of proxy shows as Init:Error; migrate's restarts at 3, 16
        // and 39 fall while proxy is down (kubectl's init loop stops at proxy, so only proxy's
        // restarts count there)
        assertThat(h.kubectlWatch("behind-sidecar")).containsExactly(
                "0 0/2 Pending 0", // the pod as created, before the kubelet's first status
                "0 0/2 Init:0/2 0",
                "0 1/2 Init:1/2 0",
                "1 0/2 Init:Error 0",
                "1 1/2 Init:1/2 1 (0s ago)",
                "2 0/2 Init:Error 1 (1s ago)",
                "3 0/2 Init:CrashLoopBackOff 1 (1s ago)",
                "6 0/2 Init:CrashLoopBackOff 1 (4s ago)",
                "12 0/2 Init:CrashLoopBackOff 1 (10s ago)",
                "12 1/2 Init:CrashLoopBackOff 3 (6s ago)",
                "13 0/2 Init:Error 2 (11s ago)",
                "16 0/2 Init:CrashLoopBackOff 2 (3s ago)",
                "19 0/2 Init:CrashLoopBackOff 2 (6s ago)",
                "26 0/2 Init:CrashLoopBackOff 2 (13s ago)",
                "33 1/2 Init:CrashLoopBackOff 5 (14s ago)",
                "34 0/2 Init:Error 3 (21s ago)",
                "39 0/2 Init:CrashLoopBackOff 3 (5s ago)",
                "42 0/2 Init:CrashLoopBackOff 3 (8s ago)");
    }

    // ---- probe-driven kills of sidecars (6.5) ----

    @Test
    void sidecarLivenessFailureRestartsOnlyTheSidecarWithoutSuffix() {
        NodeHarness h = new NodeHarness();
        h.script("proxy", script().http(15021, (path, since) -> since.getSeconds() < 10 ? 200 : 500));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: sidecar-liveness}
                spec:
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    livenessProbe:
                      httpGet: {path: /healthz, port: 15021}
                      periodSeconds: 5
                      failureThreshold: 3
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(20);
        assertThat(eventsWithPath(h, "sidecar-liveness", "Killing"))
                .containsExactly("spec.initContainers{proxy} 1x Init container proxy failed liveness probe");
        assertThat(eventsWithPath(h, "sidecar-liveness", "Unhealthy"))
                .containsExactly("spec.initContainers{proxy} 3x Liveness probe failed: HTTP probe failed with statuscode: 500");
        assertThat(h.runtimeLog()).contains("20 SIGTERM proxy timeout 30s");
        assertThat(logEndingWith(h, "start proxy")).containsExactly("0 start proxy", "20 start proxy");
        assertThat(logEndingWith(h, "start app")).containsExactly("0 start app");
        assertThat(h.kubectl("sidecar-liveness")).isEqualTo("2/2 Running 1 (0s ago)");
        assertThat(container(h.pod("sidecar-liveness"), "proxy").getRestartCount()).isEqualTo(1);
        assertThat(container(h.pod("sidecar-liveness"), "app").getRestartCount()).isZero();
    }

    @Test
    void sidecarStartupFailureKillsItAndKeepsThePodPending() {
        NodeHarness h = new NodeHarness(); // never listens
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stuck-proxy}
                spec:
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    startupProbe:
                      tcpSocket: {port: 15000}
                      periodSeconds: 5
                      failureThreshold: 2
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(6); // failures at 0 and 5: killed and restarted at 5
        assertThat(eventsWithPath(h, "stuck-proxy", "Killing"))
                .containsExactly("spec.initContainers{proxy} 1x Init container proxy failed startup probe");
        assertThat(h.kubectl("stuck-proxy")).isEqualTo("0/2 Init:0/1 1 (1s ago)");
        assertThat(phase(h, "stuck-proxy")).isEqualTo("Pending");
        h.advanceSeconds(10); // t=16: failures at 10 and 15, killed and restarted again
        assertThat(h.kubectl("stuck-proxy")).isEqualTo("0/2 Init:0/1 2 (1s ago)");
        h.advanceSeconds(24); // t=40: killed at 25 (restarted) and 35 (back-off 20 s)
        assertThat(logEndingWith(h, "start proxy")).containsExactly("0 start proxy", "5 start proxy", "15 start proxy",
                "25 start proxy");
        assertThat(h.kubectl("stuck-proxy")).isEqualTo("0/2 Init:Error 3 (15s ago)");
        h.advanceSeconds(5); // the retry at 45 shows the back-off
        assertThat(h.kubectl("stuck-proxy")).isEqualTo("0/2 Init:CrashLoopBackOff 3 (10s ago)");
        assertThat(phase(h, "stuck-proxy")).isEqualTo("Pending");
        h.advanceSeconds(10); // t=55
        assertThat(logEndingWith(h, "start proxy")).endsWith("55 start proxy");
        h.advanceSeconds(100);
        assertThat(logEndingWith(h, "start app")).isEmpty();
        assertThat(container(h.pod("stuck-proxy"), "app").getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    }

    // ---- completion and deletion (6.7–6.10) ----

    @Test
    void jobPodWithSigtermHandlingSidecarCompletesPromptly() {
        NodeHarness h = new NodeHarness();
        h.script("main", script().exitAfter(ofSeconds(10), 0));
        h.script("log-shipper", script().exitOnSigterm(ZERO, 0));
        h.apply(SeedScenariosTest.NATIVE_SIDECAR_JOB_POD);
        assertThat(h.kubectl("batch-native")).isEqualTo("2/2 Running 0");
        h.advanceSeconds(10);
        assertThat(h.runtimeLog()).contains("10 exit main code 0", "10 SIGTERM log-shipper timeout 30s");
        assertThat(h.events("batch-native", "Killing")).containsExactly("1x Stopping container log-shipper");
        assertThat(phase(h, "batch-native")).isEqualTo("Succeeded");
        assertThat(h.kubectl("batch-native")).isEqualTo("0/2 Completed 0");
        ContainerStatus shipper = container(h.pod("batch-native"), "log-shipper");
        assertThat(shipper.getState().getTerminated().getExitCode()).isZero();
        assertThat(shipper.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(conditionWithDashes(h.pod("batch-native"), "Initialized")).isEqualTo("True PodCompleted -");
        assertThat(conditionWithDashes(h.pod("batch-native"), "Ready")).isEqualTo("False PodCompleted -");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("SIGKILL"));
    }

    @Test
    void jobPodWhoseSidecarIsBackingOffEndsWhenTheMainCompletesWithoutRestartingIt() {
        NodeHarness h = new NodeHarness();
        h.script("logger", script().exitAfter(ofSeconds(5), 1));
        h.script("main", script().exitAfter(ofSeconds(12), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: job-crashing-logger}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - {name: logger, image: fluent-bit, restartPolicy: Always}
                  containers:
                  - {name: main, image: batch}
                """);
        h.advanceSeconds(11); // logger exited at 5 (restarted at once) and 10: back-off until 20
        assertThat(h.kubectl("job-crashing-logger")).isEqualTo("1/2 Init:Error 1 (6s ago)");
        // The main container exits 0 at 12. With the last init container (the logger) down and no
        // main container running, upstream's init step does not count the pod as initialized, so
        // its plan looks at no main container; the terminal phase stops the pod instead.
        h.advanceSeconds(20); // t=31
        assertThat(phase(h, "job-crashing-logger")).isEqualTo("Succeeded");
        assertThat(h.kubectl("job-crashing-logger")).isEqualTo("0/2 Completed 1 (21s ago)");
        assertThat(logEndingWith(h, "start logger")).containsExactly("0 start logger", "5 start logger");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("SIGTERM"));
    }

    @Test
    void naturalCompletionStopsSidecarsInReverseOrder() {
        NodeHarness h = new NodeHarness();
        h.script("main", script().exitAfter(ofSeconds(10), 0));
        h.script("s1", script().exitOnSigterm(ofSeconds(1), 0));
        h.script("s2", script().exitOnSigterm(ofSeconds(1), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: two-sidecars-job}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - {name: s1, image: a, restartPolicy: Always}
                  - {name: s2, image: b, restartPolicy: Always}
                  containers:
                  - name: main
                    image: batch
                """);
        h.advanceSeconds(11);
        assertThat(phase(h, "two-sidecars-job")).isEqualTo("Running");
        h.advanceSeconds(1); // t=12
        // the last-declared sidecar first; the earlier one after it exited, within one 30 s budget
        assertThat(h.runtimeLog().stream().filter(l -> l.contains("SIGTERM") || l.contains("exit ")))
                .containsExactly("10 exit main code 0", "10 SIGTERM s2 timeout 30s", "11 exit s2 code 0",
                        "11 SIGTERM s1 timeout 29s", "12 exit s1 code 0");
        assertThat(phase(h, "two-sidecars-job")).isEqualTo("Succeeded");
        assertThat(h.kubectl("two-sidecars-job")).isEqualTo("0/3 Completed 0");
        assertThat(eventsWithPath(h, "two-sidecars-job", "Killing")).containsExactlyInAnyOrder(
                "spec.initContainers{s1} 1x Stopping container s1",
                "spec.initContainers{s2} 1x Stopping container s2");
    }

    @Test
    void deletionStopsMainsFirstThenSidecarsInReverseOrderWithinOneGrace() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitOnSigterm(ofSeconds(3), 0));
        h.script("s1", script().exitOnSigterm(ofSeconds(1), 0));
        h.script("s2", script().exitOnSigterm(ofSeconds(2), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: mesh-deleted}
                spec:
                  initContainers:
                  - {name: s1, image: a, restartPolicy: Always}
                  - {name: s2, image: b, restartPolicy: Always}
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(10);
        h.delete("mesh-deleted");
        h.advanceSeconds(4); // t=14: the main container is gone, both sidecars still serve
        assertThat(h.kubectl("mesh-deleted")).isEqualTo("2/3 Terminating 0");
        h.advanceSeconds(2); // t=16
        assertThat(h.runtimeLog().stream().filter(l -> l.contains("SIGTERM") || l.contains("exit ")))
                .containsExactly("10 SIGTERM app timeout 30s", "13 exit app code 0", "13 SIGTERM s2 timeout 27s",
                        "15 exit s2 code 0", "15 SIGTERM s1 timeout 25s", "16 exit s1 code 0");
        assertThat(h.pod("mesh-deleted")).isNull();
    }

    @Test
    void whenTheGraceRunsOutRemainingSidecarsGetTwoSeconds() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.script("proxy", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stubborn}
                spec:
                  terminationGracePeriodSeconds: 10
                  initContainers:
                  - {name: proxy, image: envoy, restartPolicy: Always}
                  containers:
                  - name: app
                    image: app
                """);
        h.delete("stubborn");
        h.advanceSeconds(12);
        assertThat(h.runtimeLog().stream().filter(l -> l.contains("SIG")))
                .containsExactly("0 SIGTERM app timeout 10s", "10 SIGKILL app", "10 SIGTERM proxy timeout 2s",
                        "12 SIGKILL proxy");
        assertThat(h.pod("stubborn")).isNull();
    }

    @Test
    void sidecarThatExitsDuringTerminationIsNotRestarted() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.script("logger", script().exitAfter(ofSeconds(5), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: no-restart-while-stopping}
                spec:
                  initContainers:
                  - name: logger
                    image: fluent-bit
                    restartPolicy: Always
                    livenessProbe:
                      tcpSocket: {port: 2020}
                      periodSeconds: 1
                      failureThreshold: 1
                      initialDelaySeconds: 3
                  containers:
                  - name: app
                    image: app
                """);
        h.delete("no-restart-while-stopping");
        h.advanceSeconds(29);
        // the logger crashed at 5 and stays down; its liveness probe never ran after the deletion
        assertThat(logEndingWith(h, "start logger")).containsExactly("0 start logger");
        assertThat(h.events("no-restart-while-stopping", "Unhealthy")).isEmpty();
        assertThat(h.kubectl("no-restart-while-stopping")).isEqualTo("1/2 Terminating 0");
        assertThat(container(h.pod("no-restart-while-stopping"), "logger").getState().getTerminated().getExitCode())
                .isEqualTo(1);
        h.advanceSeconds(1);
        assertThat(h.runtimeLog()).contains("30 SIGKILL app");
        assertThat(h.pod("no-restart-while-stopping")).isNull();
    }

    @Test
    void deletionDuringRegularInitDoesNotWaitForSidecarsThatNeverStarted() {
        NodeHarness h = new NodeHarness();
        h.script("wait-db", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: init-deleted}
                spec:
                  terminationGracePeriodSeconds: 3
                  initContainers:
                  - name: wait-db
                    image: busybox
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(5);
        assertThat(h.kubectl("init-deleted")).isEqualTo("0/2 Init:0/2 0");
        h.delete("init-deleted");
        assertThat(h.kubectl("init-deleted")).isEqualTo("0/2 Terminating 0");
        assertThat(h.runtimeLog()).contains("5 SIGTERM wait-db timeout 3s");
        h.advanceSeconds(2);
        assertThat(h.kubectl("init-deleted")).isEqualTo("0/2 Terminating 0");
        h.advanceSeconds(1); // t=8: SIGKILL after the 3 s grace; nothing else to wait for
        assertThat(h.runtimeLog()).contains("8 SIGKILL wait-db");
        assertThat(h.pod("init-deleted")).isNull();
        assertThat(h.events("init-deleted", "Killing")).containsExactly("1x Stopping container wait-db");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("proxy") || l.contains("start app"));
    }
}
