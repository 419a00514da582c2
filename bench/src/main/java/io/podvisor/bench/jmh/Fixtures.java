package io.podvisor.bench.jmh;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.podvisor.api.Times;
import java.time.Instant;
import java.util.List;

/**
 * The objects the microbenchmarks work on: a pod as a node holds it after a while (one init
 * container done, an app container and a sidecar, one restart, the kubelet's conditions), fixed in
 * time so every run computes the same thing.
 */
final class Fixtures {

    /** The instant the benchmarks compute at (ages, transition times). */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static final String STARTED = Times.format(NOW.minusSeconds(3600));

    private Fixtures() {}

    /** Pod {@code name} in {@code default}; {@code crashLooping} makes its app container wait in back-off. */
    static Pod pod(String name, boolean crashLooping) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .withResourceVersion("1234").withCreationTimestamp(Times.format(NOW.minusSeconds(7200)))
                .addToLabels("app", "web").addToLabels("tier", "frontend")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .endMetadata()
                .withNewSpec().withNodeName("bench").withRestartPolicy("Always")
                .addNewInitContainer().withName("init").withImage("busybox").withCommand("true").endInitContainer()
                .addNewContainer().withName("app").withImage("busybox:1.37").withCommand("httpd", "-f", "-p", "8080")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewEnv().withName("MODE").withValue("prod").endEnv()
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endResources()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("busybox").withCommand("sleep", "3600").endContainer()
                .addNewReadinessGate().withConditionType("example.com/gate").endReadinessGate()
                .endSpec()
                .withNewStatus().withPhase("Running").withHostIP("127.0.0.1").withPodIP("10.88.0.7")
                .withStartTime(STARTED).withQosClass("Burstable")
                .withConditions(previousConditions())
                .withInitContainerStatuses(initStatuses())
                .withContainerStatuses(mainStatuses(crashLooping))
                .endStatus()
                .build();
    }

    static List<ContainerStatus> initStatuses() {
        return List.of(new ContainerStatusBuilder().withName("init").withImage("busybox").withImageID("sha256:aa")
                .withContainerID("fake://1").withReady(true).withStarted(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                .withStartedAt(STARTED).withFinishedAt(STARTED).endTerminated().endState().build());
    }

    static List<ContainerStatus> mainStatuses(boolean crashLooping) {
        ContainerStatusBuilder app = new ContainerStatusBuilder().withName("app").withImage("busybox:1.37")
                .withImageID("sha256:bb").withContainerID("fake://3").withRestartCount(1)
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withStartedAt(STARTED).withFinishedAt(Times.format(NOW.minusSeconds(600))).endTerminated().endLastState();
        if (crashLooping) {
            app.withReady(false).withStarted(false).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off 10s restarting failed container=app").endWaiting().endState();
        } else {
            app.withReady(true).withStarted(true).withNewState().withNewRunning()
                    .withStartedAt(Times.format(NOW.minusSeconds(590))).endRunning().endState();
        }
        ContainerStatus sidecar = new ContainerStatusBuilder().withName("sidecar").withImage("busybox")
                .withImageID("sha256:aa").withContainerID("fake://2").withRestartCount(0).withReady(true)
                .withStarted(true).withNewState().withNewRunning().withStartedAt(STARTED).endRunning().endState().build();
        return List.of(app.build(), sidecar);
    }

    static List<PodCondition> previousConditions() {
        String at = Times.format(NOW.minusSeconds(3000));
        return List.of(
                condition("example.com/gate", "True", at),
                condition("PodReadyToStartContainers", "True", at),
                condition("Initialized", "True", at),
                condition("Ready", "True", at),
                condition("ContainersReady", "True", at),
                condition("PodScheduled", "True", at));
    }

    private static PodCondition condition(String type, String status, String at) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(at).build();
    }
}
