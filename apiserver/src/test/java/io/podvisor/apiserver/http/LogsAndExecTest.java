package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LogsAndExecTest extends ServerTestBase {

    @Test
    void logsOfTheOnlyContainer() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web/log?tailLines=10&timestamps=true&sinceSeconds=60");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).isEqualTo("web line 1\nweb line 2\nweb line 3\n");
        assertThat(streams.lastContainer).isEqualTo("web");
        assertThat(streams.lastLogOptions.tailLines()).isEqualTo(10L);
        assertThat(streams.lastLogOptions.timestamps()).isTrue();
        assertThat(streams.lastLogOptions.sinceSeconds()).isEqualTo(60L);
        assertThat(streams.lastLogOptions.follow()).isFalse();
    }

    @Test
    void logContainerErrors() throws Exception {
        addPod("web", Map.of(), "a", "b");
        HttpResponse<String> none = get("/api/v1/namespaces/default/pods/web/log");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).path("message").asText())
                .isEqualTo("a container name must be specified for pod web, choose one of: [a b]");
        HttpResponse<String> bad = get("/api/v1/namespaces/default/pods/web/log?container=x");
        assertThat(json(bad).path("message").asText()).isEqualTo("container x is not valid for pod web");
        HttpResponse<String> previous = get("/api/v1/namespaces/default/pods/web/log?container=b&previous=true");
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(json(previous).path("message").asText())
                .isEqualTo("previous terminated container \"b\" in pod \"web\" not found");
        assertThat(get("/api/v1/namespaces/default/pods/nope/log").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/namespaces/default/pods/web/log?container=a&tailLines=x").statusCode()).isEqualTo(400);
    }

    @Test
    void followStreamsLinesAsTheyCome() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<Stream<String>> r = http.send(request("/api/v1/namespaces/default/pods/web/log?follow=true").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = r.body().iterator();
        assertThat(lines.next()).isEqualTo("web line 1");
        assertThat(lines.next()).isEqualTo("web line 2");
        assertThat(lines.next()).isEqualTo("web line 3");
        streams.followLines.add("later");
        assertThat(lines.next()).isEqualTo("later");
        streams.followLines.add(FakeContainerStreams.END);
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void aQuietFollowWhoseClientWentAwayIsReleased() throws Exception {
        addPod("web", Map.of(), "web");
        for (int i = 0; i < 3; i++) {
            try (SSLSocket tls = (SSLSocket) http.sslContext().getSocketFactory()
                    .createSocket("127.0.0.1", port)) {
                tls.getOutputStream().write(("GET /api/v1/namespaces/default/pods/web/log?follow=true HTTP/1.1\r\n"
                        + "Host: x\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.contains("web line 3"));
                assertThat(line).contains("web line 3");
            }
        }
        // no line is ever written again: only noticing the closed connections releases them
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(streams.following.get()).isZero());
        assertThat(get("/version").statusCode()).isEqualTo(200);
    }

    /** Collects binary messages (channel byte + payload) and text messages until the server closes. */
    static final class Frames implements WebSocket.Listener {
        final List<byte[]> messages = new ArrayList<>();
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final StringBuilder partialText = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partialText.append(data);
            if (last) {
                texts.add(partialText.toString());
                partialText.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                synchronized (messages) {
                    messages.add(partial.toByteArray());
                }
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String channel(int ch) {
            StringBuilder sb = new StringBuilder();
            synchronized (messages) {
                for (byte[] m : messages) {
                    if (m.length > 0 && (m[0] & 0xff) == ch) {
                        sb.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
                    }
                }
            }
            return sb.toString();
        }
    }

    private WebSocket connect(String query, Frames frames) throws Exception {
        return connect("exec", query, frames);
    }

    private WebSocket connect(String subresource, String query, Frames frames) throws Exception {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .subprotocols("v5.channel.k8s.io").connectTimeout(Duration.ofSeconds(5))
                .buildAsync(java.net.URI.create("wss://127.0.0.1:" + port + "/api/v1/namespaces/default/pods/web/"
                        + subresource + "?" + query), frames)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void attachTakesTheTerminalSizeAndStdinAndEndsWithSuccess() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        WebSocket ws = connect("attach", "stdin=true&stdout=true&tty=true", frames);
        ws.sendBinary(ByteBuffer.wrap("\u0004{\"Width\":101,\"Height\":33}".getBytes(StandardCharsets.UTF_8)), true)
                .get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 'h', 'i', '\n'}), true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}), true).get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).isEqualTo("attached 101x33\nhi\n");
        assertThat(JSON.readTree(frames.channel(3)).path("status").asText()).isEqualTo("Success");

        HttpResponse<String> plain = get("/api/v1/namespaces/default/pods/web/attach?stdout=true");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).path("message").asText()).isEqualTo("Upgrade request required");
    }

    @Test
    void execWithATerminalGetsTheClientsSize() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        WebSocket ws = connect("command=size&stdout=true&tty=true", frames);
        ws.sendBinary(ByteBuffer.wrap("\u0004{\"Width\":80,\"Height\":24}".getBytes(StandardCharsets.UTF_8)), true)
                .get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).isEqualTo("80x24 tty\n");
    }

    @Test
    void execStreamsStdoutAndSuccessStatus() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        WebSocket ws = connect("command=echo&command=hello&command=world&stdout=true&stderr=true", frames);
        assertThat(ws.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).isEqualTo("hello world\n");
        JsonNode status = JSON.readTree(frames.channel(3));
        assertThat(status.path("status").asText()).isEqualTo("Success");
        assertThat(streams.lastStdinPresent).isFalse();
    }

    @Test
    void execReportsStderrAndTheExitCode() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        connect("command=fail&command=3&stdout=true&stderr=true", frames);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(2)).isEqualTo("oops\n");
        JsonNode status = JSON.readTree(frames.channel(3));
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(status.path("details").path("causes").get(0).path("reason").asText()).isEqualTo("ExitCode");
        assertThat(status.path("details").path("causes").get(0).path("message").asText()).isEqualTo("3");
    }

    @Test
    void execForwardsStdinUntilTheCloseChannelFrame() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        WebSocket ws = connect("command=cat&stdin=true&stdout=true", frames);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {4, '{', '}'}), true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 'h', 'i', '\n'}), true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}), true).get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).isEqualTo("hi\n");
        assertThat(JSON.readTree(frames.channel(3)).path("status").asText()).isEqualTo("Success");
        assertThat(streams.lastStdinPresent).isTrue();
    }

    @Test
    void execReadsStdinFromTextFramesToo() throws Exception {
        addPod("web", Map.of(), "web");
        Frames frames = new Frames();
        WebSocket ws = connect("command=cat&stdin=true&stdout=true", frames);
        ws.sendText("\u0000hé\n", true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 'b', 'y', 'e', '\n'}), true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}), true).get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).isEqualTo("hé\nbye\n");
        assertThat(JSON.readTree(frames.channel(3)).path("status").asText()).isEqualTo("Success");
    }

    @Test
    void execWithoutUpgradeOrWithABadContainerIs400() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<String> plain = get("/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).path("message").asText()).isEqualTo("Upgrade request required");
        Frames frames = new Frames();
        CompletableFuture<WebSocket> bad = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .subprotocols("v5.channel.k8s.io")
                .buildAsync(java.net.URI.create("wss://127.0.0.1:" + port
                        + "/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true&container=x"), frames);
        assertThat(bad).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aPodNotYetBoundHasNoLogsAndRefusesExecBeforeTheUpgrade() throws Exception {
        Pod pending = addPod("pending", Map.of(), "app");
        pending.getSpec().setNodeName(null);
        registry.put(io.podvisor.api.resources.ResourceTypes.PODS, pending);
        HttpResponse<String> logs = get("/api/v1/namespaces/default/pods/pending/log");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).isEmpty();
        assertThat(streams.lastContainer).as("the node was not asked").isNull();
        try (SSLSocket tls = (SSLSocket) http.sslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            tls.getOutputStream().write(("GET /api/v1/namespaces/default/pods/pending/exec?command=ls&stdout=true HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer " + token + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer).contains("\"message\":\"pod pending does not have a host assigned\"");
        }
    }
}
