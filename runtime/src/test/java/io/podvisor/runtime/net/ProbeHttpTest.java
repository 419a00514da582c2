package io.podvisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.PodNetwork.HttpResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP probe against hand-made answers from a raw socket on loopback: what goes out, what each answer reads as. */
class ProbeHttpTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final ProbeHttp http = new ProbeHttp();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    private ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closers.add(server);
        return server;
    }

    private int serve(String... answers) throws IOException {
        ServerSocket server = listen();
        serve(server, answers);
        return server.getLocalPort();
    }

    /**
     * Reads each request's head, records it and writes the next of {@code answers} (the last one
     * again once they run out), then closes the connection; an answer ending in NUL is left open.
     */
    private void serve(ServerSocket server, String... answers) {
        Thread.ofVirtual().start(() -> {
            for (int i = 0; !server.isClosed(); i++) {
                String answer = answers[Math.min(i, answers.length - 1)];
                try {
                    Socket s = server.accept();
                    closers.add(s);
                    requests.add(readHead(s.getInputStream()));
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    if (!answer.endsWith("\u0000")) {
                        s.close();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.write(c);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private HttpResult get(int port, String path, Map<String, String> headers, Duration timeout) {
        return http.get("http", "127.0.0.1", port, path, headers, timeout);
    }

    @Test
    void sendsOnlyTheGivenHeadersWithHostAndConnectionClose() throws Exception {
        int port = serve("HTTP/1.1 204 No Content\r\n\r\n");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("User-Agent", "kube-probe/1.34");
        h.put("X-Empty", "");
        assertThat(get(port, "/healthz?full=1", h, T)).isEqualTo(new HttpResult(204, "", null));
        String head = requests.getFirst();
        assertThat(head).startsWith("GET /healthz?full=1 HTTP/1.1\r\n");
        List<String> names = head.lines().skip(1).filter(l -> !l.isEmpty()).map(l -> l.substring(0, l.indexOf(':')).toLowerCase())
                .sorted().toList();
        assertThat(names).containsExactly("connection", "host", "user-agent", "x-empty");
        assertThat(head).contains("Host: 127.0.0.1:" + port + "\r\n").contains("Connection: close\r\n");
    }

    @Test
    void aPathIsSentAsItIsOrEscapedWhereAUriMustEscapeIt() throws Exception {
        int port = serve("HTTP/1.1 204 No Content\r\n\r\n");
        get(port, "/health/z?x=1&y=%41", Map.of(), T);
        get(port, "/a b/ü", Map.of(), T);
        assertThat(requests).extracting(r -> r.lines().findFirst().orElseThrow())
                .containsExactly("GET /health/z?x=1&y=%41 HTTP/1.1", "GET /a%20b/%C3%BC HTTP/1.1");
    }

    @Test
    void theConnectionIsClosedOnceTheAnswerIsRead() throws Exception {
        ServerSocket server = listen();
        CompletableFuture<Integer> afterAnswer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                s.setSoTimeout(10_000);
                afterAnswer.complete(s.getInputStream().read()); // -1 once the probe closed its side
            } catch (IOException e) {
                afterAnswer.completeExceptionally(e);
            }
        });
        assertThat(get(server.getLocalPort(), "/", Map.of(), T)).isEqualTo(new HttpResult(200, "ok", null));
        assertThat(afterAnswer.get(15, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void headersThatCannotBeSentFailAsGoSaysIt() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(get(port, "/", Map.of("X-Bad", "a\r\nInjected: yes"), T)).isEqualTo(new HttpResult(0, "",
                "Get \"http://127.0.0.1:" + port + "/\": net/http: invalid header field value for \"X-Bad\""));
        assertThat(get(port, "/", Map.of("Bad Name", "x"), T).error()).endsWith("net/http: invalid header field name \"Bad Name\"");
        assertThat(requests).isEmpty();
    }

    @Test
    void aGivenHostIsKeptThroughRelativeRedirectsOnly() throws Exception {
        ServerSocket server = listen();
        int port = server.getLocalPort();
        serve(server, "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 308 Permanent Redirect\r\nLocation: http://127.0.0.1:" + port + "/last\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 303 See Other\r\nLocation: /end\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(get(port, "/", Map.of("Host", "example.test"), T)).isEqualTo(new HttpResult(200, "ok", null));
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0)).startsWith("GET / ").contains("Host: example.test\r\n");
        assertThat(requests.get(1)).startsWith("GET /next ").contains("Host: example.test\r\n");
        assertThat(requests.get(2)).startsWith("GET /last ").contains("Host: 127.0.0.1:" + port + "\r\n");
        assertThat(requests.get(3)).startsWith("GET /end ").contains("Host: example.test\r\n");
    }

    @Test
    void aRedirectWithoutLocationOrWithAnotherStatusIsTheAnswer() throws Exception {
        int port = serve("HTTP/1.1 302 Found\r\nContent-Length: 5\r\n\r\nmoved");
        assertThat(get(port, "/", Map.of(), T)).isEqualTo(new HttpResult(302, "moved", null));
        int multiple = serve("HTTP/1.1 300 Multiple Choices\r\nLocation: /a\r\nContent-Length: 0\r\n\r\n");
        assertThat(get(multiple, "/", Map.of(), T)).isEqualTo(new HttpResult(300, "", null));
    }

    @Test
    void interimAnswersAreSkippedAndABodyWithoutLengthRunsToTheClose() throws Exception {
        int port = serve("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n" + "y".repeat(20_000));
        assertThat(get(port, "/", Map.of(), T)).isEqualTo(new HttpResult(200, "y".repeat(ProbeHttp.MAX_BODY), null));
    }

    @Test
    void brokenAnswersReadAsGoSaysThem() throws Exception {
        int closes = serve("");
        assertThat(get(closes, "/", Map.of(), T).error()).isEqualTo("Get \"http://127.0.0.1:" + closes + "/\": EOF");

        int garbage = serve("SSH-2.0-OpenSSH_9.6\r\n\r\n");
        assertThat(get(garbage, "/", Map.of(), T).error()).isEqualTo("Get \"http://127.0.0.1:" + garbage
                + "/\": net/http: HTTP/1.x transport connection broken: malformed HTTP response");

        int shortBody = serve("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        assertThat(get(shortBody, "/", Map.of(), T)).isEqualTo(new HttpResult(0, "", "unexpected EOF"));
    }

    @Test
    void aBodyThatStallsTimesOutWhileReadingIt() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome\u0000"); // ends with NUL: stays open
        assertThat(get(port, "/", Map.of(), Duration.ofMillis(400)))
                .isEqualTo(new HttpResult(0, "", "context deadline exceeded (Client.Timeout or context cancellation while reading body)"));
    }

    @Test
    void aConnectThatHangsTimesOutAsADial() throws Exception {
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // never accepts
        closers.add(full);
        int port = full.getLocalPort();
        boolean dropping = false;
        for (int i = 0; i < 8 && !dropping; i++) { // once its queue is full, SYNs are dropped
            Socket s = new Socket();
            closers.add(s);
            try {
                s.connect(full.getLocalSocketAddress(), 300);
            } catch (java.net.SocketTimeoutException e) {
                dropping = true;
            }
        }
        assertThat(dropping).isTrue();
        assertThat(get(port, "/", Map.of(), Duration.ofMillis(300))).isEqualTo(new HttpResult(0, "", "Get \"http://127.0.0.1:"
                + port + "/\": dial tcp 127.0.0.1:" + port + ": i/o timeout (Client.Timeout exceeded while awaiting headers)"));
    }
}
