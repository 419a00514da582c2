package io.podvisor.kubelet.probe;

import io.fabric8.kubernetes.api.model.Probe;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.core.Clock;
import io.podvisor.kubelet.ContainerKind;
import io.podvisor.kubelet.Messages;
import io.podvisor.kubelet.PodContainer;
import io.podvisor.kubelet.PodWorker;
import io.podvisor.kubelet.ProbeView.ProbeType;
import io.podvisor.kubelet.ProbeView.Result;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import java.time.Duration;
import java.time.Instant;

/**
 * One probe of one container of one pod (spec §7.2). Ticks every {@code periodSeconds} from its
 * creation, on the pod's key, so it never races the pod's sync. Resets on a new container instance;
 * publishes a result only after {@code failureThreshold} / {@code successThreshold} consecutive
 * equal outcomes; goes on hold after a published liveness failure or any startup result until the
 * next instance. A readiness worker can also be {@linkplain #trigger() triggered} to probe at once,
 * after which its ticks count from that moment.
 */
final class ProbeWorker {

    private final ProbeManager manager;
    private final PodWorker pod;
    private final PodContainer container;
    private final ProbeType type;
    private final Probe probe;
    private final Clock clock;
    private Instant base;
    private long ticks;
    private Instant lastRun;
    private boolean probing;
    private boolean triggerPending;
    private boolean triggerAfterProbe;
    private boolean stopped;
    private Clock.Timer timer;
    private String instanceId;
    private Result lastOutcome;
    private int run;
    private boolean onHold;

    ProbeWorker(ProbeManager manager, PodWorker pod, PodContainer container, ProbeType type, Probe probe, Clock clock) {
        this.manager = manager;
        this.pod = pod;
        this.container = container;
        this.type = type;
        this.probe = probe;
        this.clock = clock;
        this.base = clock.now();
    }

    void start() {
        timer = clock.schedule(Duration.ZERO, () -> pod.execute(this::tick));
    }

    /**
     * Runs a probe now instead of waiting for the next tick, and restarts the period from now
     * (spec 7.2, 7.6: a started but unready container is re-probed when its status is regenerated).
     * Coalesces with a trigger not yet handled; waits for a probe still running; ignored if a probe
     * already ran at this instant.
     */
    void trigger() {
        if (stopped || triggerPending) {
            return;
        }
        triggerPending = true;
        pod.execute(() -> {
            triggerPending = false;
            runTriggered();
        });
    }

    private void runTriggered() {
        if (stopped || clock.now().equals(lastRun)) {
            return;
        }
        if (probing) {
            triggerAfterProbe = true;
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        base = clock.now();
        ticks = 0;
        tick();
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void scheduleNext() {
        if (stopped) {
            return;
        }
        long period = Math.max(1, probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds());
        ticks++;
        timer = clock.scheduleAt(base.plusSeconds(period * ticks), () -> pod.execute(this::tick));
    }

    private void tick() {
        if (stopped) {
            return;
        }
        if (pod.isTerminated() || "Succeeded".equals(pod.publishedPhase()) || "Failed".equals(pod.publishedPhase())) {
            stop();
            return;
        }
        boolean keepGoing = probeOnce();
        if (keepGoing) {
            scheduleNext();
        } else {
            stop();
        }
    }

    /** One tick; false when the worker should exit. */
    private boolean probeOnce() {
        ContainerInfo inst = pod.newestInstance(container.name());
        if (inst == null) {
            return true;
        }
        if (!inst.id().equals(instanceId)) {
            if (instanceId != null) {
                manager.clear(instanceId, type);
            }
            instanceId = inst.id();
            lastOutcome = null;
            run = 0;
            onHold = false;
        }
        if (onHold) {
            return true;
        }
        if (inst.state() != ContainerState.RUNNING) {
            manager.set(pod, inst.id(), type, Result.FAILURE);
            return inst.state() != ContainerState.EXITED || willRestart();
        }
        if (pod.pod().getMetadata().getDeletionTimestamp() != null && type != ProbeType.READINESS) {
            manager.set(pod, inst.id(), type, Result.SUCCESS);
            return false;
        }
        int initialDelay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
        if (inst.startedAt() != null && Duration.between(inst.startedAt(), clock.now()).getSeconds() < initialDelay) {
            return true;
        }
        boolean started = manager.started(container, inst);
        if ((type == ProbeType.STARTUP) == started) {
            return true;
        }
        String id = inst.id();
        lastRun = clock.now();
        probing = true;
        manager.runner().run(probe, container.spec(), id, pod.podIp())
                .whenComplete((o, e) -> pod.execute(() -> {
                    probing = false;
                    handle(id, e != null ? ProbeRunner.Outcome.error(e.toString()) : o);
                    if (triggerAfterProbe) {
                        triggerAfterProbe = false;
                        runTriggered();
                    }
                }));
        return true;
    }

    /** 7.2 step 5: an exited container is probed again only if it may be restarted; sidecars always are (6.4). */
    private boolean willRestart() {
        return container.kind() == ContainerKind.SIDECAR || !"Never".equals(pod.pod().getSpec().getRestartPolicy());
    }

    private void handle(String id, ProbeRunner.Outcome o) {
        if (stopped || !id.equals(instanceId) || onHold) {
            return;
        }
        if (o.kind() == ProbeRunner.Outcome.Kind.ERROR) {
            pod.event(container, EventTypes.WARNING, Reasons.UNHEALTHY, Messages.probeErrored(type.title(), o.output()));
            return;
        }
        if (o.kind() == ProbeRunner.Outcome.Kind.WARNING) {
            pod.event(container, EventTypes.WARNING, Reasons.PROBE_WARNING, Messages.probeWarning(type.title(), o.output()));
        }
        Result r = o.kind() == ProbeRunner.Outcome.Kind.FAILURE ? Result.FAILURE : Result.SUCCESS;
        if (r == Result.FAILURE) {
            pod.event(container, EventTypes.WARNING, Reasons.UNHEALTHY, Messages.probeFailed(type.title(), o.output()));
        }
        run = r == lastOutcome ? run + 1 : 1;
        lastOutcome = r;
        int threshold = r == Result.FAILURE ? orOne(probe.getFailureThreshold(), 3) : orOne(probe.getSuccessThreshold(), 1);
        if (run < threshold) {
            return;
        }
        manager.set(pod, id, type, r);
        if ((type == ProbeType.LIVENESS && r == Result.FAILURE) || type == ProbeType.STARTUP) {
            onHold = true;
        }
    }

    private static int orOne(Integer v, int dflt) {
        return v == null ? dflt : Math.max(1, v);
    }
}
