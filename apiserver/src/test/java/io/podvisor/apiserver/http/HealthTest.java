package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /healthz}, {@code /livez} and {@code /readyz} in kube-apiserver's forms, and what makes them fail. */
class HealthTest extends ServerTestBase {

    private HttpResponse<String> anonymous(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthyNodeAnswersOkAndListsItsChecksWhenVerbose() throws Exception {
        for (String endpoint : List.of("healthz", "livez", "readyz")) {
            assertThat(anonymous("/" + endpoint).body()).isEqualTo("ok");
        }
        HttpResponse<String> live = anonymous("/livez?verbose");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(live.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(live.body()).isEqualTo("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]memory ok\nlivez check passed\n");
        assertThat(anonymous("/readyz?verbose=1").body())
                .isEqualTo("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]memory ok\n[+]node-ready ok\nreadyz check passed\n");
        assertThat(get("/livez/ping").body()).isEqualTo("ok");
        assertThat(get("/livez/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingStoreFailsLivenessAndReadinessWithTheReasonWithheld() throws Exception {
        registry.storageProblem = "write failed: [SQLITE_FULL] database or disk is full";

        HttpResponse<String> live = anonymous("/livez");
        assertThat(live.statusCode()).isEqualTo(500);
        assertThat(live.body()).isEqualTo("[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]memory ok\nlivez check failed\n");
        HttpResponse<String> ready = anonymous("/readyz?verbose");
        assertThat(ready.statusCode()).isEqualTo(500);
        assertThat(ready.body()).isEqualTo(
                "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]memory ok\n[+]node-ready ok\nreadyz check failed\n");
        HttpResponse<String> one = get("/livez/etcd");
        assertThat(one.statusCode()).isEqualTo(500);
        assertThat(one.body()).isEqualTo("internal server error: write failed: [SQLITE_FULL] database or disk is full\n");
        assertThat(anonymous("/livez?exclude=etcd").body()).isEqualTo("ok");
        assertThat(anonymous("/livez?verbose&exclude=etcd&exclude=bogus").body()).isEqualTo(
                "[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]memory ok\n"
                        + "warn: some health checks cannot be excluded: no matches for \"bogus\"\nlivez check passed\n");

        registry.storageProblem = null;
        assertThat(anonymous("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void anOutOfMemoryErrorWhileServingFailsLivenessForGood() throws Exception {
        addPod("web", java.util.Map.of(), "c");
        registry.nextGetError = new OutOfMemoryError("Java heap space (thrown by the test)");

        HttpResponse<String> failed = get("/api/v1/namespaces/default/pods/web");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(json(failed).path("reason").asText()).isEqualTo("InternalError");
        assertThat(get("/api/v1/namespaces/default/pods/web").statusCode()).isEqualTo(200);

        HttpResponse<String> live = anonymous("/livez");
        assertThat(live.statusCode()).isEqualTo(500);
        assertThat(live.body()).isEqualTo("[+]ping ok\n[+]log ok\n[+]etcd ok\n[-]memory failed: reason withheld\nlivez check failed\n");
        assertThat(anonymous("/readyz").statusCode()).isEqualTo(500);
        assertThat(get("/livez/memory").body())
                .isEqualTo("internal server error: java.lang.OutOfMemoryError: Java heap space (thrown by the test)\n");
    }

    @Test
    void anOutOfMemoryErrorThatEndedAnotherThreadFailsLivenessAndOtherErrorsDoNot() throws Exception {
        server.recordFatal(new IllegalStateException("a bug, not the node's memory"));
        assertThat(anonymous("/livez").body()).isEqualTo("ok");

        server.recordFatal(new OutOfMemoryError("Java heap space (a kubelet thread, thrown by the test)"));

        assertThat(anonymous("/livez").statusCode()).isEqualTo(500);
        assertThat(anonymous("/readyz").statusCode()).isEqualTo(500);
        assertThat(get("/livez/memory").body()).isEqualTo(
                "internal server error: java.lang.OutOfMemoryError: Java heap space (a kubelet thread, thrown by the test)\n");
    }

    @Test
    void aNodeNotReadyFailsReadinessOnly() throws Exception {
        server.setReady(false);

        HttpResponse<String> ready = anonymous("/readyz");
        assertThat(ready.statusCode()).isEqualTo(500);
        assertThat(ready.body()).isEqualTo(
                "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]memory ok\n[-]node-ready failed: reason withheld\nreadyz check failed\n");
        assertThat(anonymous("/livez").body()).isEqualTo("ok");
    }

    @Test
    void aHeapNearlyFullAfterACollectionIsAProblem() {
        long max = 1000;
        assertThat(Health.heapProblem(List.of(pool(MemoryType.HEAP, 400), pool(MemoryType.HEAP, 500)), max)).isEmpty();
        assertThat(Health.heapProblem(List.of(pool(MemoryType.HEAP, 400), pool(MemoryType.HEAP, 560)), max))
                .hasValue("heap after the last collection is 960 of 1000 bytes");
        assertThat(Health.heapProblem(List.of(pool(MemoryType.NON_HEAP, 990)), max)).isEmpty();
    }

    private static MemoryPoolMXBean pool(MemoryType type, long usedAfterCollection) {
        return (MemoryPoolMXBean) Proxy.newProxyInstance(HealthTest.class.getClassLoader(),
                new Class<?>[] {MemoryPoolMXBean.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getType" -> type;
                    case "isCollectionUsageThresholdSupported" -> true;
                    case "getCollectionUsage" -> new MemoryUsage(0, usedAfterCollection, usedAfterCollection, -1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
