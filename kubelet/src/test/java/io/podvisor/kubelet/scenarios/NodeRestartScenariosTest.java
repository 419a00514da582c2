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
 * A node that stops and starts again on the same API state and log directory while its runtime
 * lost every container, as after a reboot (spec 2.4, 2.8, 5.6): the containers run again in order,
 * counted on from their log files, the pod keeps its start time, and a container that was running
 * shows an unknown termination until it runs again.
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
    void restartedNodeCountsEveryContainerOnFromItsLogsAndKeepsTheStartTime() throws Exception {
        NodeHarness h = new NodeHarness(c -> c.withPodLogsDir(dir.resolve("pods")));
        h.runtime().script("setup", attempt -> script().stdout(ofSeconds(0), "setup run " + attempt).exitAfter(ofSeconds(2), 0));
        h.runtime().script("app", attempt -> script().stdout(ofSeconds(0), "app run " + attempt));
        Pod created = h.apply(POD);
        Path logs = dir.resolve("pods/default_web_" + created.getMetadata().getUid());
        h.advanceSeconds(10); // setup ran 0-2 s, app runs from 2 s
        Pod before = h.pod("web");
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
        assertThat(before.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");

        h.restartNode(ofSeconds(20)); // down from 10 s to 30 s; the new kubelet starts setup again at 30 s
        h.advanceSeconds(1);

        Pod initializing = h.pod("web");
        ContainerStatus setup = init(initializing, "setup");
        assertThat(state(setup.getState())).isEqualTo("running");
        assertThat(setup.getRestartCount()).isEqualTo(1);
        ContainerStatus app = main(initializing, "app");
        assertThat(state(app.getState())).isEqualTo("waiting PodInitializing");
        assertThat(app.getRestartCount()).isEqualTo(1);
        ContainerStateTerminated unknown = app.getLastState().getTerminated();
        assertThat(state(app.getLastState())).isEqualTo("terminated ContainerStatusUnknown 137");
        assertThat(unknown.getMessage())
                .isEqualTo("The container could not be located when the pod was deleted.  The container used to be Running");
        assertThat(unknown.getContainerID()).isNull();
        assertThat(unknown.getFinishedAt()).isNull();
        assertThat(initializing.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(h.kubectl("web")).isEqualTo("0/1 Init:0/1 1");
        assertThat(initializing.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");

        h.advanceSeconds(4); // setup ran 30-32 s, app runs again from 32 s
        Pod after = h.pod("web");
        assertThat(after.getStatus().getPhase()).isEqualTo("Running");
        assertThat(after.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        setup = init(after, "setup");
        assertThat(state(setup.getState())).isEqualTo("terminated Completed 0");
        assertThat(setup.getRestartCount()).isEqualTo(1);
        assertThat(setup.getLastState()).isEqualTo(new ContainerState());
        app = main(after, "app");
        assertThat(state(app.getState())).isEqualTo("running");
        assertThat(app.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:32Z");
        assertThat(app.getRestartCount()).isEqualTo(1);
        assertThat(app.getLastState()).isEqualTo(new ContainerState());
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 1");

        // each run wrote a file of its own; the runs before the restart kept theirs
        assertThat(Files.readAllLines(logs.resolve("setup/0.log"))).containsExactly("2026-01-01T00:00:00Z stdout F setup run 0");
        assertThat(Files.readAllLines(logs.resolve("setup/1.log"))).containsExactly("2026-01-01T00:00:30Z stdout F setup run 1");
        assertThat(Files.readAllLines(logs.resolve("app/0.log"))).containsExactly("2026-01-01T00:00:02Z stdout F app run 0");
        assertThat(Files.readAllLines(logs.resolve("app/1.log"))).containsExactly("2026-01-01T00:00:32Z stdout F app run 1");
        assertThat(h.logs("web", "app", CURRENT)).isEqualTo("app run 1\n");
        // the instance before the restart is known to no runtime: upstream's kubelet has no previous one to read
        assertThatThrownBy(() -> h.logs("web", "app", PREVIOUS)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("previous terminated container \"app\" in pod \"web\" not found");
    }
}
