package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.podvisor.api.resources.ResourceTypes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pods/{name}/portforward} with SPDY tunnelled in a WebSocket, driven as kubectl does: an
 * {@code error} and a {@code data} stream per connection, the client's side framed by Netty's SPDY
 * codec. The "pod" is a loopback listener ({@code status.podIP} 127.0.0.1).
 */
class PortForwardTest extends ServerTestBase {

    private ServerSocket pod;
    private WebSocketClient websockets;

    @BeforeEach
    void startClient() throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(trusting(dir.resolve("pki/ca.crt")));
        HttpClient jetty = new HttpClient();
        jetty.setSslContextFactory(tls);
        websockets = new WebSocketClient(jetty);
        websockets.start();
    }

    @AfterEach
    void closePod() throws Exception {
        websockets.stop();
        if (pod != null) {
            pod.close();
        }
    }

    /** What the client saw: a frame's kind, stream, data and FIN flag. */
    record Got(String kind, int stream, String data, boolean last) {}

    /** kubectl's side of the tunnel: SPDY frames in WebSocket binary messages (Jetty's client, which allows the subprotocol's '/'). */
    public static final class SpdyClient implements Session.Listener.AutoDemanding {
        final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, false));
        final BlockingQueue<Got> got = new LinkedBlockingQueue<>();
        Session ws;

        SpdyClient open(WebSocketClient websockets, URI uri, String token) throws Exception {
            ClientUpgradeRequest req = new ClientUpgradeRequest();
            req.setSubProtocols(PortForwardEndpoint.TUNNEL);
            req.setHeader("Authorization", "Bearer " + token);
            ws = websockets.connect(this, uri, req).get(10, TimeUnit.SECONDS);
            assertThat(ws.getUpgradeResponse().getAcceptedSubProtocol()).isEqualTo(PortForwardEndpoint.TUNNEL);
            return this;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer data, Callback callback) {
            synchronized (codec) {
                codec.writeInbound(Unpooled.copiedBuffer(data));
                for (Object f; (f = codec.readInbound()) != null; ) {
                    got.add(describe((SpdyFrame) f));
                    ReferenceCountUtil.release(f);
                }
            }
            callback.succeed();
        }

        private Got describe(SpdyFrame f) {
            return switch (f) {
                case SpdySynReplyFrame r -> new Got("reply", r.streamId(), r.headers().getAsString("streamtype"), r.isLast());
                case SpdyDataFrame d -> new Got("data", d.streamId(), d.content().toString(StandardCharsets.UTF_8),
                        d.isLast());
                case SpdyRstStreamFrame r -> new Got("rst", r.streamId(), r.status().toString(), true);
                case SpdyPingFrame p -> new Got("ping", p.id(), "", false);
                default -> new Got(f.getClass().getSimpleName(), 0, "", false);
            };
        }

        void send(SpdyFrame frame) throws Exception {
            ByteBuf all = Unpooled.buffer();
            synchronized (codec) {
                codec.writeOutbound(frame);
                for (Object b; (b = codec.readOutbound()) != null; ) {
                    all.writeBytes((ByteBuf) b);
                    ReferenceCountUtil.release(b);
                }
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            ws.sendBinary(ByteBuffer.wrap(ByteBufUtil.getBytes(all)),
                    Callback.from(() -> sent.complete(null), sent::completeExceptionally));
            sent.get(10, TimeUnit.SECONDS);
            all.release();
        }

        void openStream(int id, String type, int port, String requestId) throws Exception {
            DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
            syn.headers().set("streamtype", type).set("port", Integer.toString(port)).set("requestid", requestId);
            send(syn);
        }

        void data(int id, String text, boolean last) throws Exception {
            send(new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).setLast(last));
        }

        Got next() throws InterruptedException {
            Got g = got.poll(10, TimeUnit.SECONDS);
            assertThat(g).as("a frame from the server").isNotNull();
            return g;
        }

        /** Reads frames until {@code stream} ends (FIN), returning its data. */
        String readUntilFin(int stream) throws InterruptedException {
            StringBuilder sb = new StringBuilder();
            for (Got g = next(); ; g = next()) {
                if (g.stream() == stream && g.kind().equals("data")) {
                    sb.append(g.data());
                    if (g.last()) {
                        return sb.toString();
                    }
                }
            }
        }
    }

    private SpdyClient tunnel(String podName) throws Exception {
        return new SpdyClient().open(websockets,
                URI.create("wss://127.0.0.1:" + port + "/api/v1/namespaces/default/pods/" + podName + "/portforward"), token);
    }

    private Pod runningPod(String name) {
        Pod pod = addPod(name, Map.of(), "web");
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").build());
        return (Pod) registry.put(ResourceTypes.PODS, pod);
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A "pod" that answers each connection's first line with {@code hello <line>} and closes. */
    private int greeter() throws Exception {
        pod = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!pod.isClosed()) {
                try (Socket s = pod.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    OutputStream out = s.getOutputStream();
                    out.write(("hello " + line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    // the listener was closed
                }
            }
        });
        return pod.getLocalPort();
    }

    @Test
    void forwardsAConnectionOverTheErrorAndDataStreamPair() throws Exception {
        runningPod("web");
        int target = greeter();
        SpdyClient c = tunnel("web");
        c.openStream(1, "error", target, "0");
        assertThat(c.next()).as("a reply with a header block, as Go's framer needs")
                .isEqualTo(new Got("reply", 1, "error", false));
        c.data(1, "", true); // kubectl writes nothing on the error stream
        c.openStream(3, "data", target, "0");
        assertThat(c.next()).isEqualTo(new Got("reply", 3, "data", false));
        c.data(3, "world\n", false);
        assertThat(c.readUntilFin(3)).isEqualTo("hello world\n");
        assertThat(c.readUntilFin(1)).as("no error").isEmpty();

        // a second connection on the same tunnel
        c.openStream(5, "error", target, "1");
        c.openStream(7, "data", target, "1");
        c.data(7, "again\n", true);
        assertThat(c.readUntilFin(7)).isEqualTo("hello again\n");
        assertThat(c.readUntilFin(5)).isEmpty();
    }

    @Test
    void aPortNothingListensOnIsReportedOnTheErrorStreamInUpstreamsWords() throws Exception {
        runningPod("web");
        int closed = closedPort();
        SpdyClient c = tunnel("web");
        c.openStream(1, "error", closed, "0");
        c.openStream(3, "data", closed, "0");
        assertThat(c.readUntilFin(1)).isEqualTo("error forwarding port " + closed + " to pod uid-web, uid : dial tcp "
                + "127.0.0.1:" + closed + ": connect: connection refused");

        // the tunnel still serves: pings are answered and a bad stream is refused
        c.send(new DefaultSpdyPingFrame(1));
        Got g;
        do {
            g = c.next();
        } while (!g.kind().equals("ping"));
        assertThat(g.stream()).isEqualTo(1);
        DefaultSpdySynStreamFrame noPort = new DefaultSpdySynStreamFrame(9, 0, (byte) 0);
        noPort.headers().set("streamtype", "data");
        c.send(noPort);
        do {
            g = c.next();
        } while (!g.kind().equals("rst"));
        assertThat(g.stream()).isEqualTo(9);
    }

    @Test
    void checksBeforeTheUpgradeAsKubeApiserver() throws Exception {
        runningPod("web");
        HttpResponse<String> plain = get("/api/v1/namespaces/default/pods/web/portforward");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).path("message").asText()).isEqualTo("Upgrade request required");
        assertThat(get("/api/v1/namespaces/default/pods/nope/portforward").statusCode()).isEqualTo(404);

        Pod pending = addPod("pending", Map.of(), "app");
        pending.getSpec().setNodeName(null);
        registry.put(ResourceTypes.PODS, pending);
        assertThat(upgrade("pending", "", PortForwardEndpoint.TUNNEL)).startsWith("HTTP/1.1 400 ")
                .contains("\"message\":\"pod pending does not have a host assigned\"");
        assertThat(upgrade("web", "", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400 ")
                .contains("\"message\":\"query parameter \\\"port\\\" is required\"");
        assertThat(upgrade("web", "?ports=80,x", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400 ")
                .contains("\"message\":\"unable to parse \\\"80,x\\\" as a port: strconv.ParseUint: "
                        + "parsing \\\"x\\\": invalid syntax\"");
        assertThat(upgrade("web", "?ports=0", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400 ")
                .contains("\"message\":\"port \\\"0\\\" must be > 0\"");
    }

    /** A WebSocket upgrade of {@code pods/NAME/portforward} by hand; the whole answer. */
    private String upgrade(String podName, String query, String protocol) throws Exception {
        try (SSLSocket tls = (SSLSocket) http.sslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            tls.getOutputStream().write(("GET /api/v1/namespaces/default/pods/" + podName + "/portforward" + query
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: " + protocol + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The channel protocol's client: binary messages, channel byte first, until the server closes. */
    static final class Channels implements java.net.http.WebSocket.Listener {
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        @Override
        public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                messages.add(partial.toByteArray());
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        byte[] next() throws InterruptedException {
            byte[] m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message from the server").isNotNull();
            return m;
        }

        /** The text of channel {@code ch}'s messages not yet taken, once the server closed. */
        String rest(int ch) throws Exception {
            closed.get(10, TimeUnit.SECONDS);
            StringBuilder sb = new StringBuilder();
            for (byte[] m : messages) {
                if (m[0] == ch) {
                    sb.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
                }
            }
            return sb.toString();
        }
    }

    private java.net.http.WebSocket channels(String query, Channels listener) throws Exception {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .subprotocols("v4.channel.k8s.io").connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("wss://127.0.0.1:" + port + "/api/v1/namespaces/default/pods/web/portforward"
                        + query), listener)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void theChannelProtocolForwardsEachRequestedPort() throws Exception {
        runningPod("web");
        int target = greeter();
        Channels c = new Channels();
        java.net.http.WebSocket ws = channels("?ports=" + target, c);
        assertThat(ws.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        byte[] portBytes = {(byte) target, (byte) (target >>> 8)};
        assertThat(c.next()).as("the data channel opens with the port, little-endian")
                .containsExactly(0, portBytes[0], portBytes[1]);
        assertThat(c.next()).as("so does the error channel").containsExactly(1, portBytes[0], portBytes[1]);
        byte[] hello = "\0world\n".getBytes(StandardCharsets.UTF_8);
        ws.sendBinary(ByteBuffer.wrap(hello), true).get(10, TimeUnit.SECONDS);
        assertThat(c.rest(0)).isEqualTo("hello world\n");
        assertThat(c.rest(1)).isEmpty();
    }

    @Test
    void theChannelProtocolReportsAFailedDialOnTheErrorChannel() throws Exception {
        runningPod("web");
        int closed = closedPort();
        Channels c = new Channels();
        channels("?ports=" + closed, c);
        assertThat(c.next()[0]).isEqualTo((byte) 0);
        assertThat(c.next()[0]).isEqualTo((byte) 1);
        assertThat(c.rest(1)).isEqualTo("error forwarding port " + closed + " to pod uid-web, uid : dial tcp "
                + "127.0.0.1:" + closed + ": connect: connection refused");
    }
}
