package io.podvisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.podvisor.runtime.PodNetwork.HttpResult;
import io.podvisor.runtime.PodNetwork.NetResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes against servers on loopback. */
class HostPodNetworkTest {

    /** A time-out for exchanges that should answer: generous, so a cold JVM on a busy machine (first TLS handshake) does not fail them. */
    private static final Duration T = Duration.ofSeconds(30);
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    private final HostPodNetwork net = new HostPodNetwork();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private HttpServer server;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LO, 0), 0);
        route(server);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        for (AutoCloseable c : closers) {
            c.close();
        }
    }

    private void route(HttpServer s) {
        s.createContext("/healthz", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
            reply(ex, 200, "ok");
        });
        s.createContext("/fail", ex -> reply(ex, 500, "broken"));
        s.createContext("/big", ex -> reply(ex, 200, "x".repeat(50_000)));
        s.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (var out = ex.getResponseBody()) {
                out.write("part one, ".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("part two".getBytes(StandardCharsets.UTF_8));
            }
        });
        s.createContext("/same", ex -> redirect(ex, "/healthz"));
        s.createContext("/other", ex -> redirect(ex, "http://localhost:" + port + "/healthz"));
        s.createContext("/loop", ex -> redirect(ex, "/loop"));
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        reply(ex, 302, "");
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private HttpResult get(String path, Map<String, String> headers, Duration timeout) throws Exception {
        return net.httpGet("HTTP", "127.0.0.1", port, path, headers, timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private NetResult tcp(int p, Duration timeout) throws Exception {
        return net.tcpConnect("127.0.0.1", p, timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void answersWithStatusAndBodyAndSendsTheHeadersAsGiven() throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("User-Agent", "kube-probe/1.34");
        h.put("Accept", "*/*");
        h.put("X-Custom", "yes");
        h.put("Host", "example.test");
        assertThat(get("/healthz", h, T)).isEqualTo(new HttpResult(200, "ok", null));
        assertThat(seen).containsEntry("x-custom", "yes").containsEntry("host", "example.test")
                .containsEntry("user-agent", "kube-probe/1.34").containsEntry("accept", "*/*");

        seen.clear();
        get("/healthz", Map.of(), T);
        assertThat(seen).containsEntry("host", "127.0.0.1:" + port).doesNotContainKey("x-custom");
    }

    @Test
    void errorStatusesAndBodiesComeBackAsTheyAre() throws Exception {
        assertThat(get("/fail", Map.of(), T)).isEqualTo(new HttpResult(500, "broken", null));
        assertThat(get("/big", Map.of(), T).body()).hasSize(ProbeHttp.MAX_BODY);
        assertThat(get("/chunked", Map.of(), T).body()).isEqualTo("part one, part two");
        assertThat(get("/nothing-here", Map.of(), T).status()).isEqualTo(404);
    }

    @Test
    void followsRedirectsOnlyToTheSameHost() throws Exception {
        assertThat(get("/same", Map.of(), T)).isEqualTo(new HttpResult(200, "ok", null));
        assertThat(get("/other", Map.of(), T).status()).isEqualTo(302);
        // Go's client names the refused redirect by its Location header, as sent
        assertThat(get("/loop", Map.of(), T)).isEqualTo(new HttpResult(0, "", "Get \"/loop\": stopped after 10 redirects"));
    }

    @Test
    void connectionRefusedReadsAsGoSaysIt() throws Exception {
        int closed = closedPort();
        HttpResult r = net.httpGet("HTTP", "127.0.0.1", closed, "/healthz", Map.of(), T).toCompletableFuture().get();
        assertThat(r).isEqualTo(new HttpResult(0, "", "Get \"http://127.0.0.1:" + closed
                + "/healthz\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        assertThat(tcp(closed, T)).isEqualTo(NetResult.failed("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, LO); // the kernel accepts; nobody reads or writes
        closers.add(silent);
        int p = silent.getLocalPort();
        HttpResult r = net.httpGet("HTTP", "127.0.0.1", p, "/", Map.of(), Duration.ofMillis(300))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(new HttpResult(0, "", "Get \"http://127.0.0.1:" + p
                + "/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void tcpConnectSucceedsOnAListenerAndTimesOutWhenSynsAreDropped() throws Exception {
        assertThat(tcp(port, T)).isEqualTo(NetResult.OK);

        ServerSocket full = new ServerSocket(0, 1, LO); // never accepts: once its queue is full, SYNs are dropped
        closers.add(full);
        int p = full.getLocalPort();
        NetResult r = NetResult.OK;
        for (int i = 0; i < 8 && r.ok(); i++) {
            r = tcp(p, Duration.ofMillis(300));
            if (r.ok()) {
                Socket keep = new Socket(LO, p);
                closers.add(keep);
            }
        }
        assertThat(r).isEqualTo(NetResult.failed("dial tcp 127.0.0.1:" + p + ": i/o timeout"));
    }

    @Test
    void httpsIsProbedWithoutCheckingTheCertificate(@TempDir Path dir) throws Exception {
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(LO, 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(selfSigned(dir)));
        route(tls);
        tls.start();
        closers.add(() -> tls.stop(0));
        int p = tls.getAddress().getPort();
        HttpResult r = net.httpGet("HTTPS", "127.0.0.1", p, "/healthz", Map.of(), T).toCompletableFuture().get();
        assertThat(r).isEqualTo(new HttpResult(200, "ok", null));

        // a plain HTTP server that waits for a request line never finishes the handshake
        HttpResult plain = net.httpGet("HTTPS", "127.0.0.1", port, "/healthz", Map.of(), Duration.ofMillis(500))
                .toCompletableFuture().get();
        assertThat(plain).isEqualTo(new HttpResult(0, "", "Get \"https://127.0.0.1:" + port
                + "/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void grpcWithoutAServerFails() throws Exception {
        NetResult r = net.grpcHealth("127.0.0.1", closedPort(), "", Duration.ofSeconds(1)).toCompletableFuture().get();
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isNotBlank();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LO)) {
            return s.getLocalPort();
        }
    }

    /** A key pair and self-signed certificate made by the JDK's keytool. */
    private static SSLContext selfSigned(Path dir) throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", ks.toString(), "-storepass", "secret", "-storetype", "PKCS12",
                "-alias", "probe", "-keyalg", "EC", "-dname", "CN=pod", "-validity", "2")
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
            store.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "secret".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
