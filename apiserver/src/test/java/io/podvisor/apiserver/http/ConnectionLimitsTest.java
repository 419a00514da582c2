package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * What the port does before the API's handler runs: plain HTTP answered as Go answers it, Jetty's
 * own refusals as Status objects, and connections that bring no request closed within the header
 * bound while long requests outlive it.
 */
class ConnectionLimitsTest extends ServerTestBase {

    /** Reads until the server closes the connection; fails if it does not within {@code patience}. */
    private static byte[] readToEnd(Socket socket, Duration patience) throws Exception {
        socket.setSoTimeout((int) patience.toMillis());
        return socket.getInputStream().readAllBytes();
    }

    /** The server closes the connection without answering (TLS may report the bare close as an error). */
    private static void assertClosedBy(Socket socket, Duration patience) throws Exception {
        try {
            assertThat(readToEnd(socket, patience)).isEmpty();
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection was still open after " + patience, stillOpen);
        } catch (IOException closed) {
            // closed under a TLS session without close_notify
        }
    }

    /** Reads one answer with a Content-Length body, leaving the connection open. */
    private static void readOneAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("answer head").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200 ");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertThat(m.find()).isTrue();
        assertThat(in.readNBytes(Integer.parseInt(m.group(1)))).hasSize(Integer.parseInt(m.group(1)));
    }

    @Test
    void plainHttpOnTheTlsPortGetsGoAnswer() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readToEnd(s, Duration.ofSeconds(20)), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write("hello there\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s, Duration.ofSeconds(20))).isEmpty();
        }
        assertThat(get("/version").statusCode()).isEqualTo(200);
    }

    @Test
    void jettysOwnRefusalsAreStatusObjects() throws Exception {
        HttpResponse<String> longUri = get("/api/v1/namespaces/default/pods?labelSelector=" + "a".repeat(20_000));
        assertThat(longUri.statusCode()).isEqualTo(414);
        assertThat(longUri.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode s = json(longUri);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(414);
        assertThat(s.path("message").asText()).isNotEmpty();

        HttpResponse<String> bigHeader = http.send(request("/version", "X-Filler", "b".repeat(20_000)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bigHeader.statusCode()).isEqualTo(431);
        assertThat(json(bigHeader).path("kind").asText()).isEqualTo("Status");
        assertThat(json(bigHeader).path("code").asInt()).isEqualTo(431);

        try (SSLSocket tls = tlsSocket()) {
            tls.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readToEnd(tls, Duration.ofSeconds(20)), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer).contains("Content-Type: application/json");
            JsonNode status = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(status.path("kind").asText()).isEqualTo("Status");
            assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
            assertThat(status.path("code").asInt()).isEqualTo(400);
        }
    }

    private SSLSocket tlsSocket() throws Exception {
        javax.net.ssl.SSLContext ctx = http.sslContext();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        tls.startHandshake();
        return tls;
    }

    @Test
    void connectionsWithoutARequestAreClosedWithinTheBoundWhileLongRequestsLive() throws Exception {
        server.stop();
        server = new ApiServer(new ApiServer.Config(dir, 0, "127.0.0.1", "node-1"), registry, streams, clock);
        server.setHeaderTimeout(Duration.ofSeconds(1));
        server.setKeepAliveTimeout(Duration.ofSeconds(1));
        port = server.start();
        addPod("web", Map.of(), "c");
        HttpResponse<Stream<String>> watch = http.send(
                request("/api/v1/namespaces/default/pods?watch=1&resourceVersion=0").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(watch.statusCode()).isEqualTo(200);
        Iterator<String> events = watch.body().iterator();
        assertThat(events.next()).contains("\"ADDED\"");

        LogsAndExecTest.Frames frames = new LogsAndExecTest.Frames();
        WebSocket exec = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .subprotocols("v5.channel.k8s.io").connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("wss://127.0.0.1:" + port + "/api/v1/namespaces/default/pods/web/exec?"
                        + "command=cat&stdin=true&stdout=true"), frames)
                .get(10, TimeUnit.SECONDS);

        // well inside the 2-minute idle timeout, so only the header bound can close them
        Duration patience = Duration.ofSeconds(30);
        try (Socket silent = new Socket(); SSLSocket handshakeOnly = tlsSocket(); SSLSocket partial = tlsSocket();
                SSLSocket partialSecond = tlsSocket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", port));
            partial.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            partialSecond.getOutputStream().write(("GET /version HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            readOneAnswer(partialSecond);
            partialSecond.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosedBy(silent, patience);
            assertClosedBy(handshakeOnly, patience);
            assertClosedBy(partial, patience);
            assertClosedBy(partialSecond, patience);
        }
        assertThat(server.connectionsAwaitingRequest()).isZero();

        exec.sendBinary(ByteBuffer.wrap(new byte[] {0, 'h', 'i', '\n'}), true).get(5, TimeUnit.SECONDS);
        exec.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}), true).get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertThat(frames.channel(1)).as("the exec session outlived the bounds").isEqualTo("hi\n");

        addPod("late", Map.of(), "c");
        assertThat(events.next()).contains("\"ADDED\"").contains("\"late\"");
        assertThat(get("/version").statusCode()).isEqualTo(200);
    }
}
