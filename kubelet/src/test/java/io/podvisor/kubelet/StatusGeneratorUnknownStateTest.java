package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.Yaml;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.SandboxInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container the runtime reports in an unknown state, as upstream's kubelet shows it (spec 2.3). */
class StatusGeneratorUnknownStateTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private static final Pod POD = Yaml.read("""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default, uid: 11111111-2222-3333-4444-555555555555}
            spec:
              containers: [{name: app, image: busybox}]
            """, Pod.class);

    private static ContainerStatus generate(PodStatus previous) {
        ContainerInfo unknown = new ContainerInfo("c2", "sb1", "app", 2, "busybox", "", ContainerState.UNKNOWN,
                NOW.minusSeconds(30), NOW.minusSeconds(30), null, 0, null, null,
                Map.of(Labels.POD_UID, POD.getMetadata().getUid(), Labels.CONTAINER_NAME, "app"), Map.of());
        SandboxInfo sandbox = new SandboxInfo("sb1", true, "10.88.0.2", NOW.minusSeconds(60),
                Map.of(Labels.POD_UID, POD.getMetadata().getUid()), Map.of());
        ProbeView noProbes = (id, type) -> ProbeView.Result.UNKNOWN;
        PodStatus s = StatusGenerator.generate(new StatusGenerator.Input(POD, PodContainer.of(POD),
                new ObservedPod(List.of(sandbox), List.of(unknown)), noProbes, new ReasonCache(), "containerd",
                "192.168.1.10", NOW.minusSeconds(60), false, null, null, previous, NOW, Map.of()));
        return s.getContainerStatuses().getFirst();
    }

    @Test
    void aContainerThatWasRunningIsTakenForTerminatedAndCountedAsARestart() {
        PodStatus before = Yaml.read("""
                containerStatuses:
                - name: app
                  image: busybox
                  restartCount: 2
                  state: {running: {startedAt: "2026-01-01T00:00:30Z"}}
                """, PodStatus.class);
        ContainerStatus app = generate(before);
        assertThat(app.getState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
        assertThat(app.getState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(app.getState().getTerminated().getMessage())
                .isEqualTo("The container could not be located when the pod was terminated");
        assertThat(app.getRestartCount()).isEqualTo(3);
    }

    @Test
    void otherwiseItIsWaitingWithoutAReason() {
        PodStatus before = Yaml.read("""
                containerStatuses:
                - name: app
                  image: busybox
                  restartCount: 2
                  state: {waiting: {reason: CrashLoopBackOff}}
                """, PodStatus.class);
        for (PodStatus previous : new PodStatus[] {before, null}) {
            ContainerStatus app = generate(previous);
            assertThat(app.getState().getTerminated()).isNull();
            assertThat(app.getState().getWaiting()).isNotNull();
            assertThat(app.getState().getWaiting().getReason()).isNull();
            assertThat(app.getRestartCount()).isEqualTo(2);
        }
    }
}
