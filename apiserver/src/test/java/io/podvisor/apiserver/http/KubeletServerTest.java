package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.tls.CertificateMinter;
import io.podvisor.apiserver.tls.KubeletCertificates;
import io.podvisor.apiserver.tls.Pki;
import io.podvisor.core.SystemClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubelet endpoint on real TLS with scripted streams, reached by the API server's
 * {@link KubeletClient} with its kubelet client certificate: logs (options passed on, the
 * kubelet's refusals with their texts), exec over the channel protocol, 401 for a request without
 * a client certificate or with one the cluster CA did not sign, kube-apiserver's texts when the
 * kubelet cannot be reached, and the routing of a pod by its node.
 */
class KubeletServerTest {

    /** When the test's certificates are minted: real TLS checks their validity against the wall clock. */
    private static final Instant MINTED = Instant.now();

    @TempDir
    Path tmp;

    private final SystemClock clock = new SystemClock();
    private final FakeContainerStreams streams = new FakeContainerStreams();
    private final Map<String, Pod> pods = new java.util.concurrent.ConcurrentHashMap<>();
    private KubeletServer server;
    private KubeletCertificates.Credential apiClientCert;
    private KubeletCertificates.Credential serving;
    private final AtomicReference<Node> node = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        Pki pki = Pki.loadOrCreate(tmp.resolve("apiserver"), "127.0.0.1", MINTED);
        apiClientCert = KubeletCertificates.apiServerClient(tmp.resolve("apiserver"), MINTED);
        serving = KubeletCertificates.kubeletServing(tmp.resolve("kubelet/pki"), "node-b",
                "127.0.0.1", MINTED);
        server = new KubeletServer(new KubeletServer.Config("127.0.0.1", 0, serving, pki.ca()),
                (ns, name) -> pods.get(ns + "/" + name), () -> streams, clock);
        int port = server.start();
        node.set(node("node-b", port));
        pods.put("default/web", pod("web", "node-b"));
    }

    @AfterEach
    void stop() {
        server.close();
        clock.close();
    }

    @Test
    void theKubeletKeepsItsOwnCertificateAndKeyPrivate() throws IOException {
        Path dir = tmp.resolve("kubelet/pki");
        for (String f : List.of("kubelet.crt", "kubelet.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).isEqualTo("rw-------");
        }
        var again = KubeletCertificates.kubeletServing(dir, "node-b", "127.0.0.1", MINTED);
        assertThat(again.certificate()).as("kept across starts").isEqualTo(serving.certificate());
        assertThat(apiClientCert.certificate().getSubjectX500Principal().getName())
                .startsWith("CN=" + KubeletCertificates.API_SERVER_CLIENT_CN);
    }

    @Test
    void requestsWithoutAClientCertificateOrWithAForeignOneAreUnauthorized() throws Exception {
        HttpResponse<String> anonymous = get(HttpClient.newBuilder().sslContext(noClientCert()).build(), "/healthz");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("Unauthorized\n");
        CertificateMinter.Issuer otherCa = CertificateMinter.newCa("other-ca", MINTED);
        KeyPair keys = CertificateMinter.newKeyPair();
        var foreign = new KubeletCertificates.Credential(List.of(CertificateMinter.newClientCertificate(otherCa, keys,
                "CN=" + KubeletCertificates.API_SERVER_CLIENT_CN, MINTED)), keys.getPrivate());
        HttpClient foreignClient = HttpClient.newBuilder().sslContext(KubeletCertificates.acceptingAnyPeer(foreign)).build();
        assertThat(get(foreignClient, "/healthz").statusCode()).isEqualTo(401);
        HttpResponse<String> logs = get(foreignClient, "/containerLogs/default/web/app");
        assertThat(logs.statusCode()).isEqualTo(401);
        assertThat(streams.lastContainer).as("nothing reached the streams").isNull();

        HttpClient apiServer = HttpClient.newBuilder().sslContext(KubeletCertificates.acceptingAnyPeer(apiClientCert)).build();
        HttpResponse<String> ok = get(apiServer, "/healthz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
    }

    @Test
    void logsReachTheKubeletWithTheirOptions() throws IOException {
        KubeletClient client = client();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Instant since = Instant.parse("2026-01-02T03:04:05Z");
        client.logs(pods.get("default/web"), "app",
                new ContainerStreams.LogOptions(false, false, true, 2L, null, since, 100L), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("app line 1\napp line 2\napp line 3\n");
        assertThat(streams.lastContainer).isEqualTo("app");
        assertThat(streams.lastLogOptions).isEqualTo(new ContainerStreams.LogOptions(false, false, true, 2L, null, since, 100L));
    }

    @Test
    void aFollowStreamsAsLinesComeAndEndsOnBothSidesWhenItsClientLeaves() throws Exception {
        KubeletClient client = client();
        ContainerStreams.LogOptions follow = new ContainerStreams.LogOptions(false, true, false, null, null, null, null);
        java.io.PipedInputStream received = new java.io.PipedInputStream(4096);
        GoneAfterClose out = new GoneAfterClose(new java.io.PipedOutputStream(received));
        var done = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                client.logs(pods.get("default/web"), "app", follow, out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(received, StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("app line 1");
        assertThat(lines.readLine()).isEqualTo("app line 2");
        assertThat(lines.readLine()).isEqualTo("app line 3");
        streams.followLines.add("later");
        assertThat(lines.readLine()).isEqualTo("later");
        assertThat(streams.following.get()).isEqualTo(1);

        out.gone = true; // the user's kubectl went away while the container says nothing
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(done::isDone);
        assertThat(done).isCompletedExceptionally();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(streams.following.get()).as("the kubelet's follower").isZero());
    }

    /** A client's stream whose flush fails once its client has gone, as the API server's front does. */
    private static final class GoneAfterClose extends java.io.FilterOutputStream {
        volatile boolean gone;

        GoneAfterClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (gone) {
                throw new IOException("the client closed the connection");
            }
            out.flush();
        }
    }

    @Test
    void theKubeletsRefusalsReachTheUserWithTheirTexts() {
        KubeletClient client = client();
        assertThatThrownBy(() -> client.logs(pods.get("default/web"), "app",
                new ContainerStreams.LogOptions(true, false, false, null, null, null, null), new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("previous terminated container \"app\" in pod \"web\" not found"));
        assertThatThrownBy(() -> client.logs(pod("gone", "node-b"), "app", ContainerStreams.LogOptions.DEFAULT,
                new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("pod \"gone\" does not exist");
                });
        assertThatThrownBy(() -> client.logs(pods.get("default/web"), "nope", ContainerStreams.LogOptions.DEFAULT,
                new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("container \"nope\" not found in pod \"web\""));
    }

    @Test
    void attachAndTerminalSizesReachTheKubelet() throws IOException {
        KubeletClient client = client();
        Pod web = pods.get("default/web");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var sizes = new io.podvisor.core.TerminalSizes();
        sizes.resize(new io.podvisor.core.TerminalSizes.Size(101, 33));
        client.attach(web, "app", new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8)), out,
                new ByteArrayOutputStream(), sizes);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("attached 101x33\ntyped\n");

        out.reset();
        assertThat(client.exec(web, "app", List.of("size"), null, out, out, true, sizes)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("101x33 tty\n");
    }

    @Test
    void execRunsThroughTheChannelProtocol() throws IOException {
        KubeletClient client = client();
        Pod web = pods.get("default/web");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(client.exec(web, "app", List.of("echo", "hello", "there"), null, out, err, false)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello there\n");
        assertThat(streams.lastStdinPresent).isFalse();

        out.reset();
        assertThat(client.exec(web, "app", List.of("fail", "3"), null, out, err, false)).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");

        out.reset();
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        assertThat(client.exec(web, "app", List.of("cat"), new ByteArrayInputStream(input), out, err, false)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("line one\nline two\n");

        assertThatThrownBy(() -> client.exec(web, "app", List.of("what"), null, out, err, false))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("unknown command what"));
    }

    @Test
    void anUnreachableKubeletGivesKubeApiserversTexts() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        node.set(node("node-b", closed));
        KubeletClient client = client();
        Pod web = pods.get("default/web");
        assertThatThrownBy(() -> client.logs(web, "app", ContainerStreams.LogOptions.DEFAULT, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("Get \"https://127.0.0.1:" + closed
                            + "/containerLogs/default/web/app\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
                });
        assertThatThrownBy(() -> client.exec(web, "app", List.of("echo"), null, new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("error dialing backend: dial tcp 127.0.0.1:" + closed
                            + ": connect: connection refused");
                });
    }

    @Test
    void podsAreRoutedByTheirNode() throws IOException {
        FakeContainerStreams local = new FakeContainerStreams();
        NodeRoutedStreams routed = new NodeRoutedStreams("node-a", local, client());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        routed.exec(pod("here", "node-a"), "app", List.of("echo", "local"), null, out, out, false);
        assertThat(local.lastContainer).isEqualTo("app");
        assertThat(streams.lastContainer).isNull();
        routed.exec(pods.get("default/web"), "app", List.of("echo", "remote"), null, out, out, false);
        assertThat(streams.lastContainer).isEqualTo("app");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("local\nremote\n");
        assertThatThrownBy(() -> routed.exec(pod("pending", null), "app", List.of("echo"), null, out, out, false))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("pod pending does not have a host assigned"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        routed.logs(pod("pending", null), "app", ContainerStreams.LogOptions.DEFAULT, logs);
        assertThat(logs.size()).as("no logs before the pod is bound").isZero();
    }

    @Test
    void portForwardReachesAPodOfAnotherNodeThroughItsKubelet() throws Exception {
        Pod web = pods.get("default/web");
        web.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("127.0.0.1").build());
        try (ServerSocket greeter = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = greeter.accept()) {
                    String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    s.getOutputStream().write(("hello " + line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the test failed elsewhere
                }
            });
            NodeRoutedStreams routed = new NodeRoutedStreams("node-a", streams, client());
            PodDialer dialer = routed.portForwardDialer(web, 5000);
            assertThat(dialer).as("another node's pod goes through its kubelet").isInstanceOf(KubeletPortForward.class);
            try (PodDialer.Connection c = dialer.dial(greeter.getLocalPort())) {
                c.output().write("world\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(c.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
                assertThat(c.error()).isEmpty();
            }
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (PodDialer.Connection c = client().portForwardDialer(web).dial(closed)) {
            assertThat(c.input().readAllBytes()).isEmpty();
            assertThat(c.error()).isEqualTo("error forwarding port " + closed + " to pod uid-web, uid : dial tcp "
                    + "127.0.0.1:" + closed + ": connect: connection refused");
        }
        assertThat(new NodeRoutedStreams("node-b", streams, client()).portForwardDialer(web, 5000))
                .as("this node's pod by its IP").isNotInstanceOf(KubeletPortForward.class);
    }

    private KubeletClient client() {
        return new KubeletClient(name -> name.equals(node.get().getMetadata().getName()) ? node.get() : null, apiClientCert, clock);
    }

    private HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A TLS context trusting any server and presenting no client certificate. */
    private static javax.net.ssl.SSLContext noClientCert() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    @Test
    void theApiServerReadsAnotherNodesUsageFromItsKubeletsSummary() {
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:30Z");
        var usage = new io.podvisor.api.client.ResourceMetrics() {
            @Override
            public java.util.Optional<Usage> node() {
                return java.util.Optional.of(new Usage(at, RESOLUTION, 500_000_000L, 2L << 30));
            }

            @Override
            public List<PodUsage> pods() {
                return List.of(new PodUsage("default", "web", "uid-web", at, RESOLUTION,
                        List.of(new ContainerUsage("app", 1_234_567L, 40L << 20))));
            }
        };
        KubeletClient client = client();
        assertThat(client.metrics("node-b").node()).as("nothing served yet").isEmpty();

        server.serveMetrics("node-b", () -> usage);
        var read = client.metrics("node-b");

        assertThat(read.node()).contains(usage.node().orElseThrow());
        assertThat(read.pods()).containsExactlyElementsOf(usage.pods());
        assertThat(client.metrics("node-z").pods()).as("an unknown node").isEmpty();
    }

    private static Node node(String name, int port) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(port).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus().build();
    }

    private static Pod pod(String name, String nodeName) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("app").withImage("busybox").endContainer()
                .endSpec().build();
    }
}
