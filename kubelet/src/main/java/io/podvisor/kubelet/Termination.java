package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stops every container of a pod within one grace budget (spec §6.8, §6.9, §8.2–8.4). Main (and
 * regular init) containers are stopped at once after their preStop hooks; sidecars run their
 * preStop hooks at once too, but are signalled only after every main container and every
 * later-declared sidecar has exited, last-declared first. A preStop hook is waited for until the
 * budget ends, not cut there: one that never ends runs on until its container is killed. Each stop asks the runtime for
 * {@code max(remaining, 2 s)}; once the budget is spent, whatever still runs is stopped with 2 s.
 * A deletion arriving meanwhile can only shorten the budget (§8.1): stops already issued are
 * issued again when they would otherwise end later.
 *
 * <p>Level-triggered: {@link #step} is called on every sync of a terminating pod and does what is
 * due given the containers still running.
 */
final class Termination {

    private static final class Kill {
        boolean preStopDone;
        /** When the runtime will SIGKILL at the latest, once a stop was issued; else null. */
        Instant stopBy;
    }

    private final KubeletContext ctx;
    private final PodWorker worker;
    private final HookRunner hooks;
    private Instant deadline;
    private boolean deletion;
    private final Map<String, Kill> kills = new HashMap<>();
    private Clock.Timer deadlineTimer;

    Termination(KubeletContext ctx, PodWorker worker, HookRunner hooks, Instant deadline, boolean deletion) {
        this.ctx = ctx;
        this.worker = worker;
        this.hooks = hooks;
        this.deadline = deadline;
        this.deletion = deletion;
    }

    boolean deletion() {
        return deletion;
    }

    /** The pod was deleted with a budget ending at {@code newDeadline}: it now ends in deletion, never later. */
    void deleted(Instant newDeadline) {
        deletion = true;
        if (newDeadline.isBefore(deadline)) {
            deadline = newDeadline;
            if (deadlineTimer != null) {
                deadlineTimer.cancel();
                deadlineTimer = null;
            }
        }
    }

    /** Does what is due; returns true once no container runs any more. */
    boolean step(Pod pod, List<PodContainer> containers, ObservedPod observed) {
        List<ContainerInfo> running = observed.running();
        if (running.isEmpty()) {
            if (deadlineTimer != null) {
                deadlineTimer.cancel();
            }
            return true;
        }
        Instant now = ctx.clock().now();
        Duration remaining = Duration.between(now, deadline);
        Map<String, PodContainer> byName = new HashMap<>();
        containers.forEach(c -> byName.put(c.name(), c));

        for (ContainerInfo inst : running) {
            if (!kills.containsKey(inst.id())) {
                begin(pod, byName.get(inst.name()), inst, remaining);
            }
        }
        boolean spent = !remaining.isPositive();
        boolean mainsRunning = running.stream().anyMatch(i -> kind(byName, i) != ContainerKind.SIDECAR);
        for (ContainerInfo inst : running) {
            PodContainer c = byName.get(inst.name());
            Kill k = kills.get(inst.id());
            Duration timeout = spent ? Duration.ofSeconds(2) : PodWorker.max2s(remaining);
            boolean sooner = k.stopBy == null || now.plus(timeout).isBefore(k.stopBy);
            if (!sooner || !(k.preStopDone || spent)) {
                continue;
            }
            boolean due = spent || k.stopBy != null || kind(byName, inst) != ContainerKind.SIDECAR
                    || (!mainsRunning && noLaterSidecarRunning(c, running, byName));
            if (due) {
                k.stopBy = now.plus(timeout);
                ctx.runtime().stopContainer(inst.id(), timeout).whenComplete((v, e) -> worker.requestSync());
            }
        }
        if (deadlineTimer == null && remaining.isPositive()) {
            deadlineTimer = ctx.clock().scheduleAt(deadline, worker::requestSync);
        }
        return false;
    }

    private void begin(Pod pod, PodContainer c, ContainerInfo inst, Duration remaining) {
        Kill k = new Kill();
        kills.put(inst.id(), k);
        if (c != null) {
            worker.event(c, EventTypes.NORMAL, Reasons.KILLING, Messages.stopping(c.name()));
        }
        LifecycleHandler preStop = c == null || c.spec().getLifecycle() == null ? null : c.spec().getLifecycle().getPreStop();
        if (preStop == null || !remaining.isPositive()) {
            k.preStopDone = true;
            return;
        }
        hooks.runPreStop(preStop, c.spec(), inst.id(), worker.podIp(), remaining,
                        err -> worker.execute(() -> worker.event(c, EventTypes.WARNING, Reasons.FAILED_PRE_STOP_HOOK,
                                Messages.PRE_STOP_FAILED)))
                .thenRun(() -> worker.post(() -> k.preStopDone = true));
    }

    private static ContainerKind kind(Map<String, PodContainer> byName, ContainerInfo inst) {
        PodContainer c = byName.get(inst.name());
        return c == null ? ContainerKind.MAIN : c.kind();
    }

    private static boolean noLaterSidecarRunning(PodContainer c, List<ContainerInfo> running, Map<String, PodContainer> byName) {
        return running.stream().map(i -> byName.get(i.name()))
                .filter(o -> o != null && o.kind() == ContainerKind.SIDECAR)
                .noneMatch(o -> o.index() > c.index());
    }

}
