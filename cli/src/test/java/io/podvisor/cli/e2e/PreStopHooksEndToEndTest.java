package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.testing.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * preStop hooks that never end, on runc through the installed kubectl: upstream's kubelet waits for
 * them at most the grace period, then stops the containers with the 2 s minimum, and the hooks run
 * until the containers are killed; its e2e test expects the pod gone about 32 s after the delete.
 */
class PreStopHooksEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        BusyboxImage.install(node.images, "busybox:1.36");
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
            assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
        }
    }

    /** A preStop hook that touches {@code /beats/<name>} ten times a second, forever. */
    private static String beatingHook(String name) {
        return """
                    lifecycle:
                      preStop:
                        exec:
                          command: ["sh", "-c", "while true; do touch /beats/%s; usleep 100000; done"]
                    volumeMounts:
                    - {name: beats, mountPath: /beats}
                """.formatted(name);
    }

    @Test
    void aPodWhosePreStopHooksNeverEndIsGoneAboutThirtyTwoSecondsAfterTheDeleteAndTheHooksRanUntilTheKill()
            throws IOException {
        Path beats = Files.createDirectories(tmp.resolve("beats"));
        Path manifest = tmp.resolve("hooked.yaml");
        // PID 1 without a SIGTERM handler ignores it: both containers live until the SIGKILL
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: hooked
                spec:
                  terminationGracePeriodSeconds: 30
                  volumes:
                  - name: beats
                    hostPath: {path: %s, type: Directory}
                  initContainers:
                  - name: proxy
                    image: busybox:1.36
                    restartPolicy: Always
                    command: ["sleep", "3600"]
                %s  containers:
                  - name: app
                    image: busybox:1.36
                    command: ["sleep", "3600"]
                %s""".formatted(beats, beatingHook("proxy"), beatingHook("app")));
        Kubectl kubectl = node.kubectl;
        kubectl.run("apply", "-f", manifest.toString()).assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "pod", "hooked").out(),
                        out -> out.matches("(?s).*\\nhooked\\s+2/2\\s+Running\\s+0\\s.*"));

        Instant deleted = Instant.now();
        // kubectl waits for the object to be gone (a watch), within this run's deadline
        kubectl.run(null, 90, "delete", "pod", "hooked").assertOk();
        Instant gone = Instant.now();

        assertThat(kubectl.run("get", "pod", "hooked").err()).contains("pods \"hooked\" not found");
        Duration took = Duration.between(deleted, gone);
        assertThat(took).as("deletion to gone: the 30 s grace, then the 2 s minimum stop")
                .isBetween(Duration.ofSeconds(31), Duration.ofSeconds(38));
        for (String hook : new String[] {"app", "proxy"}) {
            Instant lastBeat = Files.getLastModifiedTime(beats.resolve(hook)).toInstant();
            // cut at the grace period, a hook beats last at about 30 s; living until the kill, at about 32 s
            assertThat(Duration.between(deleted, lastBeat)).as("%s's preStop hook ran on after the grace period", hook)
                    .isGreaterThan(Duration.ofSeconds(31));
            assertThat(lastBeat).as("%s's preStop hook ended with its container", hook).isBefore(gone);
        }
    }
}
