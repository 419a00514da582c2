package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.podvisor.api.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small fluent builder for pods in a given printing situation. */
final class TestPods {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").endMetadata();
    private final List<Container> inits = new ArrayList<>();
    private final List<Container> mains = new ArrayList<>();
    private final List<ContainerStatus> initStatuses = new ArrayList<>();
    private final List<ContainerStatus> mainStatuses = new ArrayList<>();
    private final List<PodCondition> conditions = new ArrayList<>();
    private String phase = "Pending";
    private String reason;

    private TestPods() {}

    static TestPods pod() {
        return new TestPods();
    }

    /** Declares main containers (spec only). */
    TestPods containers(String... names) {
        for (String n : names) {
            mains.add(new ContainerBuilder().withName(n).withImage("busybox").build());
        }
        return this;
    }

    /** Declares regular init containers (spec only). */
    TestPods inits(String... names) {
        for (String n : names) {
            inits.add(new ContainerBuilder().withName(n).withImage("busybox").build());
        }
        return this;
    }

    /** Declares a native sidecar (init container with restartPolicy Always). */
    TestPods sidecar(String name) {
        inits.add(new ContainerBuilder().withName(name).withImage("envoy").withRestartPolicy("Always").build());
        return this;
    }

    TestPods initStatus(ContainerStatus s) {
        initStatuses.add(s);
        return this;
    }

    TestPods status(ContainerStatus s) {
        mainStatuses.add(s);
        return this;
    }

    TestPods phase(String p) {
        this.phase = p;
        return this;
    }

    TestPods reason(String r) {
        this.reason = r;
        return this;
    }

    TestPods condition(String type, String status) {
        return condition(type, status, null);
    }

    TestPods condition(String type, String status, String why) {
        conditions.add(new PodConditionBuilder().withType(type).withStatus(status).withReason(why).build());
        return this;
    }

    TestPods deleting() {
        pod.editMetadata().withDeletionTimestamp(Times.format(NOW.minusSeconds(3))).endMetadata();
        return this;
    }

    TestPods created(Instant at) {
        pod.editMetadata().withCreationTimestamp(Times.format(at)).endMetadata();
        return this;
    }

    Pod build() {
        return pod.withNewSpec().withInitContainers(inits).withContainers(mains).endSpec()
                .withNewStatus().withPhase(phase).withReason(reason).withConditions(conditions)
                .withInitContainerStatuses(initStatuses).withContainerStatuses(mainStatuses).endStatus()
                .build();
    }

    // ---- container statuses ----

    static ContainerStatusBuilder base(String name) {
        return new ContainerStatusBuilder().withName(name).withImage("busybox").withRestartCount(0)
                .withReady(false).withStarted(false);
    }

    static ContainerStatus running(String name, boolean ready) {
        return base(name).withReady(ready).withStarted(true)
                .withNewState().withNewRunning().withStartedAt(Times.format(NOW.minusSeconds(600))).endRunning().endState()
                .build();
    }

    /** A running container that has not passed its startup probe yet. */
    static ContainerStatus runningNotStarted(String name) {
        return base(name).withNewState().withNewRunning().withStartedAt(Times.format(NOW.minusSeconds(5))).endRunning()
                .endState().build();
    }

    static ContainerStatus waiting(String name, String reason) {
        return base(name).withNewState().withNewWaiting().withReason(reason).endWaiting().endState().build();
    }

    static ContainerStatus terminated(String name, int exitCode, String reason) {
        return base(name).withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withFinishedAt(Times.format(NOW.minusSeconds(1))).endTerminated().endState().build();
    }

    static ContainerStatus signalled(String name, int exitCode, int signal) {
        return base(name).withNewState().withNewTerminated().withExitCode(exitCode).withSignal(signal)
                .endTerminated().endState().build();
    }

    /** A container waiting in back-off after {@code restarts} restarts, the last exit {@code agoSeconds} ago. */
    static ContainerStatus crashLooping(String name, int restarts, long agoSeconds) {
        return withRestarts(waiting(name, "CrashLoopBackOff"), restarts, agoSeconds);
    }

    /** Copies {@code s} with a restart count and a previous termination finished {@code agoSeconds} ago. */
    static ContainerStatus withRestarts(ContainerStatus s, int restarts, long agoSeconds) {
        return new ContainerStatusBuilder(s).withRestartCount(restarts)
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withFinishedAt(Times.format(NOW.minusSeconds(agoSeconds))).endTerminated().endLastState()
                .build();
    }
}
