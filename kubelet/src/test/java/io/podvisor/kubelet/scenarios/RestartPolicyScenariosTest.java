package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.condition;
import static io.podvisor.kubelet.scenarios.PodViews.log;
import static io.podvisor.kubelet.scenarios.PodViews.main;
import static io.podvisor.kubelet.scenarios.PodViews.starts;
import static io.podvisor.kubelet.scenarios.PodViews.state;
import static io.podvisor.kubelet.scenarios.PodViews.uid;
import static io.podvisor.runtime.fake.ContainerScript.runForever;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Restart policy, restartCount and CrashLoopBackOff (spec §1, §2, §3, §4, §12) in virtual time. */
class RestartPolicyScenariosTest {

    private static final String START_ERROR = "failed to create containerd task: exec: \"/app\": no such file or directory";

    private static String pod(String name, String restartPolicy) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: %s
                  containers:
                  - name: app
                    image: busybox
                """.formatted(name, restartPolicy);
    }

    /** §4.7: fails once (exit 1 after 10 s), then succeeds (exit 0 after 10 s), then runs forever. */
    private static final IntFunction<ContainerScript> FAIL_SUCCEED_RUN = attempt -> switch (attempt) {
        case 0 -> script().exitAfter(ofSeconds(10), 1);
        case 1 -> script().exitAfter(ofSeconds(10), 0);
        default -> runForever();
    };

    // ---- a stopping kubelet ----

    @Test
    void aClosedKubeletNeitherRestartsExitedContainersNorStartsNewPods() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", attempt -> script().exitAfter(ofSeconds(10), 1));
        h.apply(pod("always", "Always"));
        h.advanceSeconds(5);
        assertThat(log(h, "app")).containsExactly("0 start app");

        h.kubelet().close();
        h.advanceSeconds(60);
        // the runtime's own shutdown follows a closed kubelet: nothing may start in between
        assertThat(log(h, "app")).containsExactly("0 start app", "10 exit app code 1");
        h.apply(pod("later", "Always"));
        h.advanceSeconds(10);
        assertThat(log(h, "app")).containsExactly("0 start app", "10 exit app code 1");
    }

    // ---- §4.7 restart matrix ----

    @Test
    void matrixAlwaysRestartsAfterFailureAndAfterSuccessAndEndsRunningWithTwoRestarts() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", FAIL_SUCCEED_RUN);
        h.apply(pod("always", "Always"));

        h.advanceSeconds(60);
        // exit 1 at 10 → restarted at once; exit 0 at 20 → restarted after the 10 s back-off
        assertThat(log(h, "app")).containsExactly("0 start app", "10 exit app code 1", "10 start app",
                "20 exit app code 0", "30 start app");
        Pod p = h.pod("always");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        ContainerStatus app = main(p, "app");
        assertThat(app.getRestartCount()).isEqualTo(2);
        assertThat(state(app.getState())).isEqualTo("running");
        assertThat(state(app.getLastState())).isEqualTo("terminated Completed 0");
        assertThat(app.getReady()).isTrue();
        assertThat(h.kubectl("always")).isEqualTo("1/1 Running 2 (40s ago)");
        assertThat(condition(p, "Ready")).isEqualTo("True");
    }

    @Test
    void matrixOnFailureRestartsOnlyTheFailureAndEndsSucceededWithOneRestart() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", FAIL_SUCCEED_RUN);
        h.apply(pod("onfailure", "OnFailure"));

        h.advanceSeconds(60);
        assertThat(log(h, "app")).containsExactly("0 start app", "10 exit app code 1", "10 start app",
                "20 exit app code 0");
        Pod p = h.pod("onfailure");
        assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        ContainerStatus app = main(p, "app");
        assertThat(app.getRestartCount()).isEqualTo(1);
        assertThat(state(app.getState())).isEqualTo("terminated Completed 0");
        assertThat(state(app.getLastState())).isEqualTo("terminated Error 1");
        assertThat(app.getReady()).isFalse();
        assertThat(h.kubectl("onfailure")).isEqualTo("0/1 Completed 1 (50s ago)");
    }

    @Test
    void matrixNeverRestartsNothingAndEndsFailedWithZeroRestarts() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", FAIL_SUCCEED_RUN);
        h.apply(pod("never", "Never"));

        h.advanceSeconds(60);
        assertThat(log(h, "app")).containsExactly("0 start app", "10 exit app code 1");
        Pod p = h.pod("never");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        ContainerStatus app = main(p, "app");
        assertThat(app.getRestartCount()).isZero();
        assertThat(state(app.getState())).isEqualTo("terminated Error 1");
        assertThat(state(app.getLastState())).isEqualTo("none");
        assertThat(app.getReady()).isFalse();
        assertThat(h.kubectl("never")).isEqualTo("0/1 Error 0");
    }

    // ---- §4.3 CrashLoopBackOff ----

    @Test
    void instantlyCrashingContainerIsRestartedAtGapsOf0_10_20_40_80_160_300_300() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(Duration.ZERO, 1));
        h.apply(pod("crash", "Always"));

        h.advanceSeconds(1300);
        assertThat(starts(h, "app")).containsExactly(0L, 0L, 10L, 30L, 70L, 150L, 310L, 610L, 910L, 1210L);
        Pod p = h.pod("crash");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(main(p, "app").getRestartCount()).isEqualTo(9);
        assertThat(main(p, "app").getState().getWaiting().getMessage())
                .isEqualTo("back-off 5m0s restarting failed container=app pod=crash_default(" + uid(h, "crash") + ")");
        assertThat(h.kubectl("crash")).isEqualTo("0/1 CrashLoopBackOff 9 (90s ago)");
    }

    @Test
    void crashLoopShowsWaitingReasonMessageLastStateAndRestartsColumn() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(2), 3));
        h.apply(pod("crashy", "Always"));
        String uid = uid(h, "crashy");

        // runs 0–2, restarted at 2 at once, runs 2–4, waits 10 s, runs 14–16, waits 20 s, runs 36–38, waits 40 s
        h.advanceSeconds(1);
        assertThat(h.kubectl("crashy")).isEqualTo("1/1 Running 0");
        h.advanceSeconds(2);
        assertThat(h.kubectl("crashy")).isEqualTo("1/1 Running 1 (1s ago)");
        h.advanceSeconds(2);
        // exited at 4: the sync of the exit shows it terminated; the back-off that sync found shows
        // in the next one, the retry 10 s later (here also the restart)
        assertThat(h.kubectl("crashy")).isEqualTo("0/1 Error 1 (3s ago)");
        assertThat(h.kubectlWatch("crashy")).containsExactly("0 0/1 Pending 0", "0 0/1 ContainerCreating 0", "0 1/1 Running 0",
                "2 0/1 Error 0", "2 1/1 Running 1 (0s ago)", "4 0/1 Error 1 (2s ago)");
        h.advanceSeconds(45);
        assertThat(starts(h, "app")).containsExactly(0L, 2L, 14L, 36L);
        Pod p = h.pod("crashy");
        ContainerStatus app = main(p, "app");
        assertThat(state(app.getState())).isEqualTo("waiting CrashLoopBackOff");
        assertThat(app.getState().getWaiting().getMessage())
                .isEqualTo("back-off 40s restarting failed container=app pod=crashy_default(" + uid + ")");
        assertThat(state(app.getLastState())).isEqualTo("terminated Error 3");
        assertThat(app.getLastState().getTerminated().getStartedAt()).isEqualTo("2026-01-01T00:00:36Z");
        assertThat(app.getLastState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:00:38Z");
        assertThat(app.getRestartCount()).isEqualTo(3);
        assertThat(app.getReady()).isFalse();
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(h.kubectl("crashy")).isEqualTo("0/1 CrashLoopBackOff 3 (12s ago)");
        assertThat(condition(p, "ContainersReady")).isEqualTo("False ContainersNotReady containers with unready status: [app]");
        assertThat(condition(p, "Ready")).isEqualTo("False ContainersNotReady containers with unready status: [app]");

        h.advanceSeconds(28); // 78: restarted at 78 = 38 + 40
        assertThat(h.kubectl("crashy")).isEqualTo("1/1 Running 4 (40s ago)");
        h.advanceSeconds(2);  // exits at 80
        assertThat(h.kubectl("crashy")).isEqualTo("0/1 Error 4 (42s ago)");
        h.advanceSeconds(10);  // the retry at 90 shows the wait of 80 s: Go duration format
        assertThat(h.kubectlWatch("crashy")).containsSubsequence("36 1/1 Running 3 (20s ago)", "38 0/1 Error 3 (22s ago)",
                "48 0/1 CrashLoopBackOff 3 (10s ago)", "78 1/1 Running 4 (40s ago)", "80 0/1 Error 4 (42s ago)",
                "90 0/1 CrashLoopBackOff 4 (10s ago)");
        assertThat(main(h.pod("crashy"), "app").getState().getWaiting().getMessage())
                .isEqualTo("back-off 1m20s restarting failed container=app pod=crashy_default(" + uid + ")");
    }

    @Test
    void backOffEventsRepeatEveryTenSecondsWhileWaitingAndAreCounted() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(Duration.ZERO, 1));
        h.apply(pod("bo", "Always"));
        String message = "Back-off restarting failed container app in pod bo_default(" + uid(h, "bo") + ")";

        // one occurrence per refused start: at each crash (0, 10, 30), at the first relist, which
        // finds the new sandbox (1), and every 10 s while waiting (20, then 40, 50, 60 until the
        // restart at 70); the relist after a crash the exit's sync saw makes no sync of its own
        h.advanceSeconds(35);
        assertThat(h.events("bo", "BackOff")).containsExactly("5x " + message);
        h.advanceSeconds(10);
        assertThat(h.events("bo", "BackOff")).containsExactly("6x " + message);
        h.advanceSeconds(10);
        assertThat(h.events("bo", "BackOff")).containsExactly("7x " + message);
        assertThat(h.events("bo")).contains("Warning BackOff " + message);
        assertThat(h.eventObjects("bo").stream().filter(e -> e.getReason().equals("BackOff")).findFirst().orElseThrow()
                .getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
    }

    @Test
    void backOffStartsOverAtTenSecondsAfterARunOfMoreThanTenMinutes() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", attempt -> attempt == 3
                ? script().exitAfter(ofSeconds(700), 1)
                : script().exitAfter(Duration.ZERO, 1));
        h.apply(pod("reset", "Always"));

        h.advanceSeconds(790);
        // restarts at 0, 10, 30; the run from 30 ends at 730 (730 − 30 > 600 s): restarted at once,
        // then the back-off counts again from 10 s
        assertThat(starts(h, "app")).containsExactly(0L, 0L, 10L, 30L, 730L, 740L, 760L);
        assertThat(main(h.pod("reset"), "app").getState().getWaiting().getMessage())
                .startsWith("back-off 40s restarting failed container=app");
    }

    @Test
    void changingTheImageGivesTheContainerAFreshBackOff() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(Duration.ZERO, 1));
        h.apply(pod("reimaged", "Always"));
        h.advanceSeconds(35); // restarts at 0, 10, 30; the next would be 40 s after the exit at 30
        assertThat(starts(h, "app")).containsExactly(0L, 0L, 10L, 30L);

        // a new spec hash is a new back-off key (4.3): started at once, then 10 s as for a new container
        Pod p = h.pod("reimaged");
        p.getSpec().getContainers().getFirst().setImage("busybox:1.37");
        h.cluster().update(p);
        h.advanceSeconds(15);
        assertThat(starts(h, "app")).containsExactly(0L, 0L, 10L, 30L, 35L, 45L);
        assertThat(main(h.pod("reimaged"), "app").getImage()).isEqualTo("busybox:1.37");
        assertThat(main(h.pod("reimaged"), "app").getRestartCount()).isEqualTo(5);
    }

    @Test
    void changingTheImageOfARunningContainerKillsAndRestartsIt() {
        NodeHarness h = new NodeHarness();
        h.apply(pod("redefined", "Always"));
        h.advanceSeconds(10);
        Pod p = h.pod("redefined");
        p.getSpec().getContainers().getFirst().setImage("busybox:1.37");
        h.cluster().update(p);
        h.advanceSeconds(1);
        // 8.7: the kill names the reason; the first restart after the kill is immediate
        assertThat(h.events("redefined", "Killing"))
                .containsExactly("1x Container app definition changed, will be restarted");
        assertThat(log(h, "app")).startsWith("0 start app", "10 SIGTERM app timeout 30s");
        assertThat(starts(h, "app")).containsExactly(0L, 10L);
        assertThat(main(h.pod("redefined"), "app").getImage()).isEqualTo("busybox:1.37");
        assertThat(main(h.pod("redefined"), "app").getRestartCount()).isEqualTo(1);
        assertThat(h.kubectl("redefined")).isEqualTo("1/1 Running 1 (1s ago)");
    }

    @Test
    void backOffKeepsGrowingAfterARunOfExactlyTenMinutes() {
        NodeHarness h = new NodeHarness();
        h.runtime().script("app", attempt -> attempt == 3
                ? script().exitAfter(ofSeconds(600), 1)
                : script().exitAfter(Duration.ZERO, 1));
        h.apply(pod("noreset", "Always"));

        h.advanceSeconds(700);
        // the run from 30 ends at 630; 630 − 30 = 600 s is not more than 600 s: wait the doubled 40 s
        assertThat(starts(h, "app")).containsExactly(0L, 0L, 10L, 30L, 670L);
        assertThat(main(h.pod("noreset"), "app").getState().getWaiting().getMessage())
                .startsWith("back-off 1m20s restarting failed container=app");
    }

    // ---- terminal outcomes ----

    @Test
    void onFailureWithExitZeroSucceedsWithCompletedConditions() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(5), 0));
        h.apply(pod("done", "OnFailure"));

        h.advanceSeconds(30);
        assertThat(log(h, "app")).containsExactly("0 start app", "5 exit app code 0");
        Pod p = h.pod("done");
        assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(h.kubectl("done")).isEqualTo("0/1 Completed 0");
        assertThat(state(main(p, "app").getState())).isEqualTo("terminated Completed 0");
        assertThat(condition(p, "Initialized")).isEqualTo("True PodCompleted");
        assertThat(condition(p, "ContainersReady")).isEqualTo("False PodCompleted");
        assertThat(condition(p, "Ready")).isEqualTo("False PodCompleted");
        assertThat(condition(p, "PodScheduled")).isEqualTo("True");
    }

    @Test
    void neverWithExitOneFailsWithPodFailedConditions() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(5), 1));
        h.apply(pod("bad", "Never"));

        h.advanceSeconds(30);
        assertThat(log(h, "app")).containsExactly("0 start app", "5 exit app code 1");
        Pod p = h.pod("bad");
        assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(h.kubectl("bad")).isEqualTo("0/1 Error 0");
        assertThat(state(main(p, "app").getState())).isEqualTo("terminated Error 1");
        assertThat(condition(p, "Initialized")).isEqualTo("True");
        assertThat(condition(p, "ContainersReady")).isEqualTo("False PodFailed");
        assertThat(condition(p, "Ready")).isEqualTo("False PodFailed");
    }

    // ---- start failure ----

    @Test
    void containerThatFailsToStartWaitsWithRunContainerErrorAndThenBacksOff() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().failToStart(START_ERROR));
        h.apply(pod("nostart", "Always"));
        assertThat(h.kubectl("nostart")).as("a sync shows what the one before did").isEqualTo("0/1 ContainerCreating 0");
        assertThat(h.events("nostart", "Failed")).containsExactly("1x Error: " + START_ERROR);

        // the relist sees the failed instance: its sync shows it and retries at once (no back-off yet)
        h.advanceSeconds(1);
        Pod p = h.pod("nostart");
        ContainerStatus app = main(p, "app");
        assertThat(state(app.getState())).isEqualTo("waiting RunContainerError");
        assertThat(app.getState().getWaiting().getMessage()).isEqualTo(START_ERROR);
        assertThat(state(app.getLastState())).isEqualTo("terminated StartError 128");
        assertThat(app.getRestartCount()).isZero();
        assertThat(h.kubectl("nostart")).isEqualTo("0/1 RunContainerError 0");
        // a waiting container with a previous termination counts as restarting (§1.2)
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");

        // the relist sees the second failed instance; this sync finds the 10 s back-off
        h.advanceSeconds(1);
        assertThat(h.kubectl("nostart")).isEqualTo("0/1 RunContainerError 1 (1s ago)");
        // the retry 10 s after the first failure shows the back-off the sync before recorded
        h.advanceSeconds(8);
        assertThat(h.kubectl("nostart")).isEqualTo("0/1 CrashLoopBackOff 1 (9s ago)");
        assertThat(main(h.pod("nostart"), "app").getState().getWaiting().getMessage())
                .isEqualTo("back-off 10s restarting failed container=app pod=nostart_default(" + uid(h, "nostart") + ")");
        // retried when the back-off ended at 11 (failed again), then 20 s of back-off
        h.advanceSeconds(2);
        assertThat(h.kubectl("nostart")).isEqualTo("0/1 RunContainerError 2 (1s ago)");
        h.advanceSeconds(10);
        assertThat(h.kubectl("nostart")).isEqualTo("0/1 CrashLoopBackOff 2 (11s ago)");
        assertThat(main(h.pod("nostart"), "app").getState().getWaiting().getMessage())
                .startsWith("back-off 20s restarting failed container=app");
        assertThat(h.runtimeLog().stream().filter(l -> l.contains("start-failed")).toList())
                .containsExactly("0 start-failed app", "1 start-failed app", "11 start-failed app");
        assertThat(h.events("nostart", "Failed")).containsExactly("3x Error: " + START_ERROR);
    }
}
