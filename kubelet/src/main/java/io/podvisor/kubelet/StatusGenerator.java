package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
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
 * (spec §2, §16.5). Pure apart from its inputs. Every object it returns is new (built with the
 * model's setters: it runs on every sync, where the builders' copying would be the main cost).
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

        PodStatus status = new PodStatus();
        status.setPhase(phase);
        status.setReason(reason);
        status.setMessage(message);
        status.setConditions(conditions);
        status.setHostIP(in.hostIp());
        status.setHostIPs(new ArrayList<>(List.of(new HostIP(in.hostIp()))));
        status.setStartTime(Times.format(in.startTime()));
        status.setQosClass(QosClasses.compute(pod.getSpec()));
        status.setContainerStatuses(main);
        if (!init.isEmpty()) {
            status.setInitContainerStatuses(init);
        }
        String ip = sandbox == null ? null : sandbox.ip();
        if (ip == null && in.previous() != null) {
            ip = in.previous().getPodIP();
        }
        if (ip != null) {
            status.setPodIP(ip);
            status.setPodIPs(new ArrayList<>(List.of(new PodIP(ip))));
        }
        return status;
    }

    private static ContainerStatus containerStatus(PodContainer c, Input in, boolean hasInit, String uid) {
        List<ContainerInfo> instances = in.observed().instances(c.name());
        ContainerInfo newest = instances.isEmpty() ? null : instances.getFirst();
        ContainerInfo previous = instances.size() < 2 ? null : instances.get(1);
        ReasonCache.Entry cached = in.reasons().get(uid, c.name());
        if (newest == null) {
            ContainerStatus kept = PreviousStatus.withoutInstance(c, in.previous(),
                    hasInit ? "PodInitializing" : "ContainerCreating", in.pod().getMetadata().getDeletionTimestamp() != null);
            ContainerStateTerminated ended = kept.getState().getTerminated();
            if (cached != null) {
                kept.setLastState(ended != null ? kept.getState() : kept.getLastState());
                kept.setState(waiting(cached.reason(), cached.message()));
            }
            boolean ready = c.kind() == ContainerKind.INIT && cached == null && ended != null
                    && Integer.valueOf(0).equals(ended.getExitCode());
            return finish(kept, kept.getLastState(), ready, false);
        }
        ContainerStatus s = new ContainerStatus();
        s.setName(c.name());
        s.setImage(c.spec().getImage());
        s.setImageID("");
        s.setRestartCount(ObservedPod.restartCount(newest));
        s.setContainerID(in.runtimeType() + "://" + newest.id());
        s.setImageID(imageId(newest));
        ContainerState state = state(newest, in);
        ContainerState last = previous == null ? new ContainerState() : state(previous, in);
        if (newest.state() == io.podvisor.runtime.ContainerState.UNKNOWN) {
            // as upstream: an unknown state is taken for a termination only where the container was
            // running before (and counted as one more restart); otherwise it is waiting, with no reason
            ContainerStatus old = PreviousStatus.find(in.previous(), c);
            if (old != null && old.getState() != null && old.getState().getRunning() != null) {
                s.setRestartCount((old.getRestartCount() == null ? 0 : old.getRestartCount()) + 1);
            } else {
                state = new ContainerState();
                state.setWaiting(new ContainerStateWaiting());
            }
        }
        boolean initSucceeded = c.kind() == ContainerKind.INIT && newest.state() == io.podvisor.runtime.ContainerState.EXITED
                && newest.exitCode() == 0;
        if (cached != null && newest.state() == io.podvisor.runtime.ContainerState.EXITED && !initSucceeded) {
            last = state;
            state = waiting(cached.reason(), cached.message());
        }
        boolean ready = c.kind() == ContainerKind.INIT ? initSucceeded : in.probes().ready(c, newest);
        boolean started = in.probes().started(c, newest);
        s.setState(state);
        return finish(s, last, ready, started);
    }

    private static ContainerStatus finish(ContainerStatus s, ContainerState last, boolean ready, boolean started) {
        s.setLastState(last);
        s.setReady(ready);
        s.setStarted(started);
        return s;
    }

    static ContainerState waiting(String reason, String message) {
        ContainerStateWaiting w = new ContainerStateWaiting();
        w.setReason(reason);
        w.setMessage(message);
        ContainerState state = new ContainerState();
        state.setWaiting(w);
        return state;
    }

    /** The runtime's image reference of the instance, else the one the kubelet created it from. */
    static String imageId(ContainerInfo inst) {
        String ref = inst.imageRef();
        return ref != null && !ref.isEmpty() ? ref : inst.annotations().getOrDefault(Labels.IMAGE_REF, "");
    }

    private static ContainerState state(ContainerInfo inst, Input in) {
        ContainerState state = new ContainerState();
        switch (inst.state()) {
            case CREATED -> state.setWaiting(new ContainerStateWaiting());
            case RUNNING -> {
                ContainerStateRunning running = new ContainerStateRunning();
                running.setStartedAt(Times.format(inst.startedAt()));
                state.setRunning(running);
            }
            case EXITED -> state.setTerminated(terminated(inst, in.runtimeType(),
                    in.messages().getOrDefault(inst.id(), inst.message())));
            case UNKNOWN -> {
                ContainerStateTerminated unknown = new ContainerStateTerminated();
                unknown.setExitCode(137);
                unknown.setReason("ContainerStatusUnknown");
                unknown.setMessage("The container could not be located when the pod was terminated");
                state.setTerminated(unknown);
            }
        }
        return state;
    }

    private static ContainerStateTerminated terminated(ContainerInfo inst, String runtimeType, String message) {
        ContainerStateTerminated t = new ContainerStateTerminated();
        t.setExitCode(inst.exitCode());
        t.setReason(inst.reason());
        t.setMessage(message);
        t.setStartedAt(Times.format(inst.startedAt() != null ? inst.startedAt() : inst.createdAt()));
        t.setFinishedAt(Times.format(inst.finishedAt()));
        t.setContainerID(runtimeType + "://" + inst.id());
        return t;
    }
}
