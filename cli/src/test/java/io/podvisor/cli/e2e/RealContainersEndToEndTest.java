package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.testing.BusyboxImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed kubectl against a node running real containers through runc (as root): OOMKilled
 * from the kernel, a SIGTERM-ignoring sidecar killed after the grace period, localhost and an
 * emptyDir shared in a pod, exec/HTTP/TCP probes, a pod IP reachable from the host, the seed's
 * exec-liveness lab, and nothing left on the host afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealContainersEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        for (String ref : new String[] {"busybox:1.36", "docker.io/library/busybox:latest"}) {
            BusyboxImage.install(node.images, ref);
        }
    }

    @AfterAll
    static void stop() throws IOException {
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

    static Path manifest(String name, String yaml) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private static String get(String... args) {
        return kubectl.run(args).assertOk().out();
    }

    @Test
    @Order(1)
    void oomKilledContainerRestartsWithBackOffWhileItsSiblingRuns() throws IOException {
        kubectl.run("apply", "-f", manifest("oom.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: oom
                spec:
                  containers:
                  - name: hog
                    image: busybox:1.36
                    command: ["sh", "-c", "x=$(head -c 100000000 /dev/zero | tr '\\\\0' a); echo $x"]
                    resources:
                      limits:
                        memory: 32Mi
                  - name: steady
                    image: busybox:1.36
                    command: ["sh", "-c", "while true; do sleep 1; done"]
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "pod", "oom").out(),
                        out -> out.matches("(?s).*\\noom\\s+1/2\\s+CrashLoopBackOff\\s+[1-9].*"));
        assertThat(get("get", "pod", "oom", "-o",
                "jsonpath={.status.containerStatuses[?(@.name==\"hog\")].lastState.terminated.reason}/"
                        + "{.status.containerStatuses[?(@.name==\"hog\")].lastState.terminated.exitCode}"))
                .isEqualTo("OOMKilled/137");
        assertThat(get("get", "pod", "oom", "-o",
                "jsonpath={.status.containerStatuses[?(@.name==\"steady\")].restartCount}"))
                .isEqualTo("0");
    }

    @Test
    @Order(2)
    void sidecarShellIgnoringSigtermEndsWith137AfterTheGracePeriod() throws IOException {
        kubectl.run("apply", "-f", manifest("sidecar.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sidecar
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 3
                  initContainers:
                  - name: logshipper
                    image: busybox:1.36
                    restartPolicy: Always
                    command: ["sh", "-c", "while true; do sleep 1; done"]
                  containers:
                  - name: main
                    image: busybox:1.36
                    command: ["sh", "-c", "sleep 2; echo done"]
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "pod", "sidecar", "-o", "jsonpath={.status.phase}").out(),
                        "Succeeded"::equals);
        assertThat(get("get", "pod", "sidecar", "-o",
                "jsonpath={.status.initContainerStatuses[0].state.terminated.exitCode}"
                        + "/{.status.containerStatuses[0].state.terminated.exitCode}"))
                .isEqualTo("137/0");
        assertThat(get("logs", "sidecar", "-c", "main")).isEqualTo("done\n");
    }

    @Test
    @Order(3)
    void containersShareLocalhostAndAnEmptyDirAndProbesReachThePod() throws Exception {
        kubectl.run("apply", "-f", manifest("shared.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: shared
                spec:
                  volumes:
                  - name: www
                    emptyDir: {}
                  containers:
                  - name: web
                    image: busybox:1.36
                    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                    volumeMounts:
                    - name: www
                      mountPath: /www
                    readinessProbe:
                      httpGet:
                        path: /index.html
                        port: 8080
                      periodSeconds: 1
                    livenessProbe:
                      tcpSocket:
                        port: 8080
                      periodSeconds: 2
                  - name: writer
                    image: busybox:1.36
                    command: ["sh", "-c", "echo hello from writer > /out/index.html; while true; do sleep 1; done"]
                    volumeMounts:
                    - name: www
                      mountPath: /out
                    readinessProbe:
                      exec:
                        command: ["test", "-f", "/out/index.html"]
                      periodSeconds: 1
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "pod", "shared").out(),
                        out -> out.matches("(?s).*\\nshared\\s+2/2\\s+Running\\s+0\\s.*"));
        assertThat(get("exec", "shared", "-c", "writer", "--", "wget", "-qO-", "http://localhost:8080/index.html"))
                .isEqualTo("hello from writer\n");
        assertThat(get("exec", "shared", "-c", "web", "--", "hostname")).isEqualTo("shared\n");
        String ip = get("get", "pod", "shared", "-o", "jsonpath={.status.podIP}");
        assertThat(ip).startsWith("10.");
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from writer\n");
        var failed = kubectl.run("exec", "shared", "-c", "web", "--", "sh", "-c", "exit 7");
        assertThat(failed.exitCode()).isEqualTo(7);
    }

    @Test
    @Order(4)
    void seedExecLivenessLabRestartsTheContainerWithTheArticlesEvents() throws IOException {
        kubectl.run("apply", "-f", manifest("exec-liveness.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: exec-liveness
                spec:
                  containers:
                  - name: liveness
                    image: docker.io/library/busybox:latest
                    imagePullPolicy: IfNotPresent
                    args:
                    - /bin/sh
                    - -c
                    - "touch /tmp/healthy && sleep 15 && rm -f /tmp/healthy && sleep 300"
                    livenessProbe:
                      exec:
                        command:
                        - cat
                        - /tmp/healthy
                      periodSeconds: 3
                      initialDelaySeconds: 30
                      timeoutSeconds: 1
                      successThreshold: 1
                      failureThreshold: 3
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("get", "pod", "exec-liveness", "-o",
                        "jsonpath={.status.containerStatuses[0].restartCount}").out(), n -> !n.isEmpty() && !n.equals("0"));
        String describe = get("describe", "pod", "exec-liveness");
        assertThat(describe)
                .containsPattern("Normal\\s+Killing\\s+\\S+\\s+kubelet\\s+Container liveness failed liveness probe, will be restarted")
                .containsPattern("Warning\\s+Unhealthy\\s+\\S+( \\(x3 over \\S+\\))?\\s+kubelet\\s+Liveness probe failed: cat: (can't open '/tmp/healthy'|/tmp/healthy): No such file or directory")
                .containsPattern("Normal\\s+Pulled\\s+\\S+( \\(x2 over \\S+\\))?\\s+kubelet\\s+Container image \"docker.io/library/busybox:latest\" already present on machine")
                .containsPattern("Normal\\s+Started\\s+\\S+ \\(x2 over \\S+\\)\\s+kubelet\\s+Started container liveness");
    }

    @Test
    @Order(5)
    void deletedPodsLeaveNothingBehind() throws IOException {
        kubectl.run("run", "short", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "sleep 300").assertOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("get", "pod", "short", "-o", "jsonpath={.status.phase}"),
                "Running"::equals);
        assertThat(node.podLeftovers()).as("a running pod's host state").isNotEmpty();
        kubectl.run(null, 120, "delete", "pod", "short", "--grace-period=1").assertOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("get", "pods", "-o", "name").isBlank());
        await().atMost(Duration.ofSeconds(10)).until(node::podLeftovers, List::isEmpty);
    }
}
