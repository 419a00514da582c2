package io.podvisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.PodNetwork.NetResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC health checks against an HTTP/2 cleartext server on loopback that answers as grpc-go's
 * health service does: {@code ""} serving, {@code db} not serving, {@code slow} never answering,
 * other names {@code NotFound}, and {@code Unimplemented} on any other method.
 */
class GrpcHealthProbeTest {

    private final HostPodNetwork net = new HostPodNetwork();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector h2c = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        h2c.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.addConnector(h2c);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                paths.add(request.getHttpURI().getPath());
                contentTypes.add(request.getHeaders().get("content-type"));
                ByteBuffer in = Content.Source.asByteBuffer(request);
                byte[] msg = Arrays.copyOfRange(in.array(), in.arrayOffset() + in.position() + 5,
                        in.arrayOffset() + in.limit());
                String service = msg.length == 0 ? "" : new String(msg, 2, msg.length - 2, StandardCharsets.UTF_8);
                answer(request.getHttpURI().getPath(), service, response, callback);
                return true;
            }
        });
        server.start();
        port = h2c.getLocalPort();
    }

    private static void answer(String path, String service, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put("content-type", "application/grpc");
        if (service.equals("slow")) {
            return; // never completes
        }
        int code = !path.equals("/grpc.health.v1.Health/Check") ? 12 : switch (service) {
            case "", "db" -> 0;
            default -> 5;
        };
        String message = code == 12 ? "unknown service grpc.health.v1.Health" : "unknown service";
        response.setTrailersSupplier(() -> code == 0 ? HttpFields.build().put("grpc-status", "0")
                : HttpFields.build().put("grpc-status", Integer.toString(code)).put("grpc-message", message));
        byte[] body = code != 0 ? new byte[0]
                : GrpcHealthProbe.frame(new byte[] {0x08, (byte) (service.isEmpty() ? 1 : 2)});
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private NetResult check(int p, String service, Duration timeout) throws Exception {
        return net.grpcHealth("127.0.0.1", p, service, timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void servingIsSuccessAndOtherStatusesAreNamed() throws Exception {
        assertThat(check(port, "", Duration.ofSeconds(5))).isEqualTo(NetResult.OK);
        assertThat(paths).containsExactly("/grpc.health.v1.Health/Check");
        assertThat(contentTypes).containsExactly("application/grpc");
        assertThat(check(port, "db", Duration.ofSeconds(5)))
                .isEqualTo(NetResult.failed("service unhealthy (responded with \"NOT_SERVING\")"));
    }

    @Test
    void rpcErrorsReadAsTheKubeletShowsThem() throws Exception {
        assertThat(check(port, "nope", Duration.ofSeconds(5))).isEqualTo(NetResult.failed(
                "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"));
        assertThat(check(port, "slow", Duration.ofMillis(300)))
                .isEqualTo(NetResult.failed("timeout: health rpc did not complete within 300ms"));
    }

    @Test
    void noServerIsAConnectTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(check(closed, "", Duration.ofSeconds(1))).isEqualTo(NetResult.failed(
                "timeout: failed to connect service \"127.0.0.1:" + closed + "\" within 1s: context deadline exceeded"));
    }

    @Test
    void encodesTheRequestAndDecodesTheStatus() {
        assertThat(GrpcHealthProbe.request("")).isEmpty();
        assertThat(GrpcHealthProbe.request("db")).containsExactly(0x0A, 2, 'd', 'b');
        assertThat(GrpcHealthProbe.request("x".repeat(200))).startsWith(0x0A, 0xC8 - 256, 1);
        assertThat(GrpcAnswer.servingStatus(GrpcHealthProbe.frame(new byte[] {0x08, 3})))
                .isEqualTo(3);
        assertThat(GrpcAnswer.servingStatus(GrpcHealthProbe.frame(new byte[0]))).isZero();
        assertThat(GrpcHealthProbe.statusName(3)).isEqualTo("SERVICE_UNKNOWN");
    }
}
