package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.podvisor.api.resources.ResourceTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Over real TLS, read byte by byte as a raw socket sees them: each chunk of a watch or a followed
 * log arrives whole, its closing CRLF with it, without waiting for the next chunk (urllib3 reads
 * that CRLF before it hands the chunk on, so the Python client would otherwise run one event
 * behind).
 */
class ChunkFramingTest extends ServerTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void aWatchEventArrivesWithItsChunksClosingCrlf() throws Exception {
        try (SSLSocket socket = rawGet(new Socket(), "/api/v1/namespaces/default/pods?watch=1&resourceVersion=100")) {
            Received got = Received.from(socket);
            await().atMost(DEADLINE).until(() -> got.text().contains("\r\n\r\n"));
            assertThat(got.text()).startsWith("HTTP/1.1 200 OK").contains("Transfer-Encoding: chunked");

            addPod("first", Map.of());

            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).contains("\"name\":\"first\""));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text())
                    .as("the event's chunk ends with its CRLF before any other event").endsWith("}\n\r\n"));
            assertThat(body(got.text())).matches("(?s)[0-9a-f]+\r\n\\{\"type\":\"ADDED\".*\\}\n\r\n");

            addPod("second", Map.of());

            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text())
                    .contains("\"name\":\"second\"").endsWith("}\n\r\n"));
            assertThat(body(got.text())).matches(
                    "(?s)[0-9a-f]+\r\n\\{\"type\":\"ADDED\".*\"first\".*\\}\n\r\n[0-9a-f]+\r\n\\{\"type\":\"ADDED\".*\"second\".*\\}\n\r\n");
            assertThat(registry.watcherCount()).isEqualTo(1);
            registry.emit(ResourceTypes.PODS, new io.podvisor.apiserver.registry.Registry.WatchEvent("ERROR",
                    new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(410).build()));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).endsWith("}\n\r\n0\r\n\r\n"));
            await().atMost(DEADLINE).until(got::ended);
        }
    }

    @Test
    void aFollowedLogLineArrivesWithItsChunksClosingCrlf() throws Exception {
        addPod("web", Map.of(), "web");
        try (SSLSocket socket = rawGet(new Socket(), "/api/v1/namespaces/default/pods/web/log?follow=true")) {
            Received got = Received.from(socket);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).contains("web line 3"));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).endsWith("web line 3\n\r\n"));

            streams.followLines.add("later");

            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).endsWith("later\n\r\n"));
            streams.followLines.add(FakeContainerStreams.END);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(got.text()).endsWith("later\n\r\n0\r\n\r\n"));
            await().atMost(DEADLINE).until(got::ended);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** Everything read from a socket so far, read by a thread of its own. */
    private static final class Received {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean ended;

        static Received from(SSLSocket socket) {
            Received r = new Received();
            Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[8192];
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (r) {
                            r.bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // closed by the server or by the test: what came before still counts
                }
                r.ended = true;
            });
            return r;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        boolean ended() {
            return ended;
        }
    }
}
