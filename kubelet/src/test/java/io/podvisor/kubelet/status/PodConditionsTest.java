package io.podvisor.kubelet.status;

import static io.podvisor.kubelet.status.Fixtures.crashLoop;
import static io.podvisor.kubelet.status.Fixtures.init;
import static io.podvisor.kubelet.status.Fixtures.main;
import static io.podvisor.kubelet.status.Fixtures.running;
import static io.podvisor.kubelet.status.Fixtures.sidecar;
import static io.podvisor.kubelet.status.Fixtures.spec;
import static io.podvisor.kubelet.status.Fixtures.terminated;
import static io.podvisor.kubelet.status.Fixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodConditionsTest {

    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.890Z");
    private static final String NOW_TEXT = "2026-03-04T05:06:07Z";
    private static final String EARLIER = "2026-03-04T05:00:00Z";

    private static PodConditions.Input in(PodSpec spec, String phase, List<ContainerStatus> inits,
            List<ContainerStatus> mains) {
        return new PodConditions.Input(spec, phase, inits, mains, true, List.of(), NOW);
    }

    private static PodSpec withInits(String policy, List<Container> inits) {
        return spec(policy, inits, main("app"));
    }

    private static PodSpec withGates(String... gates) {
        PodSpecBuilder b = new PodSpecBuilder(spec("Always", main("app")));
        for (String g : gates) {
            b.addNewReadinessGate(g);
        }
        return b.build();
    }

    private static PodCondition cond(String type, String status, String ltt) {
        return new PodConditionBuilder().withType(type).withStatus(status)
                .withLastTransitionTime(ltt).build();
    }

    /** {@code status|reason|message}, with "-" for a null reason or message. */
    private static String show(PodCondition c) {
        return c.getStatus() + "|" + dash(c.getReason()) + "|" + dash(c.getMessage());
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String get(List<PodCondition> all, String type) {
        return all.stream().filter(c -> c.getType().equals(type)).map(PodConditionsTest::show)
                .findFirst().orElseThrow();
    }

    private static Arguments row(String name, PodConditions.Input input, String initialized,
            String containersReady, String ready) {
        return Arguments.of(name, input, initialized, containersReady, ready);
    }

    static Stream<Arguments> table() {
        var twoInits = List.of(init("init1"), init("init2"));
        var sc = List.of(sidecar("sc"));
        String podInit = "PodInitializing";
        return Stream.of(
                row("simple pod, container still creating",
                        in(spec("Always", main("app")), "Pending", List.of(),
                                List.of(waiting("app", "ContainerCreating"))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unready status: [app]",
                        "False|ContainersNotReady|containers with unready status: [app]"),
                row("simple pod, running and ready",
                        in(spec("Always", main("app")), "Running", List.of(), List.of(running("app"))),
                        "True|-|-", "True|-|-", "True|-|-"),
                row("3.4 example: Always, init1 failed, init2 never ran",
                        in(withInits("Always", twoInits), "Pending",
                                List.of(crashLoop("init1", 1), waiting("init2", podInit)),
                                List.of(waiting("app", podInit))),
                        "False|ContainersNotInitialized|containers with incomplete status: [init1 init2]",
                        "False|ContainersNotReady|containers with unready status: [app]",
                        "False|ContainersNotReady|containers with unready status: [app]"),
                row("3.4 example: Never, init1 ok, init2 failed; phase Failed",
                        in(withInits("Never", twoInits), "Failed",
                                List.of(terminated("init1", 0), terminated("init2", 1)),
                                List.of(waiting("app", podInit))),
                        "False|ContainersNotInitialized|containers with incomplete status: [init2]",
                        "False|PodFailed|-", "False|PodFailed|-"),
                row("init container unknown and incomplete",
                        in(withInits("Always", twoInits), "Pending", List.of(running("init1", true, false)),
                                List.of(waiting("app", podInit))),
                        "False|ContainersNotInitialized|containers with unknown status: [init2], "
                                + "containers with incomplete status: [init1]",
                        "False|ContainersNotReady|containers with unready status: [app]",
                        "False|ContainersNotReady|containers with unready status: [app]"),
                row("init containers exist but no init statuses yet",
                        in(withInits("Always", twoInits), "Pending", List.of(),
                                List.of(waiting("app", podInit))),
                        "False|UnknownContainerStatuses|-",
                        "False|ContainersNotReady|containers with unready status: [app]",
                        "False|ContainersNotReady|containers with unready status: [app]"),
                row("no statuses at all",
                        in(withInits("Always", twoInits), "Pending", List.of(), List.of()),
                        "False|UnknownContainerStatuses|-", "False|UnknownContainerStatuses|-",
                        "False|UnknownContainerStatuses|-"),
                row("all inits done, main not yet created",
                        in(withInits("Always", twoInits), "Pending",
                                List.of(terminated("init1", 0), terminated("init2", 0)),
                                List.of(waiting("app", podInit))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unready status: [app]",
                        "False|ContainersNotReady|containers with unready status: [app]"),
                row("sidecar running but not started: init incomplete",
                        in(withInits("Always", sc), "Pending", List.of(running("sc", false, false)),
                                List.of(waiting("app", podInit))),
                        "False|ContainersNotInitialized|containers with incomplete status: [sc]",
                        "False|ContainersNotReady|containers with unready status: [sc app]",
                        "False|ContainersNotReady|containers with unready status: [sc app]"),
                row("sidecar started but unready keeps ContainersReady False",
                        in(withInits("Always", sc), "Running", List.of(running("sc", true, false)),
                                List.of(running("app"))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unready status: [sc]",
                        "False|ContainersNotReady|containers with unready status: [sc]"),
                row("sidecar ready participates: all ready",
                        in(withInits("Always", sc), "Running", List.of(running("sc")), List.of(running("app"))),
                        "True|-|-", "True|-|-", "True|-|-"),
                row("sidecar restarting after main started: still Initialized",
                        in(withInits("Always", sc), "Running", List.of(crashLoop("sc", 1)),
                                List.of(running("app"))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unready status: [sc]",
                        "False|ContainersNotReady|containers with unready status: [sc]"),
                row("sidecar without status is unknown for readiness",
                        in(withInits("Always", List.of(init("i1"), sidecar("sc"))), "Running",
                                List.of(terminated("i1", 0)), List.of(running("app"))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unknown status: [sc]",
                        "False|ContainersNotReady|containers with unknown status: [sc]"),
                row("regular init containers do not count for readiness",
                        in(withInits("Always", List.of(init("i1"))), "Running",
                                List.of(terminated("i1", 0, false)), List.of(running("app"))),
                        "True|-|-", "True|-|-", "True|-|-"),
                row("mains: one unknown, one unready",
                        in(spec("Always", main("a"), main("b"), main("c")), "Pending", List.of(),
                                List.of(running("a", true, false), running("c"))),
                        "True|-|-",
                        "False|ContainersNotReady|containers with unknown status: [b], "
                                + "containers with unready status: [a]",
                        "False|ContainersNotReady|containers with unknown status: [b], "
                                + "containers with unready status: [a]"),
                row("Succeeded without init containers: PodCompleted",
                        in(spec("Never", main("app")), "Succeeded", List.of(), List.of(terminated("app", 0))),
                        "True|PodCompleted|-", "False|PodCompleted|-", "False|PodCompleted|-"),
                row("Succeeded with init and dead sidecar: PodCompleted",
                        in(withInits("Never", List.of(init("i1"), sidecar("sc"))), "Succeeded",
                                List.of(terminated("i1", 0), terminated("sc", 137, false)),
                                List.of(terminated("app", 0, false))),
                        "True|PodCompleted|-", "False|PodCompleted|-", "False|PodCompleted|-"),
                row("Succeeded with an unknown main: not PodCompleted",
                        in(spec("Never", main("a"), main("b")), "Succeeded", List.of(),
                                List.of(terminated("a", 0, false))),
                        "True|PodCompleted|-",
                        "False|ContainersNotReady|containers with unknown status: [b], "
                                + "containers with unready status: [a]",
                        "False|ContainersNotReady|containers with unknown status: [b], "
                                + "containers with unready status: [a]"),
                row("Succeeded with an unknown init: not PodCompleted for Initialized",
                        in(withInits("Never", twoInits), "Succeeded", List.of(terminated("init1", 0)),
                                List.of(terminated("app", 0, false))),
                        "True|-|-", "False|PodCompleted|-", "False|PodCompleted|-"),
                row("Failed while a main still runs ready: PodFailed",
                        in(spec("Never", main("a"), main("b")), "Failed", List.of(),
                                List.of(running("a"), terminated("b", 1, false))),
                        "True|-|-", "False|PodFailed|-", "False|PodFailed|-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void computesKubeletConditions(String name, PodConditions.Input input, String initialized,
            String containersReady, String ready) {
        List<PodCondition> out = PodConditions.compute(input);
        assertThat(get(out, "Initialized")).isEqualTo(initialized);
        assertThat(get(out, "ContainersReady")).isEqualTo(containersReady);
        assertThat(get(out, "Ready")).isEqualTo(ready);
        assertThat(get(out, "PodScheduled")).isEqualTo("True|-|-");
        assertThat(get(out, "PodReadyToStartContainers")).isEqualTo("True|-|-");
    }

    static Stream<Arguments> gates() {
        PodCondition lbTrue = cond("example.com/lb", "True", EARLIER);
        PodCondition lbFalse = cond("example.com/lb", "False", EARLIER);
        PodCondition dbUnknown = cond("example.com/db", "Unknown", EARLIER);
        return Stream.of(
                Arguments.of("gate condition missing", withGates("example.com/lb"), List.of(),
                        "False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "
                                + "\"example.com/lb\" does not exist."),
                Arguments.of("gate condition False", withGates("example.com/lb"), List.of(lbFalse),
                        "False|ReadinessGatesNotReady|the status of pod readiness gate "
                                + "\"example.com/lb\" is not \"True\", but False"),
                Arguments.of("two gates, both failing, in gate order",
                        withGates("example.com/lb", "example.com/db"), List.of(dbUnknown),
                        "False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "
                                + "\"example.com/lb\" does not exist., the status of pod readiness gate "
                                + "\"example.com/db\" is not \"True\", but Unknown"),
                Arguments.of("gate condition True", withGates("example.com/lb"), List.of(lbTrue),
                        "True|-|-"),
                Arguments.of("one gate True, one missing",
                        withGates("example.com/lb", "example.com/db"), List.of(lbTrue),
                        "False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "
                                + "\"example.com/db\" does not exist."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gates")
    void readinessGatesDecideReadyWhenContainersAreReady(String name, PodSpec spec,
            List<PodCondition> previous, String ready) {
        var input = new PodConditions.Input(spec, "Running", List.of(), List.of(running("app")), true,
                previous, NOW);
        List<PodCondition> out = PodConditions.compute(input);
        assertThat(get(out, "ContainersReady")).isEqualTo("True|-|-");
        assertThat(get(out, "Ready")).isEqualTo(ready);
    }

    @Test
    void readyMirrorsContainersReadyBeforeLookingAtGates() {
        var input = new PodConditions.Input(withGates("example.com/lb"), "Running", List.of(),
                List.of(running("app", true, false)), true, List.of(), NOW);
        assertThat(get(PodConditions.compute(input), "Ready"))
                .isEqualTo("False|ContainersNotReady|containers with unready status: [app]");
    }

    @Test
    void firstStatusOfASimplePodListsAllFiveInOrderStampedNow() {
        var input = new PodConditions.Input(spec("Always", main("app")), "Pending", List.of(),
                List.of(waiting("app", "ContainerCreating")), false, null, NOW);
        List<PodCondition> out = PodConditions.compute(input);
        assertThat(out).extracting(PodCondition::getType).containsExactly(
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
        assertThat(out).extracting(PodConditionsTest::show).containsExactly(
                "False|-|-", "True|-|-",
                "False|ContainersNotReady|containers with unready status: [app]",
                "False|ContainersNotReady|containers with unready status: [app]",
                "True|-|-");
        assertThat(out).extracting(PodCondition::getLastTransitionTime).containsOnly(NOW_TEXT);
        assertThat(out).extracting(PodCondition::getLastProbeTime).containsOnlyNulls();
    }

    @Test
    void nonKubeletConditionsComeFirstVerbatimAndKubeletOnesAreReplaced() {
        PodCondition disruption = new PodConditionBuilder().withType("DisruptionTarget")
                .withStatus("True").withReason("TerminationByKubelet").withMessage("evicted")
                .withLastTransitionTime(EARLIER).withLastProbeTime(EARLIER).build();
        PodCondition custom = cond("example.com/lb", "False", EARLIER);
        List<PodCondition> previous = List.of(cond("Ready", "True", EARLIER), disruption,
                cond("PodScheduled", "True", EARLIER), custom);
        var input = new PodConditions.Input(spec("Always", main("app")), "Running", List.of(),
                List.of(running("app")), true, previous, NOW);

        List<PodCondition> out = PodConditions.compute(input);

        assertThat(out).extracting(PodCondition::getType).containsExactly("DisruptionTarget",
                "example.com/lb", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled");
        assertThat(out.get(0)).isEqualTo(disruption).isNotSameAs(disruption);
        assertThat(out.get(1)).isEqualTo(custom);
    }

    @Test
    void lastTransitionTimeKeptOnlyWhileStatusIsUnchanged() {
        List<PodCondition> previous = List.of(
                cond("PodReadyToStartContainers", "True", EARLIER),
                cond("Initialized", "True", EARLIER),
                new PodConditionBuilder(cond("Ready", "False", EARLIER)).withReason("ContainersNotReady")
                        .withLastProbeTime(EARLIER).build(),
                cond("ContainersReady", "False", EARLIER),
                cond("PodScheduled", "True", EARLIER));
        var input = new PodConditions.Input(spec("Always", main("app")), "Running", List.of(),
                List.of(running("app")), false, previous, NOW);

        List<PodCondition> out = PodConditions.compute(input);

        assertThat(out).extracting(PodCondition::getType, PodCondition::getStatus,
                PodCondition::getLastTransitionTime).containsExactly(
                        tuple("PodReadyToStartContainers", "False", NOW_TEXT),
                        tuple("Initialized", "True", EARLIER),
                        tuple("Ready", "True", NOW_TEXT),
                        tuple("ContainersReady", "True", NOW_TEXT),
                        tuple("PodScheduled", "True", EARLIER));
        assertThat(out).extracting(PodCondition::getLastProbeTime).containsOnlyNulls();
    }

    @Test
    void reasonChangeAloneKeepsTransitionTime() {
        PodCondition before = new PodConditionBuilder(cond("ContainersReady", "False", EARLIER))
                .withReason("ContainersNotReady").withMessage("containers with unready status: [app]").build();
        var input = new PodConditions.Input(spec("Never", main("app")), "Failed", List.of(),
                List.of(terminated("app", 1)), true, List.of(before), NOW);
        PodCondition after = PodConditions.compute(input).stream()
                .filter(c -> c.getType().equals("ContainersReady")).findFirst().orElseThrow();
        assertThat(show(after)).isEqualTo("False|PodFailed|-");
        assertThat(after.getLastTransitionTime()).isEqualTo(EARLIER);
    }

    @Test
    void inputsAreNotModified() {
        List<PodCondition> previous = new ArrayList<>(List.of(cond("Ready", "False", EARLIER)));
        var input = new PodConditions.Input(spec("Always", main("app")), "Running", List.of(),
                List.of(running("app")), true, previous, NOW);
        PodConditions.compute(input);
        assertThat(previous).hasSize(1);
        assertThat(previous.get(0).getStatus()).isEqualTo("False");
        assertThat(previous.get(0).getLastTransitionTime()).isEqualTo(EARLIER);
    }

    @Test
    void inputRequiresSpecPhaseAndNow() {
        assertThatNullPointerException().isThrownBy(() ->
                new PodConditions.Input(null, "Running", null, null, true, null, NOW));
        assertThatNullPointerException().isThrownBy(() ->
                new PodConditions.Input(spec("Always", main("a")), null, null, null, true, null, NOW));
        assertThatNullPointerException().isThrownBy(() ->
                new PodConditions.Input(spec("Always", main("a")), "Running", null, null, true, null, null));
    }
}
