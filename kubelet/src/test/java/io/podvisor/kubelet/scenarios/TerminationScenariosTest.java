package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.condition;
import static io.podvisor.kubelet.scenarios.PodViews.init;
import static io.podvisor.kubelet.scenarios.PodViews.log;
import static io.podvisor.kubelet.scenarios.PodViews.main;
import static io.podvisor.kubelet.scenarios.PodViews.state;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.fake.ContainerScript;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deletion, grace periods, preStop, active deadline and sidecar stop order (spec §1.5, §1.6, §6.8, §6.9, §7.5, §8). */
class TerminationScenariosTest {

    private static final String PRE_STOP_DRAIN = """
            lifecycle:
                  preStop:
                    exec: {command: ["sh", "-c", "drain"]}""";

    /** Lines of the runtime log that are signals, in order. */
    private static List<String> signals(NodeHarness h) {
        return h.runtimeLog().stream().filter(l -> l.contains("SIGTERM") || l.contains("SIGKILL")).toList();
    }

    private static String lastPublishedPhase(NodeHarness h, String name) {
        List<String> mine = h.cluster().statusLog().stream().filter(l -> l.split(" ")[1].equals(name)).toList();
        String last = mine.getLast();
        long at = Long.parseLong(last.split(" ")[0]) - NodeHarness.T0.getEpochSecond();
        return at + " " + last.split(" ")[2];
    }

    // ---- deletion ----

    @Test
    void deletedPodIsTerminatingAndAContainerIgnoringSigtermIsKilledAfterTheDefaultGrace() {
        NodeHarness h = new NodeHarness();
        h.script("stubborn", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: app
                    image: nginx
                  - name: stubborn
                    image: busybox
                """);
        h.advanceSeconds(10);
        assertThat(h.kubectl("web")).isEqualTo("2/2 Running 0");

        h.delete("web");
        assertThat(signals(h)).containsExactly("10 SIGTERM app timeout 30s", "10 SIGTERM stubborn timeout 30s");
        assertThat(h.events("web", "Killing"))
                .containsExactly("1x Stopping container app", "1x Stopping container stubborn");
        Pod p = h.pod("web");
        // as kube-apiserver: the time by which the pod should be gone, now + its grace period
        assertThat(p.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:40Z");
        assertThat(p.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        assertThat(state(main(p, "app").getState())).isEqualTo("terminated Error 143");
        assertThat(h.kubectl("web")).isEqualTo("1/2 Terminating 0");
        // kubectl get -w shows the deletion itself (the API's write) before the kubelet's first status after it
        assertThat(h.kubectlWatch("web")).containsSubsequence("0 2/2 Running 0", "10 2/2 Terminating 0",
                "10 1/2 Terminating 0");

        h.advanceSeconds(29);
        assertThat(h.pod("web")).isNotNull();
        assertThat(h.kubectl("web")).isEqualTo("1/2 Terminating 0");
        h.advanceSeconds(1);
        assertThat(signals(h)).containsExactly("10 SIGTERM app timeout 30s", "10 SIGTERM stubborn timeout 30s",
                "40 SIGKILL stubborn");
        assertThat(h.pod("web")).isNull();
        // restart policy Always, yet the torn-down pod's final phase is terminal (§1.6)
        assertThat(lastPublishedPhase(h, "web")).isEqualTo("40 Failed");
        assertThat(log(h, "app")).containsExactly("0 start app", "10 SIGTERM app timeout 30s");
    }

    @Test
    void podTerminationGracePeriodSecondsBoundsTheStop() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: quick}
                spec:
                  terminationGracePeriodSeconds: 10
                  containers:
                  - name: app
                    image: busybox
                """);
        h.advanceSeconds(5);
        h.delete("quick");
        assertThat(h.pod("quick").getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(10L);
        h.advanceSeconds(9);
        assertThat(h.kubectl("quick")).isEqualTo("1/1 Terminating 0");
        h.advanceSeconds(1);
        assertThat(log(h, "app")).containsExactly("0 start app", "5 SIGTERM app timeout 10s", "15 SIGKILL app");
        assertThat(h.pod("quick")).isNull();
    }

    @Test
    void deletionWithAShorterGracePeriodStopsSooner() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hurry}
                spec:
                  containers:
                  - name: app
                    image: busybox
                """);
        h.delete("hurry", 5L);
        h.advanceSeconds(4);
        assertThat(h.pod("hurry")).isNotNull();
        h.advanceSeconds(1);
        assertThat(log(h, "app")).containsExactly("0 start app", "0 SIGTERM app timeout 5s", "5 SIGKILL app");
        assertThat(h.pod("hurry")).isNull();
    }

    @Test
    void deletingACrashLoopingPodRemovesItAtOnceAndNothingRestarts() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(1), 1));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: looping}
                spec:
                  containers:
                  - name: app
                    image: busybox
                """);
        h.advanceSeconds(5); // crashed at 1 and 2, waiting until 12
        assertThat(h.kubectl("looping")).isEqualTo("0/1 Error 1 (4s ago)");
        h.delete("looping");
        assertThat(h.pod("looping")).isNull();
        assertThat(lastPublishedPhase(h, "looping")).isEqualTo("5 Failed");
        h.advanceSeconds(60);
        assertThat(log(h, "app")).containsExactly("0 start app", "1 exit app code 1", "1 start app", "2 exit app code 1");
        assertThat(h.events("looping", "Killing")).isEmpty();
    }

    @Test
    void deletingAPodDuringInitStopsTheInitContainerAndDoesNotWaitForUnstartedSidecars() {
        NodeHarness h = new NodeHarness();
        h.script("setup", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: initdel}
                spec:
                  terminationGracePeriodSeconds: 3
                  initContainers:
                  - name: setup
                    image: busybox
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(10);
        assertThat(h.kubectl("initdel")).isEqualTo("0/2 Init:0/2 0");
        h.delete("initdel");
        assertThat(h.kubectl("initdel")).isEqualTo("0/2 Terminating 0");
        h.advanceSeconds(3);
        assertThat(signals(h)).containsExactly("10 SIGTERM setup timeout 3s", "13 SIGKILL setup");
        assertThat(h.pod("initdel")).isNull();
        assertThat(h.events("initdel", "Killing")).containsExactly("1x Stopping container setup");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains(" start ")).toList()).containsExactly("0 start setup");
    }

    @Test
    void aSecondDeletionWithAShorterGraceShortensATerminationInProgress() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: again}
                spec:
                  containers:
                  - name: app
                    image: busybox
                """);
        h.delete("again");
        h.advanceSeconds(10);
        h.delete("again", 3L);
        assertThat(h.pod("again").getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(3L);
        h.advanceSeconds(2);
        assertThat(h.pod("again")).isNotNull();
        h.advanceSeconds(1);
        // the grace can only shrink (§8.1): the stop is asked again, ending 3 s after the second request
        assertThat(log(h, "app")).containsExactly("0 start app", "0 SIGTERM app timeout 30s",
                "10 SIGTERM app timeout 3s", "13 SIGKILL app");
        assertThat(h.pod("again")).isNull();
    }

    @Test
    void minimumStopTimeoutIsTwoSeconds() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: tiny}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: busybox
                """);
        h.delete("tiny");
        h.advanceSeconds(1);
        assertThat(h.pod("tiny")).isNotNull();
        h.advanceSeconds(1);
        assertThat(log(h, "app")).containsExactly("0 start app", "0 SIGTERM app timeout 2s", "2 SIGKILL app");
        assertThat(h.pod("tiny")).isNull();
    }

    // ---- preStop ----

    @Test
    void preStopHookDelaysTheStopSignalAndUsesUpPartOfTheGrace() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("sh", "-c", "drain"), ofSeconds(5), (t, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: drained}
                spec:
                  containers:
                  - name: app
                    image: nginx
                    %s
                """.formatted(PRE_STOP_DRAIN));
        h.advanceSeconds(10);
        h.delete("drained");
        assertThat(h.events("drained", "Killing")).containsExactly("1x Stopping container app");
        h.advanceSeconds(4);
        assertThat(log(h, "app")).containsExactly("0 start app");
        assertThat(h.kubectl("drained")).isEqualTo("1/1 Terminating 0");
        h.advanceSeconds(1);
        assertThat(log(h, "app")).containsExactly("0 start app", "15 SIGTERM app timeout 25s");
        assertThat(h.pod("drained")).isNull();
        assertThat(h.events("drained", "FailedPreStopHook")).isEmpty();
    }

    @Test
    void httpHooksAnsweredWithAnErrorStatusSucceedAsUpstreamNeverLooksAtTheStatus() {
        // upstream's lifecycle handler runner fails an httpGet hook only when the request gets no
        // answer: a 500 neither kills the container after postStart nor reports a failed preStop
        NodeHarness h = new NodeHarness();
        h.script("app", script().http(8080, (path, since) -> 500).exitOnSigterm(ofSeconds(1), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: httphooks}
                spec:
                  containers:
                  - name: app
                    image: nginx:1.27
                    lifecycle:
                      postStart:
                        httpGet: {path: /warm, port: 8080}
                      preStop:
                        httpGet: {path: /drain, port: 8080}
                """);
        h.advanceSeconds(5);
        assertThat(h.kubectl("httphooks")).isEqualTo("1/1 Running 0");
        assertThat(state(main(h.pod("httphooks"), "app").getState())).isEqualTo("running");
        assertThat(h.events("httphooks")).containsExactly(
                "Normal Pulled Container image \"nginx:1.27\" already present on machine",
                "Normal Created Created container: app",
                "Normal Started Started container app");

        h.delete("httphooks");
        assertThat(log(h, "app")).containsExactly("0 start app", "5 SIGTERM app timeout 30s");
        h.advanceSeconds(1);
        assertThat(h.pod("httphooks")).isNull();
        assertThat(h.events("httphooks").subList(3, h.events("httphooks").size()))
                .containsExactly("Normal Killing Stopping container app");
    }

    @Test
    void failingPreStopHookIsReportedAndTheStopGoesOn() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("sh", "-c", "drain"), ofSeconds(1), (t, cmd) -> ExecResult.exited(1, "boom")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: badhook}
                spec:
                  containers:
                  - name: app
                    image: nginx
                    %s
                """.formatted(PRE_STOP_DRAIN));
        h.delete("badhook");
        h.advanceSeconds(1);
        assertThat(h.events("badhook", "FailedPreStopHook")).containsExactly("1x PreStopHook failed");
        assertThat(h.events("badhook").stream().filter(e -> e.contains("FailedPreStopHook")).toList())
                .containsExactly("Warning FailedPreStopHook PreStopHook failed");
        assertThat(log(h, "app")).containsExactly("0 start app", "1 SIGTERM app timeout 29s");
        assertThat(h.pod("badhook")).isNull();
    }

    @Test
    void preStopHookThatOutlivesTheGraceGetsTwoMoreSeconds() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm()
                .exec(List.of("sh", "-c", "drain"), ofSeconds(10_000), (t, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: slowhook}
                spec:
                  containers:
                  - name: app
                    image: nginx
                    %s
                """.formatted(PRE_STOP_DRAIN));
        h.delete("slowhook");
        h.advanceSeconds(29);
        assertThat(log(h, "app")).containsExactly("0 start app");
        h.advanceSeconds(1);
        assertThat(log(h, "app")).containsExactly("0 start app", "30 SIGTERM app timeout 2s");
        h.advanceSeconds(1);
        assertThat(h.pod("slowhook")).isNotNull();
        h.advanceSeconds(1);
        // the hook, still running, dies with its container
        assertThat(log(h, "app")).containsExactly("0 start app", "30 SIGTERM app timeout 2s", "32 SIGKILL app",
                "32 exec killed app (sh -c drain)");
        assertThat(h.pod("slowhook")).isNull();
    }

    /** A preStop exec that never ends by itself (the fake answers it after a day). */
    private static final List<String> SLEEP_FOREVER = List.of("sh", "-c", "sleep infinity");
    private static final String PRE_STOP_FOREVER = """
            lifecycle:
                  preStop:
                    exec: {command: ["sh", "-c", "sleep infinity"]}""";

    private static ContainerScript hookNeverEnds() {
        return script().ignoreSigterm().exec(SLEEP_FOREVER, ofDays(1), (t, cmd) -> ExecResult.exited(0, ""));
    }

    /** The fake runtime's lines about execs its containers' ends killed. */
    private static List<String> killedExecs(NodeHarness h) {
        return h.runtimeLog().stream().filter(l -> l.contains(" exec killed ")).toList();
    }

    @Test
    void preStopHooksThatNeverEndRunUntilTheContainersAreKilledTwoSecondsAfterTheGrace() {
        // upstream waits for a preStop hook at most the grace period, then stops the container with
        // the 2 s minimum; the hook's exec has no time limit (ExecSync timeout 0) and dies only with
        // its container, its exit 137 then reported as FailedPreStopHook; a native sidecar's hook
        // runs from the deletion too, and its stop comes once the budget is spent (e2e: ~32 s)
        NodeHarness h = new NodeHarness();
        h.script("app", hookNeverEnds());
        h.script("proxy", hookNeverEnds());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hooked}
                spec:
                  terminationGracePeriodSeconds: 30
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    %1$s
                  containers:
                  - name: app
                    image: busybox
                    %1$s
                """.formatted(PRE_STOP_FOREVER));
        h.advanceSeconds(10);
        assertThat(h.kubectl("hooked")).isEqualTo("2/2 Running 0");

        h.delete("hooked");
        assertThat(h.events("hooked", "Killing")).containsExactlyInAnyOrder("1x Stopping container app",
                "1x Stopping container proxy");
        h.advanceSeconds(29);
        assertThat(signals(h)).isEmpty();
        h.advanceSeconds(1);
        assertThat(signals(h)).containsExactlyInAnyOrder("40 SIGTERM app timeout 2s", "40 SIGTERM proxy timeout 2s");
        assertThat(killedExecs(h)).isEmpty();
        assertThat(h.events("hooked", "FailedPreStopHook")).isEmpty();
        h.advanceSeconds(1);
        assertThat(h.kubectl("hooked")).isEqualTo("2/2 Terminating 0");
        assertThat(killedExecs(h)).isEmpty();

        h.advanceSeconds(1);
        assertThat(signals(h).subList(2, 4)).containsExactlyInAnyOrder("42 SIGKILL app", "42 SIGKILL proxy");
        assertThat(killedExecs(h)).containsExactlyInAnyOrder("42 exec killed app (sh -c sleep infinity)",
                "42 exec killed proxy (sh -c sleep infinity)");
        assertThat(h.pod("hooked")).isNull();
        assertThat(h.eventObjects("hooked").stream().filter(e -> e.getReason().equals("FailedPreStopHook"))
                .map(e -> e.getType() + " " + e.getInvolvedObject().getFieldPath() + " " + e.getMessage()))
                .containsExactlyInAnyOrder("Warning spec.containers{app} PreStopHook failed",
                        "Warning spec.initContainers{proxy} PreStopHook failed");
    }

    @Test
    void preStopHookLeavingLessThanTwoSecondsStillGetsTheTwoSecondMinimum() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().ignoreSigterm()
                .exec(List.of("sh", "-c", "drain"), ofSeconds(29), (t, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: lasthook}
                spec:
                  containers:
                  - name: app
                    image: nginx
                    %s
                """.formatted(PRE_STOP_DRAIN));
        h.delete("lasthook");
        h.advanceSeconds(31);
        assertThat(log(h, "app")).containsExactly("0 start app", "29 SIGTERM app timeout 2s", "31 SIGKILL app");
        assertThat(h.pod("lasthook")).isNull();
    }

    // ---- activeDeadlineSeconds ----

    @Test
    void activeDeadlineFailsThePodWithDeadlineExceeded() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitOnSigterm(ofSeconds(5), 0).exitAfter(ofSeconds(10_000), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: timed}
                spec:
                  activeDeadlineSeconds: 20
                  containers:
                  - name: app
                    image: busybox
                """);
        h.advanceSeconds(19);
        assertThat(h.pod("timed").getStatus().getPhase()).isEqualTo("Running");

        h.advanceSeconds(1);
        Pod p = h.pod("timed");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(p.getStatus().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(p.getStatus().getMessage()).isEqualTo("Pod was active on the node longer than the specified deadline");
        assertThat(h.events("timed", "DeadlineExceeded"))
                .containsExactly("1x Pod was active on the node longer than the specified deadline");
        assertThat(h.events("timed")).contains("Normal Killing Stopping container app");
        assertThat(log(h, "app")).containsExactly("0 start app", "20 SIGTERM app timeout 30s");
        // the container still runs out its SIGTERM handler: nothing in the container statuses overrides the pod reason
        assertThat(h.kubectl("timed")).isEqualTo("1/1 DeadlineExceeded 0");
        assertThat(condition(p, "ContainersReady")).isEqualTo("False PodFailed");
        assertThat(condition(p, "Ready")).isEqualTo("False PodFailed");

        h.advanceSeconds(5);
        p = h.pod("timed");
        assertThat(log(h, "app")).containsExactly("0 start app", "20 SIGTERM app timeout 30s", "25 exit app code 0");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(p.getStatus().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(state(main(p, "app").getState())).isEqualTo("terminated Completed 0");
        assertThat(main(p, "app").getRestartCount()).isZero();
        // kubectl prints the pod reason unless a container status carries one (§12.2 step 3)
        assertThat(h.kubectl("timed")).isEqualTo("0/1 Completed 0");
        h.advanceSeconds(100);
        assertThat(log(h, "app")).hasSize(3);
        assertThat(h.pod("timed").getStatus().getPhase()).isEqualTo("Failed");
    }

    // ---- liveness kill ----

    /** A pod whose container {@code app} (with {@code %2$s} in its spec) is killed by its liveness probe at 20 s. */
    private static final String LIVENESS_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: %1$s}
            spec:
              terminationGracePeriodSeconds: 60
              containers:
              - name: app
                image: busybox
                %2$s
                livenessProbe:
                  exec: {command: ["check"]}
                  periodSeconds: 10
                  failureThreshold: 1
                  terminationGracePeriodSeconds: 7
            """;

    /** {@code s} answering the liveness probe {@code check} with success until 20 s after its start. */
    private static ContainerScript unhealthyFrom20s(ContainerScript s) {
        return s.exec(List.of("check"), since -> since.getSeconds() < 20
                ? ExecResult.exited(0, "") : ExecResult.exited(1, "unhealthy"));
    }

    @Test
    void livenessKillUsesTheProbeLevelGracePeriod() {
        NodeHarness h = new NodeHarness();
        h.script("app", unhealthyFrom20s(script().ignoreSigterm()));
        h.apply(LIVENESS_POD.formatted("live", ""));
        h.advanceSeconds(30);
        assertThat(log(h, "app")).containsExactly("0 start app", "20 SIGTERM app timeout 7s", "27 SIGKILL app",
                "27 start app");
        assertThat(h.events("live", "Killing")).containsExactly("1x Container app failed liveness probe, will be restarted");
        assertThat(h.events("live", "Unhealthy")).containsExactly("1x Liveness probe failed: unhealthy");
        Pod p = h.pod("live");
        assertThat(state(main(p, "app").getLastState())).isEqualTo("terminated Error 137");
        assertThat(main(p, "app").getRestartCount()).isEqualTo(1);
        assertThat(h.kubectl("live")).isEqualTo("1/1 Running 1 (3s ago)");
    }

    @Test
    void aLivenessKillWaitsForANeverEndingPreStopHookOnlyTheProbesGraceThenKillsItWithTheContainer() {
        NodeHarness h = new NodeHarness();
        h.script("app", unhealthyFrom20s(hookNeverEnds()));
        h.apply(LIVENESS_POD.formatted("relive", PRE_STOP_FOREVER));
        h.advanceSeconds(27);
        assertThat(log(h, "app")).containsExactly("0 start app", "27 SIGTERM app timeout 2s");
        assertThat(h.events("relive", "FailedPreStopHook")).isEmpty();
        h.advanceSeconds(2);
        assertThat(log(h, "app")).containsExactly("0 start app", "27 SIGTERM app timeout 2s", "29 SIGKILL app",
                "29 exec killed app (sh -c sleep infinity)", "29 start app");
        assertThat(h.events("relive", "Killing")).containsExactly("1x Container app failed liveness probe, will be restarted");
        assertThat(h.events("relive").stream().filter(e -> e.contains("FailedPreStopHook")).toList())
                .containsExactly("Warning FailedPreStopHook PreStopHook failed");
        assertThat(state(main(h.pod("relive"), "app").getLastState())).isEqualTo("terminated Error 137");
        assertThat(h.kubectl("relive")).isEqualTo("1/1 Running 1 (0s ago)");
    }

    // ---- sidecars ----

    private static final String SIDECAR_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: %s}
            spec:
              restartPolicy: %s
              initContainers:
              - name: sc1
                image: proxy
                restartPolicy: Always
              - name: sc2
                image: logger
                restartPolicy: Always
              containers:
              - name: app1
                image: app
              - name: app2
                image: app
            """;

    @Test
    void deletionStopsMainContainersFirstThenSidecarsInReverseOrder() {
        NodeHarness h = new NodeHarness();
        h.script("app1", script().exitOnSigterm(ofSeconds(3), 0));
        h.script("app2", script().exitOnSigterm(ofSeconds(5), 0));
        h.script("sc1", script().exitOnSigterm(ofSeconds(4), 0));
        h.script("sc2", script().exitOnSigterm(ofSeconds(2), 0));
        h.apply(SIDECAR_POD.formatted("meshed", "Always"));
        h.advanceSeconds(10);
        assertThat(h.kubectl("meshed")).isEqualTo("4/4 Running 0");

        h.delete("meshed");
        assertThat(h.events("meshed", "Killing")).containsExactlyInAnyOrder("1x Stopping container sc1",
                "1x Stopping container sc2", "1x Stopping container app1", "1x Stopping container app2");
        h.advanceSeconds(20);
        // one budget of 30 s from 10: sc2 gets what is left at 15, sc1 what is left at 17
        assertThat(signals(h)).containsExactly("10 SIGTERM app1 timeout 30s", "10 SIGTERM app2 timeout 30s",
                "15 SIGTERM sc2 timeout 25s", "17 SIGTERM sc1 timeout 23s");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains(" exit ")).toList()).containsExactly(
                "13 exit app1 code 0", "15 exit app2 code 0", "17 exit sc2 code 0", "21 exit sc1 code 0");
        assertThat(h.pod("meshed")).isNull();
        assertThat(lastPublishedPhase(h, "meshed")).isEqualTo("21 Succeeded");
    }

    @Test
    void sidecarsShareTheOneGraceBudgetAndGetTwoSecondsOnceItIsSpent() {
        NodeHarness h = new NodeHarness();
        h.script("app1", script().exitOnSigterm(ofSeconds(25), 0));
        h.script("sc2", script().ignoreSigterm());
        h.apply(SIDECAR_POD.formatted("budget", "Always"));
        h.delete("budget");
        h.advanceSeconds(40);
        // sc2 gets the 5 s left after app1; at 30 the budget is spent: sc2 is killed and sc1, whose
        // turn never came, is stopped with the 2 s minimum at the same moment
        List<String> signals = signals(h);
        assertThat(signals.subList(0, 3)).containsExactly("0 SIGTERM app1 timeout 30s", "0 SIGTERM app2 timeout 30s",
                "25 SIGTERM sc2 timeout 5s");
        assertThat(signals.subList(3, signals.size())).containsExactlyInAnyOrder("30 SIGKILL sc2", "30 SIGTERM sc1 timeout 2s");
        assertThat(h.pod("budget")).isNull();
        // app2 died from SIGTERM (143): the torn-down pod ends Failed; sidecar exits do not count
        assertThat(lastPublishedPhase(h, "budget")).isEqualTo("30 Failed");
    }

    @Test
    void sidecarsWhosePreStopHooksNeverEndAreKilledTogetherAndTheirHooksLiveThirtyTwoSeconds() {
        // upstream e2e "should terminate sidecars simultaneously if prestop doesn't exit": the main
        // container completes, the three sidecars' looping preStop hooks start together and are
        // waited for the 30 s grace; the budget spent, all three are stopped with the 2 s minimum at
        // once (no reverse order) and killed, their hooks with them, ~32 s after the hooks began
        NodeHarness h = new NodeHarness();
        h.script("main", script().exitAfter(ofSeconds(5), 0));
        for (String sidecar : List.of("sc1", "sc2", "sc3")) {
            h.script(sidecar, script().exitOnSigterm(ofSeconds(5), 0)
                    .exec(SLEEP_FOREVER, ofDays(1), (t, cmd) -> ExecResult.exited(0, "")));
        }
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: serialize-termination}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - name: sc1
                    image: busybox
                    restartPolicy: Always
                    %1$s
                  - name: sc2
                    image: busybox
                    restartPolicy: Always
                    %1$s
                  - name: sc3
                    image: busybox
                    restartPolicy: Always
                    %1$s
                  containers:
                  - name: main
                    image: busybox
                """.formatted(PRE_STOP_FOREVER));
        h.advanceSeconds(5);
        assertThat(h.events("serialize-termination", "Killing")).containsExactlyInAnyOrder(
                "1x Stopping container sc1", "1x Stopping container sc2", "1x Stopping container sc3");
        h.advanceSeconds(29);
        assertThat(signals(h)).isEmpty();
        h.advanceSeconds(1);
        assertThat(signals(h)).containsExactlyInAnyOrder("35 SIGTERM sc1 timeout 2s", "35 SIGTERM sc2 timeout 2s",
                "35 SIGTERM sc3 timeout 2s");
        assertThat(killedExecs(h)).isEmpty();
        h.advanceSeconds(2);
        assertThat(killedExecs(h)).containsExactlyInAnyOrder("37 exec killed sc1 (sh -c sleep infinity)",
                "37 exec killed sc2 (sh -c sleep infinity)", "37 exec killed sc3 (sh -c sleep infinity)");
        assertThat(h.events("serialize-termination", "FailedPreStopHook")).containsExactly(
                "1x PreStopHook failed", "1x PreStopHook failed", "1x PreStopHook failed");
        Pod p = h.pod("serialize-termination");
        assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(state(init(p, "sc1").getState())).isEqualTo("terminated Error 137");
        assertThat(h.kubectl("serialize-termination")).isEqualTo("0/4 Completed 0");
    }

    @Test
    void naturalCompletionStopsSidecarsLastDeclaredFirstAndThePodSucceeds() {
        NodeHarness h = new NodeHarness();
        h.script("app1", script().exitAfter(ofSeconds(10), 0));
        h.script("app2", script().exitAfter(ofSeconds(8), 0));
        h.script("sc1", script().exitOnSigterm(ofSeconds(1), 0));
        h.script("sc2", script().exitOnSigterm(ofSeconds(3), 0));
        h.apply(SIDECAR_POD.formatted("job", "Never"));

        h.advanceSeconds(9);
        // app2 completed, app1 still runs: the pod is not Ready, so kubectl says NotReady (§12.2 step 3)
        assertThat(h.kubectl("job")).isEqualTo("3/4 NotReady 0");
        assertThat(signals(h)).isEmpty();
        h.advanceSeconds(1);
        assertThat(h.events("job", "Killing"))
                .containsExactlyInAnyOrder("1x Stopping container sc1", "1x Stopping container sc2");
        assertThat(h.pod("job").getStatus().getPhase()).isEqualTo("Running");
        h.advanceSeconds(10);
        assertThat(signals(h)).containsExactly("10 SIGTERM sc2 timeout 30s", "13 SIGTERM sc1 timeout 27s");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains(" exit ")).toList()).containsExactly(
                "8 exit app2 code 0", "10 exit app1 code 0", "13 exit sc2 code 0", "14 exit sc1 code 0");
        Pod p = h.pod("job");
        assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(lastPublishedPhase(h, "job")).isEqualTo("14 Succeeded");
        assertThat(h.kubectl("job")).isEqualTo("0/4 Completed 0");
        assertThat(state(init(p, "sc1").getState())).isEqualTo("terminated Completed 0");
        assertThat(state(init(p, "sc2").getState())).isEqualTo("terminated Completed 0");
        assertThat(init(p, "sc1").getRestartCount()).isZero();
        assertThat(condition(p, "Initialized")).isEqualTo("True PodCompleted");
    }

    @Test
    void podDeletedWhileItsSidecarsAreStoppingAfterCompletionIsRemovedOnceTheyStop() {
        NodeHarness h = new NodeHarness();
        h.script("app1", script().exitAfter(ofSeconds(5), 0));
        h.script("app2", script().exitAfter(ofSeconds(5), 0));
        h.script("sc1", script().ignoreSigterm());
        h.apply(SIDECAR_POD.formatted("late", "Never"));
        h.advanceSeconds(10); // the sidecars are being stopped since 5, with the pod's 30 s
        assertThat(signals(h)).containsExactly("5 SIGTERM sc2 timeout 30s", "5 SIGTERM sc1 timeout 30s");

        h.delete("late", 4L);
        assertThat(h.kubectl("late")).isEqualTo("1/4 Terminating 0"); // sc1 still runs, started and ready
        h.advanceSeconds(4);
        assertThat(signals(h)).containsExactly("5 SIGTERM sc2 timeout 30s", "5 SIGTERM sc1 timeout 30s",
                "10 SIGTERM sc1 timeout 4s", "14 SIGKILL sc1");
        assertThat(h.pod("late")).isNull();
        assertThat(lastPublishedPhase(h, "late")).isEqualTo("14 Succeeded");
    }

    // ---- a failing postStart hook ----

    @Test
    void aFailedPostStartHookKillsTheContainerAndWaitsWithUpstreamsMessage() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exec(List.of("sh", "-c"), since -> ExecResult.exited(3, "config \"app.yaml\" missing\n")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hook-fails}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    lifecycle:
                      postStart:
                        exec: {command: ["sh", "-c", "test -f /etc/app.yaml"]}
                """);
        h.advanceSeconds(5);
        String uid = h.pod("hook-fails").getMetadata().getUid();
        var waiting = h.cluster().statusUpdates().stream()
                .map(u -> main(u.pod(), "app").getState().getWaiting())
                .filter(w -> w != null && "PostStartHookError".equals(w.getReason()))
                .findFirst().orElseThrow();
        assertThat(waiting.getMessage()).isEqualTo("Exec lifecycle hook ([sh -c test -f /etc/app.yaml]) for Container \"app\" "
                + "in Pod \"hook-fails_default(" + uid + ")\" failed - error: command 'sh -c test -f /etc/app.yaml' exited with 3: "
                + "config \"app.yaml\" missing\n, message: \"config \\\"app.yaml\\\" missing\\n\"");
        assertThat(h.kubectlWatch("hook-fails")).contains("0 0/1 PostStartHookError 0");
        // the event keeps the hook's output out (it may hold secrets), as upstream's
        assertThat(h.events("hook-fails", "FailedPostStartHook")).singleElement().asString().endsWith("x PostStartHook failed");
        assertThat(h.events("hook-fails", "Killing")).singleElement().asString().endsWith("x FailedPostStartHook");
    }
}
