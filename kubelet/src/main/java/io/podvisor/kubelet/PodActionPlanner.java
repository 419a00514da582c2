package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.ProbeView.ProbeType;
import io.podvisor.kubelet.ProbeView.Result;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Decides what one sync of a live (not terminating) pod must do: a pure function of the pod, what
 * the runtime holds and the published probe results (spec §16.1–16.3), as upstream's
 * {@code computePodActions} and {@code computeInitContainerActions} decide it.
 *
 * <p>Init step: init containers are walked from the LAST to the first. The first one found with an
 * instance decides where initialization stands (a regular init container runs, failed and is
 * restarted, or succeeded and the next one starts; a started sidecar lets the next one start);
 * every init container before it has been initialized, so of those only sidecars are looked at,
 * and any sidecar that is not running is restarted. A failed regular init container is therefore
 * restarted on its own back-off even while a sidecar before it is down. Once a main container is
 * created or running, regular init containers never run again. Main step (only once initialized):
 * each main container is started, kept, or killed (definition changed, liveness or startup
 * failure), restarting per policy; when nothing is kept and nothing will start, the whole pod is
 * stopped.
 */
public final class PodActionPlanner {

    /** Upstream's kill message for a container the runtime lost track of ({@code %q} of the state). */
    private static final String UNKNOWN_STATE = "is in \"unknown\" state, try killing it before restart";

    private PodActionPlanner() {}

    public static PodPlan plan(Pod pod, List<PodContainer> containers, ObservedPod observed, ProbeView probes) {
        if (observed.readySandbox().isEmpty()) {
            return planNewSandbox(pod, containers, observed);
        }
        String policy = pod.getSpec().getRestartPolicy();
        List<PodPlan.Kill> kills = new ArrayList<>();
        List<PodContainer> starts = new ArrayList<>();
        InitOutcome init = planInit(pod, containers, observed, probes, kills, starts);
        if (init == InitOutcome.KILL_POD) {
            return new PodPlan(false, true, List.of(), List.of());
        }
        if (init == InitOutcome.IN_PROGRESS) {
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
                kills.add(new PodPlan.Kill(c, inst, "Container " + UNKNOWN_STATE, null));
                toStart++;
            } else if (shouldRestart(policy, inst)) {
                starts.add(c);
                toStart++;
            }
        }
        if (kept == 0 && toStart == 0) {
            // nothing to keep or start: the whole pod is stopped, containers to kill included
            return new PodPlan(false, true, List.of(), List.of());
        }
        return new PodPlan(false, false, kills, starts);
    }

    private enum InitOutcome { INITIALIZED, IN_PROGRESS, KILL_POD }

    /**
     * 16.2: the init step. Adds the kills and the init containers to start (in spec order) and says
     * whether the pod is initialized, still initializing, or must be stopped (a regular init
     * container failed under {@code restartPolicy: Never}).
     */
    private static InitOutcome planInit(Pod pod, List<PodContainer> containers, ObservedPod observed, ProbeView probes,
                                        List<PodPlan.Kill> kills, List<PodContainer> starts) {
        List<PodContainer> inits = containers.stream().filter(c -> c.kind() != ContainerKind.MAIN).toList();
        if (inits.isEmpty()) {
            return InitOutcome.INITIALIZED;
        }
        // a main container created or running means the pod initialized before (exited ones may
        // be left from an earlier sandbox)
        boolean initialized = containers.stream().filter(c -> c.kind() == ContainerKind.MAIN)
                .map(c -> observed.newest(c.name()))
                .anyMatch(i -> i != null && (i.state() == ContainerState.CREATED || i.state() == ContainerState.RUNNING));
        boolean restartOnFailure = !"Never".equals(pod.getSpec().getRestartPolicy());
        String sandbox = observed.readySandbox().orElseThrow().id();
        // built last to first, so each start goes to the front: the result is in spec order
        Deque<PodContainer> toStart = new ArrayDeque<>();
        // "an init container after this one (or a main container) already has an instance"
        boolean initializedBefore = initialized;
        for (int i = inits.size() - 1; i >= 0; i--) {
            PodContainer c = inits.get(i);
            boolean sidecar = c.kind() == ContainerKind.SIDECAR;
            boolean last = i == inits.size() - 1;
            ContainerInfo inst = newestInSandbox(observed, c.name(), sandbox);
            if (inst == null) {
                if (initializedBefore && sidecar) {
                    toStart.addFirst(c);
                }
                continue;
            }
            if (initializedBefore && !sidecar) {
                continue; // after initialization only sidecars are kept running
            }
            switch (inst.state()) {
                case CREATED -> toStart.addFirst(c); // created but never started: start it
                case RUNNING -> {
                    if (sidecar && sidecarStarted(c, inst, probes, kills)) {
                        if (last) {
                            initialized = true;
                        } else if (!initializedBefore) {
                            toStart.addFirst(inits.get(i + 1));
                        }
                        keepSidecarAlive(c, inst, probes, kills);
                    }
                }
                case EXITED -> {
                    if (sidecar) {
                        toStart.addFirst(c);
                    } else if (failed(inst)) {
                        if (!restartOnFailure) {
                            return InitOutcome.KILL_POD;
                        }
                        toStart.addFirst(c);
                    } else if (last) {
                        initialized = true;
                    } else {
                        toStart.addFirst(inits.get(i + 1));
                    }
                }
                default -> {
                    if (!sidecar && !restartOnFailure) {
                        return InitOutcome.KILL_POD;
                    }
                    kills.add(new PodPlan.Kill(c, inst, "Init container " + UNKNOWN_STATE, null));
                }
            }
            initializedBefore = true;
        }
        if (!initializedBefore) {
            toStart.addFirst(inits.getFirst()); // nothing ran yet
        }
        starts.addAll(toStart);
        return initialized ? InitOutcome.INITIALIZED : InitOutcome.IN_PROGRESS;
    }

    /**
     * The newest instance of init container {@code name} in the current sandbox: upstream removes
     * every init container instance when it re-creates the sandbox, so instances left in an older
     * sandbox do not count for the init step.
     */
    private static ContainerInfo newestInSandbox(ObservedPod observed, String name, String sandbox) {
        return observed.instances(name).stream().filter(i -> sandbox.equals(i.sandboxId())).findFirst().orElse(null);
    }

    /** A regular init container's instance that failed: exited non-zero, or killed by the OOM killer. */
    private static boolean failed(ContainerInfo inst) {
        return inst.exitCode() != 0 || "OOMKilled".equals(inst.reason());
    }

    /**
     * Whether a running sidecar counts as started: it has no startup probe or that probe succeeded.
     * A failed startup probe kills it (it is restarted once it exited); with no result yet it waits.
     */
    private static boolean sidecarStarted(PodContainer c, ContainerInfo inst, ProbeView probes, List<PodPlan.Kill> kills) {
        if (c.spec().getStartupProbe() == null) {
            return true;
        }
        Result startup = probes.result(inst.id(), ProbeType.STARTUP);
        if (startup == Result.FAILURE) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " failed startup probe",
                    probeGrace(c.spec().getStartupProbe())));
        }
        return startup == Result.SUCCESS;
    }

    /** A started sidecar whose definition changed, or whose liveness probe failed, is killed (and restarted). */
    private static void keepSidecarAlive(PodContainer c, ContainerInfo inst, ProbeView probes, List<PodPlan.Kill> kills) {
        String hash = inst.annotations().get(Labels.CONTAINER_HASH);
        if (hash != null && !hash.equals(c.hash())) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " definition changed", null));
        } else if (c.spec().getLivenessProbe() != null
                && probes.result(inst.id(), ProbeType.LIVENESS) == Result.FAILURE) {
            kills.add(new PodPlan.Kill(c, inst, "Init container " + c.name() + " failed liveness probe",
                    probeGrace(c.spec().getLivenessProbe())));
        }
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
    private static PodPlan planNewSandbox(Pod pod, List<PodContainer> containers, ObservedPod observed) {
        String policy = pod.getSpec().getRestartPolicy();
        boolean firstSandbox = observed.sandboxes().isEmpty();
        if (!firstSandbox && "Never".equals(policy) && !observed.containers().isEmpty()) {
            return new PodPlan(false, true, List.of(), List.of());
        }
        // the main containers to start: under OnFailure, not those that already succeeded
        List<PodContainer> mains = containers.stream().filter(c -> c.kind() == ContainerKind.MAIN)
                .filter(c -> !("OnFailure".equals(policy) && succeeded(observed.newest(c.name())))).toList();
        if (mains.isEmpty() && containers.stream().filter(c -> c.kind() == ContainerKind.MAIN)
                .map(c -> observed.newest(c.name())).anyMatch(i -> i != null && i.state() != ContainerState.UNKNOWN)) {
            return new PodPlan(false, true, List.of(), List.of()); // initialized, and nothing left to run
        }
        PodContainer first = containers.getFirst();
        return new PodPlan(true, false, List.of(), first.kind() == ContainerKind.MAIN ? mains : List.of(first));
    }

    /** Upstream's {@code containerSucceeded}: an instance that is not running and has exit code 0. */
    private static boolean succeeded(ContainerInfo inst) {
        return inst != null && inst.state() != ContainerState.RUNNING && inst.exitCode() == 0;
    }
}
