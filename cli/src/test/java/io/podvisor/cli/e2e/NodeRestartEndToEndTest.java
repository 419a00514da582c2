package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runc node stopped (which removes every container from the host, as a reboot does) and started
 * again on the same data dir, seen through the installed kubectl: the runtime lists the containers of
 * before as containerd does after a reboot (the main container that was running exited with code
 * 255, reason {@code Unknown}), so the kubelet makes a new sandbox and runs the init and main
 * containers again in order, each counted as restarted once; the new runs write {@code 1.log}, the
 * main container's run before keeps {@code 0.log} and is what {@code logs --previous} shows (the
 * init container's went with its instance, purged with the old sandbox, as upstream's kubelet
 * does); the pod keeps its {@code startTime}. Nothing of either run is left on the host.
 *
 * <p>Where runc cannot run the test is skipped, unless {@code PODVISOR_ACCEPTANCE=required} (as in
 * CI), which turns that into a failure.
 */
class NodeRestartEndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(300);

    /** The init container runs a few seconds, so the status between the restart and the main run can be seen. */
    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              restartPolicy: Always
              terminationGracePeriodSeconds: 1
              initContainers:
              - name: setup
                image: localhost/busybox:host
                command: ["sh", "-c", "echo setup run $(cat /proc/sys/kernel/random/uuid); sleep 4"]
              containers:
              - name: app
                image: localhost/busybox:host
                command: ["sh", "-c", "echo app run $(cat /proc/sys/kernel/random/uuid); exec sleep 3600"]
            """;

    private static final String STATUSES = "{.status.initContainerStatuses[0].restartCount}"
            + " {.status.initContainerStatuses[0].state.terminated.reason}"
            + " {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.running.startedAt}";

    @TempDir
    Path tmp;

    @Test
    void restartedNodeCountsEachContainerOnceKeepsTheStartTimeAndWritesNewLogFiles() throws IOException {
        boolean usable = RealNode.runcUsable();
        if (!usable && "required".equals(System.getenv("PODVISOR_ACCEPTANCE"))) {
            fail("PODVISOR_ACCEPTANCE=required, but runc cannot run here (needs root, runc, ip and a static /bin/busybox)");
        }
        assumeTrue(usable, "needs root, runc, ip and a static busybox");
        Path data = tmp.resolve("data");
        Path home = tmp.resolve("home");
        RealNode node = RealNode.withDefaults(data, home);
        boolean running = true;
        try {
            Kubectl kubectl = node.kubectl;
            kubectl.run("apply", "-f", Files.writeString(tmp.resolve("web.yaml"), POD).toString()).assertOk();
            await().atMost(DEADLINE).pollInterval(POLL)
                    .until(() -> get(kubectl, STATUSES), s -> s.matches("0 Completed 0 \\S+"));
            String startTime = get(kubectl, "{.status.startTime}");
            String uid = get(kubectl, "{.metadata.uid}");
            Path logs = data.resolve("pods").resolve("default_web_" + uid);
            await().atMost(DEADLINE).pollInterval(POLL).until(() -> lines(logs.resolve("app/0.log")).contains("app run "));
            String setupRun0 = lines(logs.resolve("setup/0.log"));
            String appRun0 = lines(logs.resolve("app/0.log"));

            node.close();
            running = false;
            assertThat(node.podLeftovers()).as("containers and sandboxes once the node stopped").isEmpty();

            node = RealNode.withDefaults(data, home);
            running = true;
            Kubectl again = node.kubectl;
            // while setup runs again, app (running before the stop) shows its instance as the runtime found it
            await().atMost(DEADLINE).pollInterval(POLL).until(() -> get(again,
                    "{.status.initContainerStatuses[0].restartCount} {.status.initContainerStatuses[0].state.running.startedAt}"
                            + " {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.terminated.reason}"
                            + " {.status.containerStatuses[0].state.terminated.exitCode}"),
                    s -> s.matches("1 \\S+ 0 Unknown 255"));
            String lost = get(again, "{.status.containerStatuses[0].state.terminated}");

            await().atMost(DEADLINE).pollInterval(POLL)
                    .until(() -> get(again, STATUSES), s -> s.matches("1 Completed 1 \\S+"));
            assertThat(get(again, "{.status.startTime}")).isEqualTo(startTime);
            assertThat(get(again, "{.status.phase} {.status.initContainerStatuses[0].lastState}")).isEqualTo("Running {}");
            assertThat(get(again, "{.status.containerStatuses[0].lastState.terminated}")).isEqualTo(lost);
            assertThat(get(again, "{.status.containerStatuses[0].lastState.terminated.reason}"
                    + " {.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("Unknown 255");
            assertThat(again.run("get", "pod", "web").assertOk().out()).matches(
                    "(?s)NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\nweb\\s+1/1\\s+Running\\s+1 \\(\\d+s ago\\)\\s+\\d+s\\n");

            await().atMost(DEADLINE).pollInterval(POLL).until(() -> lines(logs.resolve("app/1.log")).contains("app run "));
            assertThat(logs.resolve("setup/0.log")).doesNotExist();
            assertThat(lines(logs.resolve("app/0.log"))).isEqualTo(appRun0);
            String setupRun1 = lines(logs.resolve("setup/1.log"));
            String appRun1 = lines(logs.resolve("app/1.log"));
            assertThat(setupRun1).contains("setup run ").isNotEqualTo(setupRun0);
            assertThat(appRun1).contains("app run ").isNotEqualTo(appRun0);
            assertThat(again.run("logs", "web", "-c", "app").assertOk().out()).isEqualTo(appRun1);
            assertThat(again.run("logs", "web", "-c", "setup").assertOk().out()).isEqualTo(setupRun1);
            assertThat(again.run("logs", "web", "-c", "app", "--previous").assertOk().out()).isEqualTo(appRun0);
            Kubectl.Result previous = again.run("logs", "web", "-c", "setup", "--previous");
            assertThat(previous.exitCode()).isNotZero();
            assertThat(previous.err())
                    .isEqualTo("Error from server (BadRequest): previous terminated container \"setup\" in pod \"web\" not found\n");
        } finally {
            if (running) {
                node.close();
            }
        }
        assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
    }

    private static String get(Kubectl kubectl, String jsonpath) {
        return kubectl.run("get", "pod", "web", "-o", "jsonpath=" + jsonpath).assertOk().out();
    }

    /** The messages of a CRI log file, one per line ({@code ""} while it does not exist). */
    private static String lines(Path criLog) throws IOException {
        if (!Files.exists(criLog)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(criLog)) {
            String[] f = line.split(" ", 4);
            out.append(f.length == 4 ? f[3] : "").append('\n');
        }
        return out.toString();
    }
}
