package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podvisor server} with the heap and collector the launcher gives it (320 MiB, G1) keeps
 * serving while large ConfigMaps are replaced over and over, as {@code kubectl replace} in a loop
 * does: the watch history is bounded by bytes, so it cannot fill the heap. Afterwards pods still
 * create and the health checks pass.
 */
class LargeObjectChurnTest {

    /** The launcher's heap ceiling for the default --max-pods, and its collector. */
    static final List<String> LAUNCHER_HEAP = List.of("-XX:+UseG1GC", "-Xmx320m");

    @TempDir
    Path tmp;

    @Test
    void replacingLargeConfigMapsThousandsOfTimesKeepsTheNodeServing() throws Exception {
        Path data = tmp.resolve("data");
        ServerProcessTest.Started s = ServerProcessTest.startServer(data, LAUNCHER_HEAP);
        try {
            Api api = new Api(ServerProcessTest.trustingServerCa(data), s.port(),
                    Files.readString(data.resolve("token")).trim());

            replaceInALoop(api, List.of("big"), 900 * 1024, 300);
            replaceInALoop(api, List.of("mid-0", "mid-1", "mid-2", "mid-3"), 64 * 1024, 5000);

            HttpResponse<String> pod = api.send("POST", "/api/v1/namespaces/default/pods", """
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"after-churn"},
                     "spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
            assertThat(pod.statusCode()).as("pod create after the churn: %s", pod.body()).isEqualTo(201);
            for (String endpoint : List.of("/livez", "/readyz")) {
                HttpResponse<String> health = api.send("GET", endpoint + "?verbose", null);
                assertThat(health.statusCode()).as("%s: %s", endpoint, health.body()).isEqualTo(200);
                assertThat(health.body()).contains("[+]memory ok", "[+]etcd ok");
            }
            assertThat(s.process().isAlive()).isTrue();
        } finally {
            s.process().destroy();
            assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
        }
    }

    /**
     * Creates each named ConfigMap with a value of {@code size} bytes, then replaces them (one sender
     * each, at once) with a new value of that size, {@code updates} times in all; every answer is 200.
     */
    private static void replaceInALoop(Api api, List<String> names, int size, int updates) throws Exception {
        String filler = "x".repeat(size - 16);
        ExecutorService senders = Executors.newFixedThreadPool(names.size());
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int n = 0; n < names.size(); n++) {
                String name = names.get(n);
                int share = updates / names.size() + (n < updates % names.size() ? 1 : 0);
                Callable<Void> sender = () -> {
                    HttpResponse<String> created = api.send("POST", "/api/v1/namespaces/default/configmaps",
                            configMap(name, filler, -1));
                    assertThat(created.statusCode()).as("create %s: %.300s", name, created.body()).isEqualTo(201);
                    for (int i = 0; i < share; i++) {
                        HttpResponse<String> replaced = api.send("PUT", "/api/v1/namespaces/default/configmaps/" + name,
                                configMap(name, filler, i));
                        assertThat(replaced.statusCode()).as("replace %s #%d: %.300s", name, i, replaced.body())
                                .isEqualTo(200);
                    }
                    return null;
                };
                done.add(senders.submit(sender));
            }
            for (Future<Void> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /** A ConfigMap as {@code kubectl create configmap --dry-run=client -o json} would give it (no resourceVersion). */
    private static String configMap(String name, String filler, int round) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"v\":\"" + String.format("%012d", round + 1) + filler + "\"}}";
    }

    /** The node's API with its token. */
    private record Api(HttpClient http, int port, String token) {
        HttpResponse<String> send(String method, String path, String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
            if (json == null) {
                b.GET();
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
