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
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
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
        try (SSLSocket tls = (SSLSocket) http.sslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            tls.getOutputStream().write(("GET /api/v1/namespaces/default/pods/pending/portforward HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer " + token + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: " + PortForwardEndpoint.TUNNEL + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer).contains("\"message\":\"pod pending does not have a host assigned\"");
        }
    }
}
