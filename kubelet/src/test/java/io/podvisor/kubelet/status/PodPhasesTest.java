package io.podvisor.kubelet.status;

import static io.podvisor.kubelet.status.Fixtures.crashLoop;
import static io.podvisor.kubelet.status.Fixtures.init;
import static io.podvisor.kubelet.status.Fixtures.main;
import static io.podvisor.kubelet.status.Fixtures.noState;
import static io.podvisor.kubelet.status.Fixtures.running;
import static io.podvisor.kubelet.status.Fixtures.runningAfter;
import static io.podvisor.kubelet.status.Fixtures.sidecar;
import static io.podvisor.kubelet.status.Fixtures.spec;
import static io.podvisor.kubelet.status.Fixtures.terminated;
import static io.podvisor.kubelet.status.Fixtures.terminatedAfter;
import static io.podvisor.kubelet.status.Fixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodPhasesTest {

    private static final String PENDING = "Pending";
    private static final String RUNNING = "Running";
    private static final String SUCCEEDED = "Succeeded";
    private static final String FAILED = "Failed";

    private static final boolean TERMINAL = true;
    private static final boolean STATIC = true;

    private static final PodSpec ONE_MAIN_ALWAYS = spec("Always", main("app"));
    private static final PodSpec ONE_MAIN_ON_FAILURE = spec("OnFailure", main("app"));
    private static final PodSpec ONE_MAIN_NEVER = spec("Never", main("app"));
    private static final PodSpec TWO_MAINS_ALWAYS = spec("Always", main("a"), main("b"));

    private static PodSpec withInits(String policy, List<io.fabric8.kubernetes.api.model.Container> inits) {
        return spec(policy, inits, main("app"));
    }

    private static Arguments row(String name, PodSpec spec, List<ContainerStatus> inits,
            List<ContainerStatus> mains, boolean terminal, boolean isStatic, String expected) {
        return Arguments.of(name, spec, inits, mains, terminal, isStatic, expected);
    }

    private static Arguments row(String name, PodSpec spec, List<ContainerStatus> inits,
            List<ContainerStatus> mains, String expected) {
        return row(name, spec, inits, mains, false, false, expected);
    }

    static Stream<Arguments> mainOnly() {
        return Stream.of(
                row("no statuses at all: unknown", ONE_MAIN_ALWAYS, List.of(), List.of(), PENDING),
                row("null status lists", ONE_MAIN_ALWAYS, null, null, PENDING),
                row("waiting ContainerCreating", ONE_MAIN_ALWAYS, List.of(),
                        List.of(waiting("app", "ContainerCreating")), PENDING),
                row("running", ONE_MAIN_ALWAYS, List.of(), List.of(running("app")), RUNNING),
                row("running but unready still Running", ONE_MAIN_ALWAYS, List.of(),
                        List.of(running("app", true, false)), RUNNING),
                row("one running, one without status", TWO_MAINS_ALWAYS, List.of(),
                        List.of(running("a")), PENDING),
                row("one running, one waiting", TWO_MAINS_ALWAYS, List.of(),
                        List.of(running("a"), waiting("b", "ErrImagePull")), PENDING),
                row("one running, one crash-looping counts as stopped", TWO_MAINS_ALWAYS, List.of(),
                        List.of(running("a"), crashLoop("b", 1)), RUNNING),
                row("status whose state is empty is unknown", ONE_MAIN_ALWAYS, List.of(),
                        List.of(noState("app")), PENDING),
                row("status of a container not in the spec is ignored", ONE_MAIN_ALWAYS, List.of(),
                        List.of(running("other")), PENDING),
                row("Always, exited 0: restarting, Running", ONE_MAIN_ALWAYS, List.of(),
                        List.of(terminated("app", 0)), RUNNING),
                row("Always, exited 1: Running", ONE_MAIN_ALWAYS, List.of(),
                        List.of(terminated("app", 1)), RUNNING),
                row("Always, CrashLoopBackOff with lastState: stopped, Running", ONE_MAIN_ALWAYS,
                        List.of(), List.of(crashLoop("app", 1)), RUNNING),
                row("OnFailure, exited 0: Succeeded", ONE_MAIN_ON_FAILURE, List.of(),
                        List.of(terminated("app", 0)), SUCCEEDED),
                row("OnFailure, exited 1: Running (will restart)", ONE_MAIN_ON_FAILURE, List.of(),
                        List.of(terminated("app", 1)), RUNNING),
                row("OnFailure, crash-looping: Running", ONE_MAIN_ON_FAILURE, List.of(),
                        List.of(crashLoop("app", 2)), RUNNING),
                row("Never, exited 0: Succeeded", ONE_MAIN_NEVER, List.of(),
                        List.of(terminated("app", 0)), SUCCEEDED),
                row("Never, exited 1: Failed", ONE_MAIN_NEVER, List.of(),
                        List.of(terminated("app", 1)), FAILED),
                row("Never, one exited 0 and one exited 1: Failed",
                        spec("Never", main("a"), main("b")), List.of(),
                        List.of(terminated("a", 0), terminated("b", 1)), FAILED),
                row("OnFailure, one exited 0, other running: Running",
                        spec("OnFailure", main("a"), main("b")), List.of(),
                        List.of(terminated("a", 0), running("b")), RUNNING),
                row("Never, one exited, other unknown: Pending",
                        spec("Never", main("a"), main("b")), List.of(),
                        List.of(terminated("a", 0)), PENDING),
                row("restartPolicy absent defaults to Always", spec(null, main("app")), List.of(),
                        List.of(terminated("app", 0)), RUNNING));
    }

    /** Spec 4.7: one container that fails once, then succeeds, then (Always) runs forever. */
    static Stream<Arguments> restartPolicyMatrix() {
        return Stream.of(
                row("4.7 Always", ONE_MAIN_ALWAYS, List.of(), List.of(runningAfter("app", 2, 0)), RUNNING),
                row("4.7 OnFailure", ONE_MAIN_ON_FAILURE, List.of(),
                        List.of(terminatedAfter("app", 0, 1)), SUCCEEDED),
                row("4.7 Never", ONE_MAIN_NEVER, List.of(), List.of(terminated("app", 1)), FAILED));
    }

    static Stream<Arguments> teardownAndStatic() {
        return Stream.of(
                row("terminal, Always, killed by SIGTERM: Failed", ONE_MAIN_ALWAYS, List.of(),
                        List.of(terminated("app", 143)), TERMINAL, false, FAILED),
                row("terminal, Always, exited 0: Succeeded", ONE_MAIN_ALWAYS, List.of(),
                        List.of(terminated("app", 0)), TERMINAL, false, SUCCEEDED),
                row("terminal, OnFailure, one failed: Failed (policy ignored)", ONE_MAIN_ON_FAILURE,
                        List.of(), List.of(terminated("app", 1)), TERMINAL, false, FAILED),
                row("terminal, crash-looping counts as stopped without success", ONE_MAIN_ALWAYS,
                        List.of(), List.of(crashLoop("app", 0)), TERMINAL, false, FAILED),
                row("terminal but still running: Running", ONE_MAIN_ALWAYS, List.of(),
                        List.of(running("app")), TERMINAL, false, RUNNING),
                row("static, terminal, Always, exit 143: keeps Running", ONE_MAIN_ALWAYS, List.of(),
                        List.of(terminated("app", 143)), TERMINAL, STATIC, RUNNING),
                row("static, terminal, Never, exit 0: Succeeded by policy", ONE_MAIN_NEVER, List.of(),
                        List.of(terminated("app", 0)), TERMINAL, STATIC, SUCCEEDED),
                row("static, terminal, OnFailure, exit 1: Running by policy", ONE_MAIN_ON_FAILURE,
                        List.of(), List.of(terminated("app", 1)), TERMINAL, STATIC, RUNNING),
                row("static, not terminal, Never, exit 1: Failed", ONE_MAIN_NEVER, List.of(),
                        List.of(terminated("app", 1)), false, STATIC, FAILED));
    }

    static Stream<Arguments> regularInit() {
        var oneInit = List.of(init("i1"));
        var twoInits = List.of(init("i1"), init("i2"));
        return Stream.of(
                row("init without status: Pending", withInits("Always", oneInit), List.of(),
                        List.of(waiting("app", "PodInitializing")), PENDING),
                row("init running: Pending", withInits("Always", oneInit), List.of(running("i1")),
                        List.of(waiting("app", "PodInitializing")), PENDING),
                row("init done, main running", withInits("Always", oneInit),
                        List.of(terminated("i1", 0)), List.of(running("app")), RUNNING),
                row("Never, init exited 1: Failed", withInits("Never", twoInits),
                        List.of(terminated("i1", 1), waiting("i2", "PodInitializing")),
                        List.of(waiting("app", "PodInitializing")), FAILED),
                row("Never, init waiting after a failed run: Failed", withInits("Never", oneInit),
                        List.of(crashLoop("i1", 1)), List.of(waiting("app", "PodInitializing")), FAILED),
                row("Always, init failed: Pending (retries)", withInits("Always", twoInits),
                        List.of(terminated("i1", 1), waiting("i2", "PodInitializing")),
                        List.of(waiting("app", "PodInitializing")), PENDING),
                row("OnFailure, init crash-looping: Pending", withInits("OnFailure", oneInit),
                        List.of(crashLoop("i1", 1)), List.of(waiting("app", "PodInitializing")), PENDING),
                row("init waiting after a run that exited 0 is not pending", withInits("Always", oneInit),
                        List.of(crashLoop("i1", 0)), List.of(running("app")), RUNNING),
                row("init running while main crash-loops: pending init wins (main not started now)",
                        withInits("Always", oneInit), List.of(running("i1")),
                        List.of(crashLoop("app", 1)), PENDING),
                row("init status with empty state counts as pending",
                        withInits("Always", oneInit), List.of(noState("i1")),
                        List.of(crashLoop("app", 1)), PENDING),
                row("init statuses are not looked up in the main list", withInits("Always", oneInit),
                        List.of(), List.of(terminated("i1", 0), crashLoop("app", 1)), PENDING),
                row("pending init is ignored once a main runs (rule 2 as written)",
                        withInits("Always", oneInit), List.of(), List.of(running("app")), RUNNING),
                row("Never, init failed while a sidecar runs: Failed",
                        withInits("Never", List.of(sidecar("sc"), init("i1"))),
                        List.of(running("sc"), terminated("i1", 1)),
                        List.of(waiting("app", "PodInitializing")), FAILED));
    }

    static Stream<Arguments> sidecars() {
        var sc = List.of(sidecar("sc"));
        return Stream.of(
                row("sidecar started, main running", withInits("Always", sc), List.of(running("sc")),
                        List.of(running("app")), RUNNING),
                row("sidecar running, not started, main waiting: Pending", withInits("Always", sc),
                        List.of(running("sc", false, false)),
                        List.of(waiting("app", "PodInitializing")), PENDING),
                row("sidecar not started after a main started: Running", withInits("Always", sc),
                        List.of(running("sc", false, false)), List.of(running("app")), RUNNING),
                row("sidecar not started, main crash-looping (not started now): Pending",
                        withInits("Always", sc), List.of(running("sc", false, false)),
                        List.of(crashLoop("app", 1)), PENDING),
                row("sidecar not started, main terminated (started): Running",
                        withInits("Always", sc), List.of(running("sc", false, false)),
                        List.of(terminated("app", 1)), RUNNING),
                row("sidecar without status: unknown, Pending", withInits("Always", sc), List.of(),
                        List.of(running("app")), PENDING),
                row("sidecar waiting with no previous run: Pending", withInits("Always", sc),
                        List.of(waiting("sc", "ContainerCreating")), List.of(running("app")), PENDING),
                row("sidecar crash-looping is ignored", withInits("Always", sc),
                        List.of(crashLoop("sc", 1)), List.of(running("app")), RUNNING),
                row("Never, main exited 0, sidecar still running: Running", withInits("Never", sc),
                        List.of(running("sc")), List.of(terminated("app", 0)), RUNNING),
                row("Never, main exited 0, sidecar killed 137: Succeeded", withInits("Never", sc),
                        List.of(terminated("sc", 137)), List.of(terminated("app", 0)), SUCCEEDED),
                row("Never, main exited 1, sidecar exited 0: Failed", withInits("Never", sc),
                        List.of(terminated("sc", 0)), List.of(terminated("app", 1)), FAILED),
                row("OnFailure, main exited 0, sidecar crash-looping: Succeeded",
                        withInits("OnFailure", sc), List.of(crashLoop("sc", 1)),
                        List.of(terminated("app", 0)), SUCCEEDED),
                row("sidecar status with empty state: pending and unknown", withInits("Always", sc),
                        List.of(noState("sc")), List.of(running("app")), PENDING),
                row("dead sidecar with main still waiting: Pending", withInits("Always", sc),
                        List.of(terminated("sc", 1)), List.of(waiting("app", "PodInitializing")), PENDING),
                row("only the sidecar runs, main has exited (Always): Running", withInits("Always", sc),
                        List.of(running("sc")), List.of(terminated("app", 0)), RUNNING),
                row("terminal teardown with sidecar still running: Running", withInits("Never", sc),
                        List.of(running("sc")), List.of(terminated("app", 0)), TERMINAL, false, RUNNING));
    }

    @ParameterizedTest(name = "{0} -> {6}")
    @MethodSource({"mainOnly", "restartPolicyMatrix", "teardownAndStatic", "regularInit", "sidecars"})
    void computesPhase(String name, PodSpec spec, List<ContainerStatus> inits,
            List<ContainerStatus> mains, boolean terminal, boolean isStatic, String expected) {
        assertThat(PodPhases.compute(spec, inits, mains, terminal, isStatic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "previous {0}, computed {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "null,      Running,   Running",
        "Pending,   Running,   Running",
        "Running,   Pending,   Pending",
        "Running,   Succeeded, Succeeded",
        "Running,   Failed,    Failed",
        "Succeeded, Running,   Succeeded",
        "Succeeded, Pending,   Succeeded",
        "Failed,    Running,   Failed",
        "Failed,    Pending,   Failed",
        "Failed,    Failed,    Failed",
        "Succeeded, Succeeded, Succeeded",
        "Succeeded, Failed,    Failed"})
    void terminalPhasesAreSticky(String previous, String computed, String expected) {
        assertThat(PodPhases.sticky(previous, computed)).isEqualTo(expected);
    }

    @Test
    void terminalPredicate() {
        assertThat(PodPhases.isTerminal("Succeeded")).isTrue();
        assertThat(PodPhases.isTerminal("Failed")).isTrue();
        assertThat(PodPhases.isTerminal("Running")).isFalse();
        assertThat(PodPhases.isTerminal("Pending")).isFalse();
        assertThat(PodPhases.isTerminal(null)).isFalse();
    }
}
