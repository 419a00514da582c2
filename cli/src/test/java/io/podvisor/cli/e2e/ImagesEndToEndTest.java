package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.Main;
import io.podvisor.cli.testing.CliRun;
import io.podvisor.runtime.testing.BusyboxImage;
import io.podvisor.runtime.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images on a real node (runc, as root) with the installed kubectl: an image imported from a
 * {@code docker save}-style archive by {@code podvisor image import} while the server runs, pulls
 * from a real registry on loopback, and a missing image ({@code ErrImagePull} then
 * {@code ImagePullBackOff}, the pod {@code Pending}).
 */
class ImagesEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;
    static Kubectl kubectl;
    static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        assumeTrue(LocalRegistry.available(), "needs docker-registry and skopeo");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        registry = LocalRegistry.start();
        registry.push(BusyboxImage.layout().build(), "tools/busybox:1.36");
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (node != null) {
            node.close();
            assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
        }
    }

    @AfterEach
    void deletePods() {
        if (kubectl != null) {
            kubectl.run(null, 120, "delete", "pods", "--all", "--grace-period=1").assertOk();
        }
    }

    private static String manifest(String name, String yaml) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, yaml);
        return p.toString();
    }

    private static String get(String... args) {
        return kubectl.run(args).assertOk().out();
    }

    private static String pod(String name, String image, String command) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: %s
                    command: ["sh", "-c", "%s"]
                """.formatted(name, image, command);
    }

    @Test
    void aPodRunsFromAnImageImportedFromADockerSaveArchiveWhileTheServerRuns() throws IOException {
        Path archive = BusyboxImage.layout().build()
                .writeDockerSave(tmp.resolve("app.tar"), "example.com/demo/app:1.0");
        int exit = Main.run("image", "import", archive.toString(), "--data-dir", node.dataDir.toString());
        assertThat(exit).isZero();

        kubectl.run("apply", "-f", manifest("imported.yaml",
                pod("imported", "example.com/demo/app:1.0", "echo hello from the archive"))).assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("get", "pod", "imported", "-o", "jsonpath={.status.phase}")).isEqualTo("Succeeded"));

        assertThat(get("logs", "imported")).isEqualTo("hello from the archive\n");
        assertThat(get("get", "pod", "imported", "-o", "jsonpath={.spec.containers[0].imagePullPolicy}"))
                .isEqualTo("IfNotPresent");
        assertThat(get("get", "pod", "imported", "-o", "jsonpath={.status.containerStatuses[0].image}"))
                .isEqualTo("example.com/demo/app:1.0");
        assertThat(get("describe", "pod", "imported"))
                .contains("Container image \"example.com/demo/app:1.0\" already present on machine");
    }

    @Test
    void podvisorRunShowsThePullInItsTimeline() throws IOException {
        String image = registry.host() + "/tools/busybox:1.36";
        CliRun.Output r = CliRun.run("run", manifest("run-pull.yaml", pod("run-pull", image, "echo pulled for run")),
                "--runtime", "runc", "--until", "complete", "--timeout", "2m");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .containsPattern("\\] Normal Pulling pod/run-pull: Pulling image \"" + Pattern.quote(image) + "\"")
                .containsPattern("\\] pull " + Pattern.quote(image) + ": resolved sha256:[0-9a-f]{12}, 1 layer, \\d+\\.\\dMB")
                .containsPattern("\\] pull sha256:[0-9a-f]{12} \\d+\\.\\dMB/\\d+\\.\\dMB done")
                .containsPattern("\\] pull " + Pattern.quote(image) + ": unpacking")
                .contains("Pod default/run-pull: Succeeded");
        assertThat(r.out().indexOf(": unpacking")).isLessThan(r.out().indexOf("Normal Pulled pod/run-pull"));
    }

    @Test
    void aPodPullsItsImageFromARegistryOnLoopbackAndRuns() throws IOException {
        String image = registry.host() + "/tools/busybox:1.36";
        kubectl.run("apply", "-f", manifest("pulled.yaml",
                pod("pulled", image, "cat /etc/group; echo pulled and ran"))).assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("get", "pod", "pulled", "-o", "jsonpath={.status.phase}")).isEqualTo("Succeeded"));

        assertThat(get("logs", "pulled")).contains("root:x:0:", "pulled and ran");
        assertThat(get("describe", "pod", "pulled"))
                .contains("Pulling image \"" + image + "\"")
                .contains("Successfully pulled image \"" + image + "\" in ");
        assertThat(get("get", "pod", "pulled", "-o", "jsonpath={.status.containerStatuses[0].imageID}"))
                .startsWith(registry.host() + "/tools/busybox@sha256:");
        assertThat(Main.run("image", "ls", "--data-dir", node.dataDir.toString())).isZero();
    }

    @Test
    void aMissingImageGivesErrImagePullThenImagePullBackOffAndThePodStaysPending() throws IOException {
        String image = registry.host() + "/nosuch/app:1";
        kubectl.run("apply", "-f", manifest("missing.yaml", pod("missing", image, "true"))).assertOk();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("get", "pod", "missing")).contains("ErrImagePull"));
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(get("get", "pod", "missing")).containsPattern("missing\\s+0/1\\s+ImagePullBackOff\\s+0"));

        assertThat(get("get", "pod", "missing", "-o", "jsonpath={.status.phase}")).isEqualTo("Pending");
        String describe = get("describe", "pod", "missing");
        assertThat(describe)
                .containsPattern("State:\\s+Waiting")
                .containsPattern("Reason:\\s+(ImagePullBackOff|ErrImagePull)")
                .contains("Pulling image \"" + image + "\"")
                .contains("Failed to pull image \"" + image + "\": ")
                .contains("not found")
                .contains("Error: ErrImagePull")
                .contains("Back-off pulling image \"" + image + "\"")
                .contains("Error: ImagePullBackOff");
    }
}
