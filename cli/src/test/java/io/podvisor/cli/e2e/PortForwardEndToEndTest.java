package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.testing.BusyboxImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed kubectl's {@code port-forward} against a runc node (as root): to a pod and through a
 * Service to busybox {@code httpd}, and a port nothing listens on reported in kubectl's words (after
 * which kubectl 1.33 ends with {@code lost connection to pod}, as against any API server). Only
 * loopback and the node's own pod addresses are used. Also the API server's {@code pods/proxy} and
 * {@code services/proxy} to the same pod, through {@code kubectl get --raw} and {@code kubectl proxy}.
 */
class PortForwardEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        BusyboxImage.install(node.images, "busybox:1.36");
        Path manifest = tmp.resolve("web.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: busybox:1.36
                    command: ["sh", "-c", "mkdir -p /www && echo hello from the pod > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    readinessProbe:
                      tcpSocket:
                        port: 8080
                      periodSeconds: 1
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                  - port: 80
                    targetPort: 8080
                """);
        kubectl.run("apply", "-f", manifest.toString()).assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "pod", "web").out(),
                        out -> out.matches("(?s).*\\nweb\\s+1/1\\s+Running\\s+0\\s.*"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            kubectl.run(null, 120, "delete", "pods", "--all", "--grace-period=1").assertOk();
            node.close();
            assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
        }
    }

    /** A running {@code kubectl port-forward}: its output lines as they come. */
    private static final class Forward implements AutoCloseable {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final StringBuffer err = new StringBuffer();

        Forward(String... args) throws IOException {
            process = kubectl.start(args);
            pump(process.getInputStream(), out);
            pump(process.getErrorStream(), err);
        }

        private static void pump(InputStream in, StringBuffer into) {
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        into.append(line).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        Forward awaitOutput(String text) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> !process.isAlive())
                    .until(() -> out.toString().contains(text));
            return this;
        }

        Forward awaitListening(int local, int remote) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> !process.isAlive())
                    .until(() -> out.toString().contains("Forwarding from 127.0.0.1:" + local + " -> " + remote));
            return this;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freeLocalPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> fetch(int local) throws IOException, InterruptedException {
        return fetch(local, "/index.html");
    }

    private static HttpResponse<String> fetch(int local, String path) throws IOException, InterruptedException {
        // HTTP/1.1: the JDK client's default h2c upgrade offer would make kubectl proxy expect a protocol switch
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void forwardsALocalPortToThePod() throws Exception {
        int local = freeLocalPort();
        try (Forward f = new Forward("port-forward", "pod/web", local + ":8080").awaitListening(local, 8080)) {
            for (int i = 0; i < 2; i++) { // each request is a new forwarded connection over the same tunnel
                HttpResponse<String> r = fetch(local);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello from the pod\n");
            }
            assertThat(f.out.toString()).contains("Handling connection for " + local);
            assertThat(f.process.isAlive()).as("still forwarding; stderr: %s", f.err).isTrue();
        }
    }

    @Test
    void forwardsALocalPortThroughAServiceToItsTargetPort() throws Exception {
        int local = freeLocalPort();
        try (Forward f = new Forward("port-forward", "svc/web", local + ":80").awaitListening(local, 8080)) {
            HttpResponse<String> r = fetch(local);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from the pod\n");
        }
    }

    @Test
    void aPortNothingListensOnIsKubectlsErrorLine() throws Exception {
        int local = freeLocalPort();
        String uid = kubectl.run("get", "pod", "web", "-o", "jsonpath={.metadata.uid}").assertOk().out();
        String ip = kubectl.run("get", "pod", "web", "-o", "jsonpath={.status.podIP}").assertOk().out();
        try (Forward f = new Forward("port-forward", "pod/web", local + ":9999").awaitListening(local, 9999)) {
            try {
                fetch(local);
            } catch (IOException expected) {
                // the forwarded connection is closed without an answer
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> f.err.toString().contains("an error occurred forwarding " + local + " -> 9999: "
                            + "error forwarding port 9999 to pod " + uid + ", uid : dial tcp " + ip
                            + ":9999: connect: connection refused"));
            // as kubectl 1.33 does after an error on the error stream: it drops the tunnel and ends
            assertThat(f.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(f.err.toString()).contains("error: lost connection to pod");
        }
    }

    @Test
    void getRawThroughPodProxyReturnsThePage() throws Exception {
        assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/web:8080/proxy/").assertOk().out())
                .isEqualTo("hello from the pod\n");
        String ip = kubectl.run("get", "pod", "web", "-o", "jsonpath={.status.podIP}").assertOk().out();
        Kubectl.Result refused = kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/web:9999/proxy/");
        assertThat(refused.err()).contains("Error from server (ServiceUnavailable): error trying to reach service: "
                + "dial tcp " + ip + ":9999: connect: connection refused");
    }

    @Test
    void kubectlProxyServesTheServiceProxy() throws Exception {
        try (Forward proxy = new Forward("proxy", "--port=0").awaitOutput("Starting to serve on 127.0.0.1:")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Starting to serve on 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(proxy.out.toString());
            assertThat(m.find()).isTrue();
            int local = Integer.parseInt(m.group(1));
            HttpResponse<String> r = fetch(local, "/api/v1/namespaces/default/services/web:80/proxy/");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from the pod\n");
        }
    }
}
