package io.podvisor.api.printers;

import static io.podvisor.api.printers.TestPods.NOW;
import static io.podvisor.api.printers.TestPods.crashLooping;
import static io.podvisor.api.printers.TestPods.pod;
import static io.podvisor.api.printers.TestPods.running;
import static io.podvisor.api.printers.TestPods.runningNotStarted;
import static io.podvisor.api.printers.TestPods.signalled;
import static io.podvisor.api.printers.TestPods.terminated;
import static io.podvisor.api.printers.TestPods.waiting;
import static io.podvisor.api.printers.TestPods.withRestarts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PodColumnsTest {

    /** READY, STATUS and RESTARTS joined the way a reader compares them with kubectl output. */
    private static String columns(TestPods p) {
        Pod built = p.build();
        return PodColumns.ready(built) + " " + PodColumns.status(built) + " " + PodColumns.restarts(built, NOW);
    }

    @Nested
    class BeforeContainersRun {

        @Test
        void pendingWithoutStatuses() {
            assertThat(columns(pod().containers("app").phase("Pending"))).isEqualTo("0/1 Pending 0");
        }

        @Test
        void unschedulableStaysPending() {
            assertThat(columns(pod().containers("app").condition("PodScheduled", "False", "Unschedulable")))
                    .isEqualTo("0/1 Pending 0");
        }

        @Test
        void schedulingGatedOverridesPhase() {
            assertThat(columns(pod().containers("app").condition("PodScheduled", "False", "SchedulingGated")))
                    .isEqualTo("0/1 SchedulingGated 0");
        }

        @Test
        void absentPhaseReadsAsPending() {
            Pod bare = new PodBuilder().withNewMetadata().withName("x").endMetadata()
                    .withNewSpec().addNewContainer().withName("a").endContainer().endSpec().build();
            assertThat(PodColumns.status(bare)).isEqualTo("Pending");
            assertThat(PodColumns.ready(bare)).isEqualTo("0/1");
            assertThat(PodColumns.restarts(bare, NOW)).isEqualTo("0");
        }

        @Test
        void containerCreating() {
            assertThat(columns(pod().containers("app").status(waiting("app", "ContainerCreating"))))
                    .isEqualTo("0/1 ContainerCreating 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError", "RunContainerError"})
        void waitingReasonOfMainContainerIsShown(String why) {
            assertThat(columns(pod().containers("app").status(waiting("app", why)))).isEqualTo("0/1 " + why + " 0");
        }
    }

    @Nested
    class MainContainers {

        @Test
        void runningAndReady() {
            assertThat(columns(pod().containers("app").phase("Running").status(running("app", true))))
                    .isEqualTo("1/1 Running 0");
        }

        @Test
        void runningButUnreadyStillSaysRunning() {
            assertThat(columns(pod().containers("app").phase("Running").status(running("app", false))))
                    .isEqualTo("0/1 Running 0");
        }

        @Test
        void crashLoopBackOffShowsRestartsAndAge() {
            assertThat(columns(pod().containers("app").phase("Running").status(crashLooping("app", 4, 33))))
                    .isEqualTo("0/1 CrashLoopBackOff 4 (33s ago)");
        }

        @Test
        void oomKilled() {
            var p = pod().containers("app").phase("Running")
                    .status(withRestarts(terminated("app", 137, "OOMKilled"), 2, 65));
            assertThat(columns(p)).isEqualTo("0/1 OOMKilled 2 (65s ago)");
        }

        @Test
        void error() {
            assertThat(columns(pod().containers("app").phase("Failed").status(terminated("app", 1, "Error"))))
                    .isEqualTo("0/1 Error 0");
        }

        @Test
        void completed() {
            assertThat(columns(pod().containers("app").phase("Succeeded").status(terminated("app", 0, "Completed"))))
                    .isEqualTo("0/1 Completed 0");
        }

        @Test
        void exitCodeWhenTerminatedWithoutReason() {
            assertThat(columns(pod().containers("app").phase("Failed").status(terminated("app", 3, ""))))
                    .isEqualTo("0/1 ExitCode:3 0");
        }

        @Test
        void signalWhenTerminatedWithoutReasonButWithSignal() {
            assertThat(columns(pod().containers("app").phase("Failed").status(signalled("app", 137, 9))))
                    .isEqualTo("0/1 Signal:9 0");
        }

        @Test
        void completedBesideReadyRunningIsNotReadyWhenPodNotReady() {
            var p = pod().containers("a", "b").phase("Running").condition("Ready", "False")
                    .status(terminated("a", 0, "Completed")).status(running("b", true));
            assertThat(columns(p)).isEqualTo("1/2 NotReady 0");
        }

        @Test
        void completedBesideReadyRunningIsRunningWhenPodReady() {
            var p = pod().containers("a", "b").phase("Running").condition("Ready", "True")
                    .status(terminated("a", 0, "Completed")).status(running("b", true));
            assertThat(columns(p)).isEqualTo("1/2 Running 0");
        }

        @Test
        void completedBesideUnreadyRunningStaysCompleted() {
            var p = pod().containers("a", "b").phase("Running").condition("Ready", "False")
                    .status(terminated("a", 0, "Completed")).status(running("b", false));
            assertThat(columns(p)).isEqualTo("0/2 Completed 0");
        }

        @Test
        void alphabeticallyFirstContainerWithReasonWins() {
            var p = pod().containers("a", "b", "c").phase("Running")
                    .status(crashLooping("a", 1, 10)).status(running("b", true)).status(terminated("c", 137, "OOMKilled"));
            assertThat(columns(p)).isEqualTo("1/3 CrashLoopBackOff 1 (10s ago)");
        }

        @Test
        void restartsSumAllMainsAndShowMostRecentFinish() {
            var p = pod().containers("a", "b").phase("Running")
                    .status(withRestarts(running("a", true), 2, 300)).status(withRestarts(running("b", true), 5, 42));
            assertThat(columns(p)).isEqualTo("2/2 Running 7 (42s ago)");
        }

        @Test
        void restartsWithoutPreviousFinishTimeHaveNoAgo() {
            var p = pod().containers("app").phase("Running")
                    .status(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(running("app", true))
                            .withRestartCount(3).build());
            assertThat(columns(p)).isEqualTo("1/1 Running 3");
        }
    }

    @Nested
    class InitContainers {

        @Test
        void firstOfTwoRunning() {
            var p = pod().inits("i1", "i2").containers("app").condition("Initialized", "False")
                    .initStatus(running("i1", false)).initStatus(waiting("i2", "PodInitializing"))
                    .status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:0/2 0");
        }

        @Test
        void secondOfTwoRunning() {
            var p = pod().inits("i1", "i2").containers("app").condition("Initialized", "False")
                    .initStatus(terminated("i1", 0, "Completed")).initStatus(running("i2", false))
                    .status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:1/2 0");
        }

        @Test
        void failedInitShowsTerminatedReason() {
            var p = pod().inits("i1", "i2").containers("app").condition("Initialized", "False")
                    .initStatus(terminated("i1", 1, "Error")).initStatus(waiting("i2", "PodInitializing"))
                    .status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:Error 0");
        }

        @Test
        void crashLoopingInitUnderAlways() {
            var p = pod().inits("i1", "i2").containers("app").condition("Initialized", "False")
                    .initStatus(crashLooping("i1", 3, 20)).initStatus(waiting("i2", "PodInitializing"))
                    .status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:CrashLoopBackOff 3 (20s ago)");
        }

        @Test
        void restartsWhileInitializingSumVisitedInitContainersOnly() {
            var p = pod().inits("i1", "i2", "i3").containers("app").condition("Initialized", "False")
                    .initStatus(withRestarts(terminated("i1", 0, "Completed"), 2, 90))
                    .initStatus(crashLooping("i2", 3, 400))
                    .initStatus(withRestarts(waiting("i3", "PodInitializing"), 7, 1))
                    .status(withRestarts(waiting("app", "PodInitializing"), 9, 1));
            assertThat(columns(p)).isEqualTo("0/1 Init:CrashLoopBackOff 5 (90s ago)");
        }

        @Test
        void exitCodeWhenInitTerminatedWithoutReason() {
            var p = pod().inits("i1").containers("app").phase("Failed")
                    .initStatus(terminated("i1", 3, "")).status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:ExitCode:3 0");
        }

        @Test
        void signalWhenInitTerminatedWithoutReasonButWithSignal() {
            var p = pod().inits("i1").containers("app")
                    .initStatus(signalled("i1", 143, 15)).status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:Signal:15 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"})
        void waitingInitReasonIsPrefixed(String why) {
            var p = pod().inits("i1").containers("app")
                    .initStatus(waiting("i1", why)).status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:" + why + " 0");
        }

        @Test
        void waitingPodInitializingInitCountsAsNotStarted() {
            var p = pod().inits("i1").containers("app")
                    .initStatus(waiting("i1", "PodInitializing")).status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:0/1 0");
        }

        @Test
        void podInitializingOnceInitsAreDone() {
            var p = pod().inits("i1", "i2").containers("app").condition("Initialized", "True")
                    .initStatus(terminated("i1", 0, "Completed")).initStatus(terminated("i2", 0, "Completed"))
                    .status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 PodInitializing 0");
        }

        @Test
        void regularInitRestartsAreHiddenOnceInitialized() {
            var p = pod().inits("i1").containers("app").phase("Running").condition("Initialized", "True")
                    .initStatus(withRestarts(terminated("i1", 0, "Completed"), 4, 30))
                    .status(running("app", true));
            assertThat(columns(p)).isEqualTo("1/1 Running 0");
        }
    }

    @Nested
    class Sidecars {

        @Test
        void webAndSidecarBothReady() {
            var p = pod().sidecar("proxy").containers("web").phase("Running").condition("Initialized", "True")
                    .initStatus(running("proxy", true)).status(running("web", true));
            assertThat(columns(p)).isEqualTo("2/2 Running 0");
        }

        @Test
        void startedButUnreadySidecarIsNotCounted() {
            var p = pod().sidecar("proxy").containers("web").phase("Running").condition("Initialized", "True")
                    .initStatus(running("proxy", false)).status(running("web", true));
            assertThat(columns(p)).isEqualTo("1/2 Running 0");
        }

        @Test
        void sidecarStartupProbeNotPassedBlocksInit() {
            var p = pod().sidecar("proxy").containers("web").condition("Initialized", "False")
                    .initStatus(runningNotStarted("proxy")).status(waiting("web", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/2 Init:0/1 0");
        }

        @Test
        void startedSidecarIsCountedWhileLaterInitRuns() {
            var p = pod().sidecar("proxy").inits("migrate").containers("web").condition("Initialized", "False")
                    .initStatus(running("proxy", true)).initStatus(running("migrate", false))
                    .status(waiting("web", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("1/2 Init:1/2 0");
        }

        @Test
        void jobPodWithSidecarAfterCompletion() {
            var p = pod().sidecar("proxy").containers("job").phase("Succeeded")
                    .condition("Initialized", "True", "PodCompleted").condition("Ready", "False", "PodCompleted")
                    .initStatus(terminated("proxy", 137, "Error")).status(terminated("job", 0, "Completed"));
            assertThat(columns(p)).isEqualTo("0/2 Completed 0");
        }

        @Test
        void deadSidecarWithoutInitializedConditionShowsInitError() {
            // Documents why the Initialized condition matters: without it the init loop result stands.
            var p = pod().sidecar("proxy").containers("job").phase("Succeeded")
                    .initStatus(terminated("proxy", 137, "Error")).status(terminated("job", 0, "Completed"));
            assertThat(columns(p)).isEqualTo("0/2 Init:Error 0");
        }

        @Test
        void sidecarCrashLoopingBesideReadyMain() {
            // The init loop stops at the waiting sidecar (Init:CrashLoopBackOff); the main loop then
            // runs because the pod is Initialized, but a running main container sets no reason.
            var p = pod().sidecar("proxy").containers("web").phase("Running")
                    .condition("Initialized", "True").condition("Ready", "False")
                    .initStatus(crashLooping("proxy", 3, 20))
                    .status(withRestarts(running("web", true), 1, 300));
            assertThat(columns(p)).isEqualTo("1/2 Init:CrashLoopBackOff 4 (20s ago)");
        }

        @Test
        void sidecarRestartsAreAddedToMainRestartsOnceInitialized() {
            var p = pod().inits("setup").sidecar("proxy").containers("web").phase("Running")
                    .condition("Initialized", "True")
                    .initStatus(withRestarts(terminated("setup", 0, "Completed"), 6, 5))
                    .initStatus(withRestarts(running("proxy", true), 2, 120))
                    .status(withRestarts(running("web", true), 1, 3600));
            assertThat(columns(p)).isEqualTo("2/2 Running 3 (2m ago)");
        }
    }

    @Nested
    class TerminationAndOverrides {

        @Test
        void deletingRunningPodIsTerminating() {
            var p = pod().containers("app").phase("Running").status(running("app", true)).deleting();
            assertThat(columns(p)).isEqualTo("1/1 Terminating 0");
        }

        @Test
        void deletingPendingPodIsTerminating() {
            var p = pod().inits("i1").containers("app").initStatus(running("i1", false))
                    .status(waiting("app", "PodInitializing")).deleting();
            assertThat(columns(p)).isEqualTo("0/1 Terminating 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Succeeded", "Failed"})
        void deletingTerminalPodKeepsItsStatus(String phase) {
            String why = phase.equals("Succeeded") ? "Completed" : "Error";
            var p = pod().containers("app").phase(phase).status(terminated("app", phase.equals("Succeeded") ? 0 : 1, why))
                    .deleting();
            assertThat(columns(p)).isEqualTo("0/1 " + why + " 0");
        }

        @Test
        void nodeLostWhileDeletingIsUnknown() {
            var p = pod().containers("app").phase("Running").reason("NodeLost").status(running("app", true)).deleting();
            assertThat(columns(p)).isEqualTo("1/1 Unknown 0");
        }

        @Test
        void nodeLostWithoutDeletionShowsReason() {
            var p = pod().containers("app").phase("Running").reason("NodeLost").status(running("app", true));
            assertThat(columns(p)).isEqualTo("1/1 NodeLost 0");
        }

        @Test
        void evicted() {
            var p = pod().containers("app").phase("Failed").reason("Evicted").status(running("app", false));
            assertThat(columns(p)).isEqualTo("0/1 Evicted 0");
        }

        @Test
        void evictedWithoutContainerStatuses() {
            assertThat(columns(pod().containers("app").phase("Failed").reason("Evicted"))).isEqualTo("0/1 Evicted 0");
        }

        @Test
        void containerReasonBeatsPodReason() {
            var p = pod().containers("app").phase("Failed").reason("DeadlineExceeded")
                    .status(terminated("app", 137, "Error"));
            assertThat(columns(p)).isEqualTo("0/1 Error 0");
        }

        @Test
        void deadlineExceededWhileInitializing() {
            var p = pod().inits("i1").containers("app").phase("Failed").reason("DeadlineExceeded")
                    .initStatus(running("i1", false)).status(waiting("app", "PodInitializing"));
            assertThat(columns(p)).isEqualTo("0/1 Init:0/1 0");
        }
    }

    @Nested
    class Rows {

        @Test
        void rowCarriesAllColumns() {
            Pod p = pod().containers("app").phase("Running").created(NOW.minusSeconds(125))
                    .status(crashLooping("app", 4, 33)).build();
            assertThat(PodColumns.row(p, NOW))
                    .isEqualTo(new PodColumns.Row("p", "0/1", "CrashLoopBackOff", "4 (33s ago)", "2m5s"));
        }

        @Test
        void ageIsUnknownWithoutCreationTimestamp() {
            Pod p = pod().containers("app").build();
            assertThat(PodColumns.row(p, NOW)).isEqualTo(new PodColumns.Row("p", "0/1", "Pending", "0", "<unknown>"));
        }

        @Test
        void ageOfOldPod() {
            Pod p = pod().containers("app").created(NOW.minusSeconds(2 * 86400 + 3 * 3600 + 59)).build();
            assertThat(PodColumns.row(p, NOW).age()).isEqualTo("2d3h");
        }
    }
}
