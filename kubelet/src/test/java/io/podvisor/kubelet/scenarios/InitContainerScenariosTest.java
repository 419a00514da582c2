package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.condition;
import static io.podvisor.kubelet.scenarios.PodViews.init;
import static io.podvisor.kubelet.scenarios.PodViews.log;
import static io.podvisor.kubelet.scenarios.PodViews.main;
import static io.podvisor.kubelet.scenarios.PodViews.starts;
import static io.podvisor.kubelet.scenarios.PodViews.state;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regular init containers (spec §1.2, §2.2, §3.4, §5, §12.2) in virtual time. */
class InitContainerScenariosTest {

    /** A pod with busybox init containers {@code init1..initN} and one main container {@code app}. */
    private static String inits(int n, String name, String restartPolicy) {
        StringBuilder inits = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            inits.append("  - name: init").append(i).append("\n    image: busybox\n");
        }
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: %s
                  initContainers:
                %s  containers:
                  - name: app
                    image: nginx
                """.formatted(name, restartPolicy, inits);
    }

    @Test
    void mainStatusesAreSortedByNameAndInitStatusesKeepSpecOrder() {
        NodeHarness h = new NodeHarness();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ordered}
                spec:
                  initContainers:
                  - {name: zz-init, image: busybox}
                  - {name: aa-sidecar, image: envoy, restartPolicy: Always}
                  containers:
                  - {name: web, image: nginx}
                  - {name: cache, image: redis}
                  - {name: metrics, image: exporter}
                """);
        h.advanceSeconds(1);
        Pod p = h.pod("ordered");
        // 2.10: containerStatuses alphabetically, initContainerStatuses in spec order
        assertThat(p.getStatus().getContainerStatuses()).extracting(ContainerStatus::getName)
                .containsExactly("cache", "metrics", "web");
        assertThat(p.getStatus().getInitContainerStatuses()).extracting(ContainerStatus::getName)
                .containsExactly("zz-init", "aa-sidecar");
    }

    @Test
    void initContainersRunOneAfterAnotherBeforeTheMainContainer() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(5), 0));
        h.script("init2", script().exitAfter(ofSeconds(5), 0));
        h.apply(inits(2, "seq", "Always"));

        Pod p = h.pod("seq");
        assertThat(h.kubectl("seq")).isEqualTo("0/1 Init:0/2 0");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(state(init(p, "init1").getState())).isEqualTo("running");
        assertThat(state(init(p, "init2").getState())).isEqualTo("waiting PodInitializing");
        assertThat(state(main(p, "app").getState())).isEqualTo("waiting PodInitializing");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init1 init2]");

        h.advanceSeconds(5);
        p = h.pod("seq");
        assertThat(h.kubectl("seq")).isEqualTo("0/1 Init:1/2 0");
        assertThat(state(init(p, "init1").getState())).isEqualTo("terminated Completed 0");
        assertThat(init(p, "init1").getReady()).isTrue();
        assertThat(state(init(p, "init2").getState())).isEqualTo("running");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init2]");

        h.advanceSeconds(5);
        p = h.pod("seq");
        assertThat(h.kubectl("seq")).isEqualTo("1/1 Running 0");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(p, "Initialized")).isEqualTo("True");
        assertThat(h.runtimeLog().stream().filter(l -> !l.contains(" create ") && !l.contains("sandbox")).toList())
                .containsExactly("0 start init1", "5 exit init1 code 0", "5 start init2", "10 exit init2 code 0",
                        "10 start app");
    }

    @Test
    void mainContainerWaitingBehindAPostStartHookShowsPodInitializing() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(5), 0));
        h.script("a", script().exec(List.of("sh", "-c", "warm-up"), ofSeconds(5), (t, cmd) -> ExecResult.exited(0, "")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hooked}
                spec:
                  initContainers:
                  - name: init1
                    image: busybox
                  containers:
                  - name: a
                    image: nginx
                    lifecycle:
                      postStart:
                        exec: {command: ["sh", "-c", "warm-up"]}
                  - name: b
                    image: nginx
                """);

        h.advanceSeconds(7);
        // a started at 5 and its postStart hook runs until 10; b waits for it. As upstream runs the
        // hook inside the sync that started a, a is not shown running before its hook completed.
        Pod p = h.pod("hooked");
        assertThat(state(main(p, "a").getState())).isEqualTo("waiting PodInitializing");
        assertThat(state(main(p, "b").getState())).isEqualTo("waiting PodInitializing");
        assertThat(h.kubectl("hooked")).isEqualTo("0/2 PodInitializing 0");
        assertThat(condition(p, "Initialized")).isEqualTo("True");

        h.advanceSeconds(3);
        assertThat(starts(h, "a")).containsExactly(5L);
        assertThat(starts(h, "b")).containsExactly(10L);
        assertThat(h.kubectl("hooked")).isEqualTo("2/2 Running 0");
    }

    @Test
    void aPostStartHttpGetOnThePodsFirstStartReachesTheNewSandboxIp() {
        // the hook's default host is the pod IP, which upstream reads from the runtime when the hook
        // runs: on the first start that is the sandbox made in the same sync
        NodeHarness h = new NodeHarness();
        h.script("a", script().http(8080, (path, since) -> path.equals("/ready") ? 200 : 404));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: warmed}
                spec:
                  containers:
                  - name: a
                    image: nginx:1.27
                    lifecycle:
                      postStart:
                        httpGet: {path: /ready, port: 8080}
                """);
        h.advanceSeconds(2);
        assertThat(h.kubectl("warmed")).isEqualTo("1/1 Running 0");
        assertThat(starts(h, "a")).containsExactly(0L);
        assertThat(h.events("warmed", "FailedPostStartHook")).isEmpty();
        assertThat(h.events("warmed", "Killing")).isEmpty();
    }

    @Test
    void failingInitContainerUnderAlwaysIsRetriedWithBackOffAndBlocksTheRest() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(5), 1));
        h.apply(inits(2, "initcrash", "Always"));
        String uid = PodViews.uid(h, "initcrash");

        h.advanceSeconds(7);
        // failed at 5 and restarted at once
        assertThat(h.kubectl("initcrash")).isEqualTo("0/1 Init:0/2 1 (2s ago)");
        h.advanceSeconds(5);
        // failed again at 10: shown as it ended; the back-off of 10 s that sync found shows in the next
        Pod p = h.pod("initcrash");
        assertThat(h.kubectl("initcrash")).isEqualTo("0/1 Init:Error 1 (7s ago)");
        assertThat(state(init(p, "init1").getState())).isEqualTo("terminated Error 1");
        h.advanceSeconds(23);
        // restarted at 20, failed at 25: in the 20 s back-off since the retry at 35
        p = h.pod("initcrash");
        assertThat(h.kubectl("initcrash")).isEqualTo("0/1 Init:CrashLoopBackOff 2 (10s ago)");
        assertThat(h.kubectlWatch("initcrash")).containsExactly("0 0/1 Pending 0", "0 0/1 Init:0/2 0", "5 0/1 Init:Error 0",
                "5 0/1 Init:0/2 1 (0s ago)", "10 0/1 Init:Error 1 (5s ago)", "20 0/1 Init:CrashLoopBackOff 1 (10s ago)",
                "20 0/1 Init:0/2 2 (10s ago)", "25 0/1 Init:Error 2 (15s ago)", "35 0/1 Init:CrashLoopBackOff 2 (10s ago)");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        ContainerStatus init1 = init(p, "init1");
        assertThat(state(init1.getState())).isEqualTo("waiting CrashLoopBackOff");
        assertThat(init1.getState().getWaiting().getMessage())
                .isEqualTo("back-off 20s restarting failed container=init1 pod=initcrash_default(" + uid + ")");
        assertThat(state(init1.getLastState())).isEqualTo("terminated Error 1");
        assertThat(init1.getRestartCount()).isEqualTo(2);
        assertThat(state(init(p, "init2").getState())).isEqualTo("waiting PodInitializing");
        assertThat(state(main(p, "app").getState())).isEqualTo("waiting PodInitializing");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init1 init2]");
        assertThat(h.events("initcrash", "BackOff"))
                .allMatch(e -> e.endsWith("x Back-off restarting failed container init1 in pod initcrash_default(" + uid + ")"));

        h.advanceSeconds(77);
        assertThat(starts(h, "init1")).containsExactly(0L, 5L, 20L, 45L, 90L);
        assertThat(starts(h, "init2")).isEmpty();
        assertThat(starts(h, "app")).isEmpty();
        assertThat(h.pod("initcrash").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(h.kubectl("initcrash")).isEqualTo("0/1 Init:CrashLoopBackOff 4 (17s ago)");
        assertThat(h.eventObjects("initcrash").stream().filter(e -> e.getReason().equals("BackOff")).findFirst()
                .orElseThrow().getInvolvedObject().getFieldPath()).isEqualTo("spec.initContainers{init1}");
    }

    @Test
    void failingInitContainerUnderNeverFailsThePodAndNothingElseStarts() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(5), 2));
        h.apply(inits(1, "initfail", "Never"));

        h.advanceSeconds(5);
        Pod p = h.pod("initfail");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(h.kubectl("initfail")).isEqualTo("0/1 Init:Error 0");
        assertThat(state(init(p, "init1").getState())).isEqualTo("terminated Error 2");
        assertThat(init(p, "init1").getRestartCount()).isZero();
        assertThat(state(main(p, "app").getState())).isEqualTo("waiting PodInitializing");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init1]");
        assertThat(condition(p, "ContainersReady")).isEqualTo("False PodFailed");
        assertThat(condition(p, "Ready")).isEqualTo("False PodFailed");

        h.advanceSeconds(300);
        assertThat(starts(h, "init1")).containsExactly(0L);
        assertThat(starts(h, "app")).isEmpty();
        assertThat(h.kubectl("initfail")).isEqualTo("0/1 Init:Error 0");
        assertThat(state(main(h.pod("initfail"), "app").getState())).isEqualTo("waiting PodInitializing");
    }

    @Test
    void secondInitContainerFailingUnderNeverListsOnlyItAsIncomplete() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(3), 0));
        h.script("init2", script().exitAfter(ofSeconds(3), 1));
        h.apply(inits(2, "init2fail", "Never"));

        h.advanceSeconds(10);
        Pod p = h.pod("init2fail");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(h.kubectl("init2fail")).isEqualTo("0/1 Init:Error 0");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init2]");
        assertThat(state(init(p, "init1").getState())).isEqualTo("terminated Completed 0");
        assertThat(state(init(p, "init2").getState())).isEqualTo("terminated Error 1");
        assertThat(starts(h, "app")).isEmpty();
    }

    @Test
    void initContainersAreNotRerunWhenTheMainContainerRestarts() {
        NodeHarness h = new NodeHarness();
        h.script("init1", script().exitAfter(ofSeconds(2), 0));
        h.script("app", script().exitAfter(ofSeconds(10), 1));
        h.apply(inits(1, "rerun", "Always"));

        h.advanceSeconds(100);
        // app: 2–12, restarted at once 12–22, back-off 10 s → 32–42, back-off 20 s → 62–72
        assertThat(starts(h, "init1")).containsExactly(0L);
        assertThat(starts(h, "app")).containsExactly(2L, 12L, 32L, 62L);
        Pod p = h.pod("rerun");
        assertThat(state(init(p, "init1").getState())).isEqualTo("terminated Completed 0");
        assertThat(init(p, "init1").getRestartCount()).isZero();
        assertThat(main(p, "app").getRestartCount()).isEqualTo(3);
        assertThat(condition(p, "Initialized")).isEqualTo("True");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(h.kubectl("rerun")).isEqualTo("0/1 CrashLoopBackOff 3 (28s ago)");
    }

    @Test
    void initContainerThatNeverExitsKeepsThePodPendingInInit() {
        NodeHarness h = new NodeHarness();
        h.apply(inits(1, "stuck", "Always"));

        h.advanceSeconds(600);
        Pod p = h.pod("stuck");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(h.kubectl("stuck")).isEqualTo("0/1 Init:0/1 0");
        assertThat(state(init(p, "init1").getState())).isEqualTo("running");
        assertThat(state(main(p, "app").getState())).isEqualTo("waiting PodInitializing");
        assertThat(condition(p, "Initialized"))
                .isEqualTo("False ContainersNotInitialized containers with incomplete status: [init1]");
        assertThat(condition(p, "ContainersReady"))
                .isEqualTo("False ContainersNotReady containers with unready status: [app]");
        assertThat(log(h, "init1")).containsExactly("0 start init1");
        assertThat(starts(h, "app")).isEmpty();
    }

    /** {@code started/ready} of a container status, as the fields read. */
    private static String startedReady(ContainerStatus s) {
        return "started=" + s.getStarted() + " ready=" + s.getReady();
    }

    @Test
    void aRunningInitContainerIsStartedButNotReadyAndACompletedOneIsReadyButNotStarted() {
        // upstream's prober manager sets started on every init container status: true while it runs
        // (it has no startup probe), false once it has exited; ready only for an exit with 0
        NodeHarness h = new NodeHarness();
        h.script("setup", script().exitAfter(ofSeconds(10), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: staged}
                spec:
                  initContainers:
                  - {name: setup, image: busybox}
                  - {name: proxy, image: envoy, restartPolicy: Always}
                  containers:
                  - {name: app, image: nginx}
                """);
        h.advanceSeconds(1);
        Pod p = h.pod("staged");
        assertThat(state(init(p, "setup").getState())).isEqualTo("running");
        assertThat(startedReady(init(p, "setup"))).isEqualTo("started=true ready=false");
        assertThat(state(init(p, "proxy").getState())).isEqualTo("waiting PodInitializing");
        assertThat(startedReady(init(p, "proxy"))).isEqualTo("started=false ready=false");
        assertThat(h.kubectl("staged")).isEqualTo("0/2 Init:0/2 0");
        assertThat(condition(p, "Initialized")).isEqualTo("False ContainersNotInitialized containers with incomplete status: [setup proxy]");
        assertThat(h.events("staged")).containsExactly(
                "Normal Pulling Pulling image \"busybox\"",
                "Normal Pulled Successfully pulled image \"busybox\" in 0s (0s including waiting). Image size: 4194304 bytes.",
                "Normal Created Created container: setup",
                "Normal Started Started container setup");

        h.advanceSeconds(10);
        p = h.pod("staged");
        assertThat(state(init(p, "setup").getState())).isEqualTo("terminated Completed 0");
        assertThat(startedReady(init(p, "setup"))).isEqualTo("started=false ready=true");
        assertThat(state(init(p, "proxy").getState())).isEqualTo("running");
        assertThat(startedReady(init(p, "proxy"))).isEqualTo("started=true ready=true");
        assertThat(startedReady(main(p, "app"))).isEqualTo("started=true ready=true");
        assertThat(h.kubectl("staged")).isEqualTo("2/2 Running 0");
    }
}
