package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.fuzz.FuzzNode;
import io.podvisor.core.FakeClock;
import io.podvisor.core.SystemClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real HTTPS {@link ApiServer} on an ephemeral loopback port over {@link FakeRegistry}
 * and {@link FakeContainerStreams}, with a {@link FakeClock} starting at the current time, and an
 * {@link HttpClient} that trusts the minted CA.
 */
abstract class ServerTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    FakeClock clock;
    FakeRegistry registry;
    FakeContainerStreams streams;
    ApiServer server;
    HttpClient http;
    String token;
    int port;

    @BeforeEach
    void startServer() throws Exception {
        try (SystemClock system = new SystemClock()) {
            clock = new FakeClock(system.now());
        }
        registry = new FakeRegistry(clock);
        streams = new FakeContainerStreams();
        server = new ApiServer(new ApiServer.Config(dir, 0, "127.0.0.1", "node-1"), registry, streams, clock);
        port = server.start();
        token = Files.readString(dir.resolve("token")).trim();
        http = client(dir.resolve("pki/ca.crt"));
    }

    @AfterEach
    void stopServer() {
        server.stop();
        http.close();
    }

    static HttpClient client(Path caFile) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(caFile)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A TLS context that trusts the CA in {@code caFile} only. */
    static SSLContext trusting(Path caFile) throws Exception {
        return FuzzNode.trusting(caFile);
    }

    /**
     * Sends a GET of {@code path} over TLS on {@code plain} (not yet connected) and leaves the
     * answer unread.
     */
    SSLSocket rawGet(Socket plain, String path) throws Exception {
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLSocket socket = (SSLSocket) trusting(dir.resolve("pki/ca.crt")).getSocketFactory()
                .createSocket(plain, "127.0.0.1", port, true);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = contentType;
        return http.send(request(path, all).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The element of {@code array} whose {@code field} (a path of names) is {@code value}. */
    static JsonNode find(JsonNode array, String value, String... field) {
        for (JsonNode n : array) {
            JsonNode at = n;
            for (String f : field) {
                at = at.path(f);
            }
            if (at.asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError(value + " not found in " + array);
    }

    Pod addPod(String name, Map<String, String> labels, String... containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withLabels(labels).withUid("uid-" + name).endMetadata().withNewSpec().withNodeName("node-1").endSpec();
        Pod pod = b.build();
        for (String c : containers) {
            pod.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                    .withName(c).withImage("busybox").build());
        }
        return (Pod) registry.put(ResourceTypes.PODS, pod);
    }
}
