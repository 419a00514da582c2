package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.podvisor.api.QosClasses;
import io.podvisor.api.Times;
import io.podvisor.kubelet.status.PodConditions;
import io.podvisor.kubelet.status.PodPhases;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.SandboxInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Computes a pod's API status from what the runtime holds, the reason cache and the probe results
 * (spec §2, §16.5). Pure apart from its inputs.
 */
final class StatusGenerator {

    /**
     * Everything one status generation reads.
     *
     * @param messages the termination message of exited instances by container id (see
     *                 {@link TerminationMessages}); an instance without one shows the runtime's message
     */
    record Input(Pod pod, List<PodContainer> containers, ObservedPod observed, ProbeView probes,
                 ReasonCache reasons, String runtimeType, String hostIp, Instant startTime,
                 boolean podIsTerminal, String forcedReason, String forcedMessage,
                 PodStatus previous, Instant now, Map<String, String> messages) {}

    private StatusGenerator() {}

    static PodStatus generate(Input in) {
        Pod pod = in.pod();
        String uid = pod.getMetadata().getUid();
        boolean hasInit = in.containers().stream().anyMatch(c -> c.kind() != ContainerKind.MAIN);
        List<ContainerStatus> init = new ArrayList<>();
        List<ContainerStatus> main = new ArrayList<>();
        for (PodContainer c : in.containers()) {
            ContainerStatus s = containerStatus(c, in, hasInit, uid);
            (c.kind() == ContainerKind.MAIN ? main : init).add(s);
        }
        main.sort(Comparator.comparing(ContainerStatus::getName));

        String previousPhase = in.previous() == null ? null : in.previous().getPhase();
        String phase = PodPhases.sticky(previousPhase,
                PodPhases.compute(pod.getSpec(), init, main, in.podIsTerminal(), false));
        String reason = null;
        String message = null;
        if (in.forcedReason() != null) {
            phase = "Failed";
            reason = in.forcedReason();
            message = in.forcedMessage();
        } else if (in.previous() != null && phase.equals(previousPhase)) {
            reason = in.previous().getReason();
            message = in.previous().getMessage();
        }

        SandboxInfo sandbox = in.observed().sandboxes().isEmpty() ? null : in.observed().sandboxes().getFirst();
        boolean sandboxReady = sandbox != null && sandbox.ready();
        var conditions = PodConditions.compute(new PodConditions.Input(pod.getSpec(), phase, init, main,
                sandboxReady, in.previous() == null ? List.of() : in.previous().getConditions(), in.now()));

        PodStatusBuilder b = new PodStatusBuilder()
                .withPhase(phase)
                .withReason(reason)
                .withMessage(message)
                .withConditions(conditions)
                .withHostIP(in.hostIp())
                .withHostIPs(new io.fabric8.kubernetes.api.model.HostIP(in.hostIp()))
                .withStartTime(Times.format(in.startTime()))
                .withQosClass(QosClasses.compute(pod.getSpec()))
                .withContainerStatuses(main);
        if (!init.isEmpty()) {
            b.withInitContainerStatuses(init);
        }
        String ip = sandbox == null ? null : sandbox.ip();
        if (ip == null && in.previous() != null) {
            ip = in.previous().getPodIP();
        }
        if (ip != null) {
            b.withPodIP(ip).withPodIPs(new PodIP(ip));
        }
        return b.build();
    }

    private static ContainerStatus containerStatus(PodContainer c, Input in, boolean hasInit, String uid) {
        List<ContainerInfo> instances = in.observed().instances(c.name());
        ContainerInfo newest = instances.isEmpty() ? null : instances.getFirst();
        ContainerInfo previous = instances.size() < 2 ? null : instances.get(1);
        ContainerStatusBuilder b = new ContainerStatusBuilder()
                .withName(c.name())
                .withImage(c.spec().getImage())
                .withImageID("")
                .withRestartCount(newest == null ? 0 : ObservedPod.restartCount(newest));
        if (newest == null) {
            String waiting = hasInit ? "PodInitializing" : "ContainerCreating";
            ReasonCache.Entry cached = in.reasons().get(uid, c.name());
            ContainerState state = cached != null
                    ? new ContainerStateBuilder().withNewWaiting().withReason(cached.reason()).withMessage(cached.message()).endWaiting().build()
                    : new ContainerStateBuilder().withNewWaiting().withReason(waiting).endWaiting().build();
            return b.withState(state).withLastState(new ContainerState()).withReady(false).withStarted(false).build();
        }
        b.withContainerID(in.runtimeType() + "://" + newest.id()).withImageID(imageId(newest));
        ContainerState state = state(newest, in);
        ContainerState last = previous == null ? new ContainerState() : state(previous, in);
        ReasonCache.Entry cached = in.reasons().get(uid, c.name());
        boolean initSucceeded = c.kind() == ContainerKind.INIT && newest.state() == io.podvisor.runtime.ContainerState.EXITED
                && newest.exitCode() == 0;
        if (cached != null && newest.state() == io.podvisor.runtime.ContainerState.EXITED && !initSucceeded) {
            last = state;
            state = new ContainerStateBuilder().withNewWaiting().withReason(cached.reason())
                    .withMessage(cached.message()).endWaiting().build();
        }
        boolean ready = c.kind() == ContainerKind.INIT ? initSucceeded : in.probes().ready(c, newest);
        boolean started = c.kind() != ContainerKind.INIT && in.probes().started(c, newest);
        return b.withState(state).withLastState(last).withReady(ready).withStarted(started).build();
    }

    /** The runtime's image reference of the instance, else the one the kubelet created it from. */
    static String imageId(ContainerInfo inst) {
        String ref = inst.imageRef();
        return ref != null && !ref.isEmpty() ? ref : inst.annotations().getOrDefault(Labels.IMAGE_REF, "");
    }

    private static ContainerState state(ContainerInfo inst, Input in) {
        String runtimeType = in.runtimeType();
        return switch (inst.state()) {
            case CREATED -> new ContainerStateBuilder().withNewWaiting().endWaiting().build();
            case RUNNING -> new ContainerStateBuilder().withNewRunning().withStartedAt(Times.format(inst.startedAt())).endRunning().build();
            case EXITED -> new ContainerStateBuilder().withTerminated(terminated(inst, runtimeType,
                    in.messages().getOrDefault(inst.id(), inst.message()))).build();
            case UNKNOWN -> new ContainerStateBuilder().withTerminated(new ContainerStateTerminatedBuilder()
                    .withExitCode(137).withReason("ContainerStatusUnknown")
                    .withMessage("The container could not be located when the pod was terminated").build()).build();
        };
    }

    private static ContainerStateTerminated terminated(ContainerInfo inst, String runtimeType, String message) {
        return new ContainerStateTerminatedBuilder()
                .withExitCode(inst.exitCode())
                .withReason(inst.reason())
                .withMessage(message)
                .withStartedAt(Times.format(inst.startedAt() != null ? inst.startedAt() : inst.createdAt()))
                .withFinishedAt(Times.format(inst.finishedAt()))
                .withContainerID(runtimeType + "://" + inst.id())
                .build();
    }
}
