package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.init;
import static io.podvisor.kubelet.scenarios.PodViews.main;
import static io.podvisor.kubelet.scenarios.PodViews.state;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams.LogOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.harness.NodeHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that stops and starts again on the same API state and log directory, as after a reboot
 * under a runtime that keeps its records as containerd does (spec 2.8, 5.6, 16.1): the runtime lists
 * the containers of before as exited (those that were running with exit code 255, reason
 * {@code Unknown}) and their sandbox as not ready, so the kubelet re-creates the sandbox
 * ({@code SandboxChanged}), purges the init containers' instances and runs everything again in
 * order, each new instance counted on from the one before and writing a log file of its own; the
 * pod keeps its start time and {@code logs --previous} reads the run before the restart. Under
 * {@code restartPolicy: Never} nothing runs again and the pod fails.
 */
class NodeRestartScenariosTest {

    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              restartPolicy: Always
              initContainers:
              - name: setup
                image: busybox
              containers:
              - name: app
                image: nginx
            """;

    static final LogOptions CURRENT = LogOptions.DEFAULT;
    static final LogOptions PREVIOUS = new LogOptions(true, false, false, null, null, null, null);

    @TempDir
    Path dir;

    @Test
    void restartedNodeRunsEveryContainerAgainCountedOnFromTheRunBefore() throws Exception {
        NodeHarness h = new NodeHarness(c -> c.withPodLogsDir(dir.resolve("pods")));
        h.runtime().script("setup", attempt -> script().stdout(ofSeconds(0), "setup run " + attempt).exitAfter(ofSeconds(2), 0));
        h.runtime().script("app", attempt -> script().stdout(ofSeconds(0), "app run " + attempt));
        Pod created = h.apply(POD);
        Path logs = dir.resolve("pods/default_web_" + created.getMetadata().getUid());
        h.advanceSeconds(10); // setup ran 0-2 s, app runs from 2 s
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
        assertThat(h.pod("web").getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");

        h.restartNode(ofSeconds(20)); // down from 10 s to 30 s; the new kubelet starts setup again at 30 s
        h.advanceSeconds(1);

        Pod initializing = h.pod("web");
        assertThat(initializing.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        ContainerStatus setup = init(initializing, "setup");
        assertThat(state(setup.getState())).isEqualTo("running");
        assertThat(setup.getRestartCount()).isEqualTo(1);
        assertThat(setup.getLastState()).isEqualTo(new ContainerState()); // its instance was purged with the sandbox
        // app's instance of before, as the runtime found it after the restart, until app runs again
        ContainerStatus app = main(initializing, "app");
        assertThat(app.getRestartCount()).isZero();
        ContainerStateTerminated unknown = app.getState().getTerminated();
        assertThat(state(app.getState())).isEqualTo("terminated Unknown 255");
        assertThat(unknown.getStartedAt()).isEqualTo("2026-01-01T00:00:02Z");
        assertThat(unknown.getFinishedAt()).isEqualTo("2026-01-01T00:00:30Z"); // when the runtime found it gone
        assertThat(unknown.getContainerID()).isEqualTo(app.getContainerID()).startsWith("fake://");
        assertThat(unknown.getMessage()).isNull();
        assertThat(h.kubectl("web")).isEqualTo("0/1 Unknown 0");
        assertThat(h.events("web", "SandboxChanged")).containsExactly("1x Pod sandbox changed, it will be killed and re-created.");

        h.advanceSeconds(4); // setup ran 30-32 s, app runs again from 32 s
        Pod after = h.pod("web");
        assertThat(after.getStatus().getPhase()).isEqualTo("Running");
        assertThat(after.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        setup = init(after, "setup");
        assertThat(state(setup.getState())).isEqualTo("terminated Completed 0");
        assertThat(setup.getRestartCount()).isEqualTo(1);
        app = main(after, "app");
        assertThat(state(app.getState())).isEqualTo("running");
        assertThat(app.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:32Z");
        assertThat(app.getRestartCount()).isEqualTo(1);
        assertThat(app.getLastState().getTerminated()).isEqualTo(unknown);
        assertThat(h.kubectlWatch("web")).endsWith("30 0/1 Unknown 0", "32 1/1 Running 1 (2s ago)");

        // each run of app wrote a file of its own; setup's first went with its purged instance, as upstream's
        assertThat(logs.resolve("setup/0.log")).doesNotExist();
        assertThat(Files.readAllLines(logs.resolve("setup/1.log"))).containsExactly("2026-01-01T00:00:30Z stdout F setup run 1");
        assertThat(Files.readAllLines(logs.resolve("app/0.log"))).containsExactly("2026-01-01T00:00:02Z stdout F app run 0");
        assertThat(Files.readAllLines(logs.resolve("app/1.log"))).containsExactly("2026-01-01T00:00:32Z stdout F app run 1");
        assertThat(h.logs("web", "app", CURRENT)).isEqualTo("app run 1\n");
        assertThat(h.logs("web", "app", PREVIOUS)).isEqualTo("app run 0\n");
        assertThat(h.logs("web", "setup", CURRENT)).isEqualTo("setup run 1\n");
        assertThatThrownBy(() -> h.logs("web", "setup", PREVIOUS)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("previous terminated container \"setup\" in pod \"web\" not found");
    }

    @Test
    void whatAPodDeletedWhileTheNodeWasDownLeftIsRemovedWithItsLogs() {
        NodeHarness h = new NodeHarness(c -> c.withPodLogsDir(dir.resolve("pods")));
        h.runtime().script("setup", script().exitAfter(ofSeconds(2), 0));
        h.runtime().script("app", script().stdout(ofSeconds(0), "app run"));
        Pod created = h.apply(POD);
        Path logs = dir.resolve("pods/default_web_" + created.getMetadata().getUid());
        h.advanceSeconds(10);
        assertThat(logs.resolve("app/0.log")).exists();

        h.restartNode(ofSeconds(20), () -> h.cluster().delete("default", "web", 0L)); // force-deleted meanwhile
        assertThat(h.runtime().listSandboxes(java.util.Map.of())).extracting(s -> s.ready()).containsExactly(false);
        h.advanceSeconds(59);
        assertThat(h.runtime().listContainers(java.util.Map.of())).hasSize(2);

        h.advanceSeconds(1); // the kubelet's garbage collection, a minute after its start
        assertThat(h.runtime().listSandboxes(java.util.Map.of())).isEmpty();
        assertThat(h.runtime().listContainers(java.util.Map.of())).isEmpty();
        assertThat(logs).doesNotExist();
    }

    @Test
    void underRestartPolicyNeverNothingRunsAgainAndThePodFails() {
        NodeHarness h = new NodeHarness(c -> c);
        h.runtime().script("setup", script().exitAfter(ofSeconds(2), 0));
        h.apply(POD.replace("restartPolicy: Always", "restartPolicy: Never"));
        h.advanceSeconds(10);
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");

        h.restartNode(ofSeconds(20));
        h.advanceSeconds(60);

        Pod failed = h.pod("web");
        assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(failed.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        ContainerStatus app = main(failed, "app");
        assertThat(state(app.getState())).isEqualTo("terminated Unknown 255");
        assertThat(app.getState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:00:30Z");
        assertThat(app.getRestartCount()).isZero();
        assertThat(app.getLastState()).isEqualTo(new ContainerState());
        assertThat(state(init(failed, "setup").getState())).isEqualTo("terminated Completed 0");
        assertThat(h.kubectl("web")).isEqualTo("0/1 Unknown 0");
        // no new sandbox: upstream kills the pod when restartPolicy is Never and containers have run
        assertThat(h.events("web", "SandboxChanged")).isEmpty();
        assertThat(h.runtimeLog()).filteredOn(l -> l.contains("sandbox web created")).hasSize(1);
        assertThat(h.runtimeLog()).filteredOn(l -> l.contains("create ")).hasSize(2);
    }
}
