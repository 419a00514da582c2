package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.ProbeView.ProbeType;
import io.podvisor.kubelet.ProbeView.Result;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what one sync of a live (not terminating) pod must do: a pure function of the pod, what
 * the runtime holds and the published probe results (spec §16.1–16.3).
 *
 * <p>Init step: init containers are walked in spec order. A regular init container must exit 0
 * before the next one starts; a sidecar must be started (running, startup probe passed). Once any
 * main container has existed the pod counts as initialized and regular init containers never run
 * again, while sidecars are still restarted and probed. Main step: each main container is started,
 * kept, or killed (definition changed, liveness or startup failure), restarting per policy; when
 * nothing is kept and nothing will start, the whole pod is stopped.
 */
public final class PodActionPlanner {

    private PodActionPlanner() {}

    public static PodPlan plan(Pod pod, List<PodContainer> containers, ObservedPod observed, ProbeView probes) {
        String policy = pod.getSpec().getRestartPolicy();
        List<PodPlan.Kill> kills = new ArrayList<>();
        List<PodContainer> starts = new ArrayList<>();
        boolean initializedBefore = containers.stream()
                .anyMatch(c -> c.kind() == ContainerKind.MAIN && observed.newest(c.name()) != null);

        if (observed.readySandbox().isEmpty()) {
            return planNewSandbox(pod, containers, observed, initializedBefore);
        }

        boolean initialized = true;
        for (PodContainer c : containers) {
            if (c.kind() == ContainerKind.MAIN) {
                continue;
            }
            ContainerInfo inst = observed.newest(c.name());
            boolean blocks;
            if (c.kind() == ContainerKind.INIT) {
                if (initializedBefore) {
                    continue;
                }
                InitOutcome o = planRegularInit(c, inst, policy, kills, starts);
                if (o == InitOutcome.KILL_POD) {
                    return new PodPlan(false, true, List.of(), List.of());
                }
                blocks = o == InitOutcome.BLOCKS;
            } else {
                blocks = !planSidecar(c, inst, probes, kills, starts);
            }
            if (blocks && !initializedBefore) {
                initialized = false;
                break;
            }
        }
        if (!initialized) {
            return new PodPlan(false, false, kills, starts);
        }

        int kept = 0;
        int toStart = 0;
        for (PodContainer c : containers) {
            if (c.kind() != ContainerKind.MAIN) {
                continue;
            }
            ContainerInfo inst = observed.newest(c.name());
            if (inst == null || inst.state() == ContainerState.CREATED) {
                starts.add(c);
                toStart++;
            } else if (inst.state() == ContainerState.RUNNING) {
                PodPlan.Kill kill = killForMain(c, inst, probes, policy);
                if (kill == null) {
                    kept++;
                } else {
                    kills.add(kill);
                    if (!"Never".equals(policy) || kill.message().contains("definition changed")) {
                        toStart++;
                    }
                }
            } else if (inst.state() == ContainerState.UNKNOWN) {
                kills.add(new PodPlan.Kill(c, inst,
                        "Container is in \"unknown\" state, try killing it before restart", null));
                toStart++;
            } else if (shouldRestart(policy, inst)) {
                starts.add(c);
                toStart++;
            }
        }
        if (kept == 0 && toStart == 0 && kills.isEmpty()) {
            return new PodPlan(false, true, List.of(), List.of());
        }
        return new PodPlan(false, false, kills, starts);
    }

    private enum InitOutcome { DONE, BLOCKS, KILL_POD }

    private static InitOutcome planRegularInit(PodContainer c, ContainerInfo inst, String policy,
                                               List<PodPlan.Kill> kills, List<PodContainer> starts) {
        if (inst == null || inst.state() == ContainerState.CREATED) {
            starts.add(c);
            return InitOutcome.BLOCKS;
        }
        switch (inst.state()) {
            case RUNNING:
                return InitOutcome.BLOCKS;
            case EXITED:
                if (inst.exitCode() == 0) {
                    return InitOutcome.DONE;
                }
                if ("Never".equals(policy)) {
                    return InitOutcome.KILL_POD;
                }
                starts.add(c);
                return InitOutcome.BLOCKS;
            default:
                if ("Never".equals(policy)) {
                    return InitOutcome.KILL_POD;
                }
                kills.add(new PodPlan.Kill(c, inst,
                        "Container is in \"unknown\" state, try killing it before restart", null));
                return InitOutcome.BLOCKS;
        }
    }

    /** Plans one sidecar; returns whether it counts as started (so later containers may start). */
    private static boolean planSidecar(PodContainer c, ContainerInfo inst, ProbeView probes,
                                       List<PodPlan.Kill> kills, List<PodContainer> starts) {
        if (inst == null || inst.state() == ContainerState.CREATED || inst.state() == ContainerState.EXITED) {
            starts.add(c);
            return false;
        }
        if (inst.state() == ContainerState.UNKNOWN) {
            kills.add(new PodPlan.Kill(c, inst,
                    "Container is in \"unknown\" state, try killing it before restart", null));
            return false;
        }
        String hash = inst.annotations().get(Labels.CONTAINER_HASH);
        if (hash != null && !hash.equals(c.hash())) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " definition changed", null));
            return false;
        }
        if (c.spec().getStartupProbe() != null && probes.result(inst.id(), ProbeType.STARTUP) == Result.FAILURE) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " failed startup probe",
                    probeGrace(c.spec().getStartupProbe())));
            return false;
        }
        boolean started = probes.started(c, inst);
        if (started && c.spec().getLivenessProbe() != null
                && probes.result(inst.id(), ProbeType.LIVENESS) == Result.FAILURE) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " failed liveness probe",
                    probeGrace(c.spec().getLivenessProbe())));
        }
        return started;
    }

    private static PodPlan.Kill killForMain(PodContainer c, ContainerInfo inst, ProbeView probes, String policy) {
        String suffix = "Never".equals(policy) ? "" : ", will be restarted";
        String hash = inst.annotations().get(Labels.CONTAINER_HASH);
        if (hash != null && !hash.equals(c.hash())) {
            return new PodPlan.Kill(c, inst, "Container " + c.name() + " definition changed, will be restarted", null);
        }
        if (c.spec().getLivenessProbe() != null && probes.result(inst.id(), ProbeType.LIVENESS) == Result.FAILURE) {
            return new PodPlan.Kill(c, inst, "Container " + c.name() + " failed liveness probe" + suffix,
                    probeGrace(c.spec().getLivenessProbe()));
        }
        if (c.spec().getStartupProbe() != null && probes.result(inst.id(), ProbeType.STARTUP) == Result.FAILURE) {
            return new PodPlan.Kill(c, inst, "Container " + c.name() + " failed startup probe" + suffix,
                    probeGrace(c.spec().getStartupProbe()));
        }
        return null;
    }

    private static Long probeGrace(io.fabric8.kubernetes.api.model.Probe p) {
        return p.getTerminationGracePeriodSeconds();
    }

    /** 4.1 for an exited main or regular init container. */
    static boolean shouldRestart(String policy, ContainerInfo inst) {
        return switch (policy == null ? "Always" : policy) {
            case "Never" -> false;
            case "OnFailure" -> inst.exitCode() != 0;
            default -> true;
        };
    }

    /** 16.1: the pod has no ready sandbox. */
    private static PodPlan planNewSandbox(Pod pod, List<PodContainer> containers, ObservedPod observed,
                                          boolean initializedBefore) {
        String policy = pod.getSpec().getRestartPolicy();
        boolean firstSandbox = observed.sandboxes().isEmpty();
        if (!firstSandbox && "Never".equals(policy) && !observed.containers().isEmpty()) {
            return new PodPlan(false, true, List.of(), List.of());
        }
        List<PodContainer> starts = new ArrayList<>();
        if (!firstSandbox && initializedBefore) {
            boolean anyMain = containers.stream().filter(c -> c.kind() == ContainerKind.MAIN).anyMatch(c -> {
                ContainerInfo inst = observed.newest(c.name());
                return inst == null || inst.state() != ContainerState.EXITED || shouldRestart(policy, inst);
            });
            if (!anyMain) {
                return new PodPlan(false, true, List.of(), List.of());
            }
        }
        PodContainer first = containers.getFirst();
        if (first.kind() == ContainerKind.MAIN) {
            containers.stream().filter(c -> c.kind() == ContainerKind.MAIN).forEach(starts::add);
        } else {
            starts.add(first);
        }
        return new PodPlan(true, false, List.of(), starts);
    }
}
