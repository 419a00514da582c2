package io.podvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A node's HTTPS API as the benchmarks use it: the bearer token from the data directory, the
 * self-signed certificate trusted, HTTP/1.1 (what the API server speaks), pods in {@code default}.
 */
final class NodeApi implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String PODS = "/api/v1/namespaces/default/pods";

    private final String base;
    private final String bearer;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    NodeApi(int port, Path dataDir) throws Exception {
        this.base = "https://127.0.0.1:" + port;
        this.bearer = "Bearer " + Files.readString(dataDir.resolve("token"), StandardCharsets.UTF_8).strip();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ColdStart.trustAll())
                .connectTimeout(Duration.ofSeconds(60)).executor(executor).build();
    }

    /** The scheduler name of pods that only the API and the store handle: the node's scheduler leaves them alone. */
    static final String UNSCHEDULED = "bench-unscheduled";

    /**
     * A small pod: one busybox container. {@code scheduled} leaves the scheduler name unset, so
     * the node's scheduler binds it and its kubelet runs it; otherwise it stays pending, unbound.
     */
    static byte[] podJson(String name, boolean scheduled) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},"
                + "\"spec\":{" + (scheduled ? "" : "\"schedulerName\":\"" + UNSCHEDULED + "\",")
                + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"]}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Creates pod {@code name} (see {@link #podJson}); returns the created object as the server answered it. */
    byte[] createPod(String name, boolean scheduled) throws IOException, InterruptedException {
        return createPod(name, podJson(name, scheduled));
    }

    /** Creates the pod {@code json} (named {@code name}); returns the created object as the server answered it. */
    byte[] createPod(String name, byte[] json) throws IOException, InterruptedException {
        HttpRequest req = request(PODS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 201) {
            throw new IOException("POST pod " + name + ": HTTP " + resp.statusCode() + " "
                    + new String(resp.body(), StandardCharsets.UTF_8));
        }
        return resp.body();
    }

    /** Deletes pod {@code name} as a client that names no options does (one request, 200 expected). */
    void deletePod(String name) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(request(PODS + "/" + name).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("DELETE pod " + name + ": HTTP " + resp.statusCode() + " "
                    + new String(resp.body(), StandardCharsets.UTF_8));
        }
    }

    /** Every pod of {@code default}, as the API lists them. */
    JsonNode listPods() throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(request(PODS).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("GET pods: HTTP " + resp.statusCode());
        }
        return JSON.readTree(resp.body());
    }

    /** Deletes every pod of {@code default} at once (grace period 0). */
    void deleteAllPods() throws IOException, InterruptedException {
        HttpRequest req = request(PODS + "?gracePeriodSeconds=0").DELETE().build();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("DELETE pods: HTTP " + resp.statusCode() + " " + new String(resp.body(), StandardCharsets.UTF_8));
        }
    }

    /** The pod list's resourceVersion now (a watch from it sees only later changes). */
    String podsResourceVersion() throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(request(PODS + "?limit=1").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("GET pods: HTTP " + resp.statusCode());
        }
        JsonNode list = JSON.readTree(resp.body());
        return list.path("metadata").path("resourceVersion").asText();
    }

    /** Opens a watch of the pods of {@code default} after {@code resourceVersion}; the body streams JSON lines. */
    InputStream watchPods(String resourceVersion) throws IOException, InterruptedException {
        HttpRequest req = request(PODS + "?watch=true&resourceVersion=" + resourceVersion).GET().build();
        HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new IOException("watch pods: HTTP " + resp.statusCode());
        }
        return resp.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer)
                .header("Accept", "application/json").timeout(Duration.ofMinutes(30));
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
