package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.PodDefaults;
import io.podvisor.api.Yaml;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.SandboxInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner is a pure function: tables of (pod, runtime state, probe results) → plan. */
class PodActionPlannerTest {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    /** Pod {@code p} with the given spec (YAML indented under {@code spec:}), defaulted. */
    static Pod podWithSpec(String spec) {
        return PodDefaults.apply(Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default, uid: u1}
                spec:
                """ + spec, Pod.class));
    }

    static Pod pod(String policy) {
        return podWithSpec("""
                  restartPolicy: %s
                  initContainers:
                  - {name: init1, image: busybox}
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    startupProbe: {tcpSocket: {port: 15000}}
                  containers:
                  - {name: app, image: app}
                """.formatted(policy));
    }

    final Map<String, ProbeView.Result> results = new HashMap<>();
    final ProbeView probes = (id, type) -> results.getOrDefault(id + "/" + type,
            type == ProbeView.ProbeType.LIVENESS ? ProbeView.Result.SUCCESS
                    : type == ProbeView.ProbeType.READINESS ? ProbeView.Result.FAILURE : ProbeView.Result.UNKNOWN);
    final List<ContainerInfo> containers = new ArrayList<>();
    final List<SandboxInfo> sandboxes = new ArrayList<>(List.of(new SandboxInfo("sb", true, "10.88.0.2", T, Map.of(), Map.of())));

    void instance(Pod pod, String name, ContainerState state, int exitCode) {
        instance(pod, name, state, exitCode, "sb");
    }

    void instance(Pod pod, String name, ContainerState state, int exitCode, String sandbox) {
        String hash = PodContainer.of(pod).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().hash();
        containers.add(new ContainerInfo(name + containers.size(), sandbox, name, 0, "img", "ref", state, T, T,
                state == ContainerState.EXITED ? T : null, exitCode, exitCode == 0 ? "Completed" : "Error", null,
                Map.of(Labels.CONTAINER_NAME, name), Map.of(Labels.CONTAINER_HASH, hash, Labels.RESTART_COUNT, "0")));
    }

    PodPlan plan(Pod pod) {
        return PodActionPlanner.plan(pod, PodContainer.of(pod), new ObservedPod(sandboxes, containers), probes);
    }

    static List<String> names(PodPlan p) {
        return p.starts().stream().map(PodContainer::name).toList();
    }

    @Test
    void noSandboxCreatesOneAndStartsTheFirstInitContainer() {
        sandboxes.clear();
        PodPlan p = plan(pod("Always"));
        assertThat(p.createSandbox()).isTrue();
        assertThat(names(p)).containsExactly("init1");
    }

    @Test
    void runningRegularInitBlocksEverythingAfterIt() {
        Pod pod = pod("Always");
        instance(pod, "init1", ContainerState.RUNNING, 0);
        assertThat(plan(pod).isEmpty()).isTrue();
    }

    @Test
    void succeededInitStartsTheSidecarWhichGatesTheMainUntilStarted() {
        Pod pod = pod("Always");
        instance(pod, "init1", ContainerState.EXITED, 0);
        assertThat(names(plan(pod))).containsExactly("proxy");
        instance(pod, "proxy", ContainerState.RUNNING, 0);
        assertThat(names(plan(pod))).isEmpty();
        results.put("proxy1/" + ProbeView.ProbeType.STARTUP, ProbeView.Result.SUCCESS);
        assertThat(names(plan(pod))).containsExactly("app");
    }

    @Test
    void failedInitUnderNeverKillsThePodAndUnderAlwaysRestartsIt() {
        Pod never = pod("Never");
        instance(never, "init1", ContainerState.EXITED, 1);
        assertThat(plan(never).killPod()).isTrue();
        containers.clear();
        Pod always = pod("Always");
        instance(always, "init1", ContainerState.EXITED, 1);
        PodPlan p = plan(always);
        assertThat(p.killPod()).isFalse();
        assertThat(names(p)).containsExactly("init1");
    }

    @Test
    void exitedMainFollowsThePodRestartPolicy() {
        for (String[] row : new String[][] {{"Always", "0", "restart"}, {"OnFailure", "0", "kill-pod"},
                {"OnFailure", "1", "restart"}, {"Never", "1", "kill-pod"}, {"Never", "0", "kill-pod"}}) {
            containers.clear();
            Pod pod = pod(row[0]);
            instance(pod, "init1", ContainerState.EXITED, 0);
            instance(pod, "proxy", ContainerState.RUNNING, 0);
            results.put("proxy1/" + ProbeView.ProbeType.STARTUP, ProbeView.Result.SUCCESS);
            instance(pod, "app", ContainerState.EXITED, Integer.parseInt(row[1]));
            PodPlan p = plan(pod);
            assertThat(p.killPod() ? "kill-pod" : names(p).contains("app") ? "restart" : "other")
                    .as("policy %s exit %s", row[0], row[1]).isEqualTo(row[2]);
        }
    }

    @Test
    void initContainersAreNotRerunOnceAMainContainerExisted() {
        Pod pod = pod("Always");
        instance(pod, "proxy", ContainerState.RUNNING, 0);
        results.put("proxy0/" + ProbeView.ProbeType.STARTUP, ProbeView.Result.SUCCESS);
        instance(pod, "app", ContainerState.EXITED, 1);
        assertThat(names(plan(pod))).containsExactly("app");
    }

    @Test
    void livenessFailureKillsWithTheRestartSuffixUnlessNever() {
        String spec = """
                  restartPolicy: %s
                  containers:
                  - name: app
                    image: app
                    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, terminationGracePeriodSeconds: 5}
                  - {name: helper, image: helper}
                """;
        for (String policy : List.of("Always", "Never")) {
            containers.clear();
            Pod pod = podWithSpec(spec.formatted(policy));
            instance(pod, "app", ContainerState.RUNNING, 0);
            instance(pod, "helper", ContainerState.RUNNING, 0);
            results.put("app0/" + ProbeView.ProbeType.LIVENESS, ProbeView.Result.FAILURE);
            PodPlan p = plan(pod);
            assertThat(p.killPod()).isFalse();
            assertThat(p.kills()).singleElement().satisfies(k -> {
                assertThat(k.message()).isEqualTo("Container app failed liveness probe"
                        + ("Never".equals(policy) ? "" : ", will be restarted"));
                assertThat(k.graceOverride()).isEqualTo(5L);
            });
        }
    }

    /**
     * Upstream stops the whole pod when no main container is kept and none is to be started; the
     * one it would kill for its probe is then stopped with the pod, not killed on its own.
     */
    @Test
    void livenessFailureOfTheLastMainContainerUnderNeverStopsThePod() {
        Pod pod = podWithSpec("""
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: app
                    livenessProbe: {exec: {command: [cat, /tmp/healthy]}}
                  - {name: done, image: batch}
                """);
        instance(pod, "app", ContainerState.RUNNING, 0);
        instance(pod, "done", ContainerState.EXITED, 0);
        results.put("app0/" + ProbeView.ProbeType.LIVENESS, ProbeView.Result.FAILURE);
        PodPlan p = plan(pod);
        assertThat(p.killPod()).isTrue();
        assertThat(p.kills()).isEmpty();
    }

    @Test
    void changedSpecHashKillsTheContainer() {
        Pod pod = pod("Always");
        instance(pod, "proxy", ContainerState.RUNNING, 0);
        results.put("proxy0/" + ProbeView.ProbeType.STARTUP, ProbeView.Result.SUCCESS);
        Pod changed = pod("Always");
        changed.getSpec().getContainers().getFirst().setImage("app:v2");
        instance(pod, "app", ContainerState.RUNNING, 0);
        assertThat(plan(changed).kills()).singleElement()
                .extracting(PodPlan.Kill::message).isEqualTo("Container app definition changed, will be restarted");
    }

    /** A sidecar, then two regular init containers. */
    static Pod sidecarFirst(String policy) {
        return podWithSpec("""
                  restartPolicy: %s
                  initContainers:
                  - {name: proxy, image: envoy, restartPolicy: Always}
                  - {name: migrate, image: flyway}
                  - {name: seed, image: flyway}
                  containers:
                  - {name: app, image: app}
                """.formatted(policy));
    }

    @Test
    void failedInitAfterADownSidecarIsRestartedAlongWithItUnlessNever() {
        for (String policy : List.of("OnFailure", "Always")) {
            containers.clear();
            Pod pod = sidecarFirst(policy);
            instance(pod, "proxy", ContainerState.EXITED, 1);
            instance(pod, "migrate", ContainerState.EXITED, 1);
            assertThat(names(plan(pod))).as(policy).containsExactly("proxy", "migrate");
        }
        containers.clear();
        Pod never = sidecarFirst("Never");
        instance(never, "proxy", ContainerState.EXITED, 1);
        instance(never, "migrate", ContainerState.EXITED, 1);
        assertThat(plan(never).killPod()).isTrue();
    }

    @Test
    void succeededInitAfterADownSidecarStartsTheNextOneAlongWithTheSidecar() {
        Pod pod = sidecarFirst("Always");
        instance(pod, "proxy", ContainerState.EXITED, 1);
        instance(pod, "migrate", ContainerState.EXITED, 0);
        assertThat(names(plan(pod))).containsExactly("proxy", "seed");
    }

    @Test
    void runningInitAfterADownSidecarOnlyRestartsTheSidecar() {
        Pod pod = sidecarFirst("Always");
        instance(pod, "proxy", ContainerState.EXITED, 1);
        instance(pod, "migrate", ContainerState.RUNNING, 0);
        assertThat(names(plan(pod))).containsExactly("proxy");
    }

    @Test
    void oomKilledInitContainerFailedEvenWithExitCodeZero() {
        Pod pod = sidecarFirst("Never");
        instance(pod, "proxy", ContainerState.RUNNING, 0);
        String hash = PodContainer.of(pod).get(1).hash();
        containers.add(new ContainerInfo("migrate-oom", "sb", "migrate", 0, "img", "ref", ContainerState.EXITED, T, T, T,
                0, "OOMKilled", null, Map.of(Labels.CONTAINER_NAME, "migrate"),
                Map.of(Labels.CONTAINER_HASH, hash, Labels.RESTART_COUNT, "0")));
        assertThat(plan(pod).killPod()).isTrue();
    }

    @Test
    void mainContainersWaitWhileTheLastSidecarIsDownAndNoMainRuns() {
        Pod pod = pod("Never");
        instance(pod, "init1", ContainerState.EXITED, 0);
        instance(pod, "proxy", ContainerState.EXITED, 1);
        instance(pod, "app", ContainerState.EXITED, 0);
        PodPlan p = plan(pod);
        assertThat(p.killPod()).isFalse();
        assertThat(names(p)).containsExactly("proxy");
        containers.removeIf(c -> c.name().equals("proxy"));
        instance(pod, "proxy", ContainerState.RUNNING, 0);
        results.put(containers.getLast().id() + "/" + ProbeView.ProbeType.STARTUP, ProbeView.Result.SUCCESS);
        assertThat(plan(pod).killPod()).isTrue();
    }

    @Test
    void initContainerInUnknownStateIsKilledWithTheInitContainerMessage() {
        Pod pod = pod("Always");
        instance(pod, "init1", ContainerState.UNKNOWN, 0);
        assertThat(plan(pod).kills()).singleElement().extracting(PodPlan.Kill::message)
                .isEqualTo("Init container is in \"unknown\" state, try killing it before restart");
        containers.clear();
        Pod never = pod("Never");
        instance(never, "init1", ContainerState.UNKNOWN, 0);
        assertThat(plan(never).killPod()).isTrue();
    }

    @Test
    void initInstancesLeftInAnOlderSandboxDoNotCount() {
        sandboxes.clear();
        sandboxes.add(new SandboxInfo("sb", false, "10.88.0.2", T, Map.of(), Map.of()));
        sandboxes.add(new SandboxInfo("sb2", true, "10.88.0.3", T.plusSeconds(60), Map.of(), Map.of()));
        Pod pod = pod("Always");
        instance(pod, "init1", ContainerState.EXITED, 0);
        instance(pod, "proxy", ContainerState.EXITED, 137);
        instance(pod, "app", ContainerState.EXITED, 137);
        // the new sandbox starts over from the first init container
        assertThat(names(plan(pod))).containsExactly("init1");
        instance(pod, "init1", ContainerState.EXITED, 0, "sb2");
        assertThat(names(plan(pod))).containsExactly("proxy");
    }

    @Test
    void newSandboxUnderOnFailureStartsOnlyTheMainContainersThatDidNotSucceed() {
        sandboxes.clear();
        sandboxes.add(new SandboxInfo("sb", false, "10.88.0.2", T, Map.of(), Map.of()));
        Pod pod = podWithSpec("""
                  restartPolicy: OnFailure
                  containers:
                  - {name: done, image: app}
                  - {name: failed, image: app}
                """);
        instance(pod, "done", ContainerState.EXITED, 0);
        instance(pod, "failed", ContainerState.EXITED, 1);
        PodPlan p = plan(pod);
        assertThat(p.createSandbox()).isTrue();
        assertThat(names(p)).containsExactly("failed");
        containers.removeIf(c -> c.name().equals("failed"));
        instance(pod, "failed", ContainerState.EXITED, 0);
        assertThat(plan(pod).killPod()).isTrue();
    }
}
