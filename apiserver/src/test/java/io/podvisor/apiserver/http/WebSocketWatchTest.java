package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A watch asked for with a WebSocket upgrade (as fabric8's client asks): each event is one text
 * frame holding the watch event's JSON, and the WebSocket closes when the watch ends.
 */
class WebSocketWatchTest extends ServerTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void eachEventIsOneTextFrameAndTheSocketClosesWithTheWatch() throws Exception {
        LogsAndExecTest.Frames texts = new LogsAndExecTest.Frames();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("wss://127.0.0.1:" + port
                        + "/api/v1/namespaces/default/pods?watch=true&resourceVersion=100&timeoutSeconds=5"), texts)
                .get(10, TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 1);

        addPod("first", Map.of());
        addPod("first", Map.of("changed", "yes"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(texts.texts).hasSize(2));
        JsonNode added = JSON.readTree(texts.texts.get(0));
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("first");
        assertThat(JSON.readTree(texts.texts.get(1)).path("type").asText()).isEqualTo("MODIFIED");
        assertThat(texts.texts.get(0)).endsWith("}\n");

        clock.advance(Duration.ofSeconds(5)); // the watch's timeout
        assertThat(texts.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 0);
        ws.abort();
    }

    @Test
    void aClientThatClosesItsWebSocketReleasesTheWatch() throws Exception {
        LogsAndExecTest.Frames texts = new LogsAndExecTest.Frames();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("wss://127.0.0.1:" + port + "/api/v1/pods?watch=1&resourceVersion=100"), texts)
                .get(10, TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 1);

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 0);
    }
}
