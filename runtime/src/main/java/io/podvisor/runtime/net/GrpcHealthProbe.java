package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.NetResult;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The gRPC probe: one {@code grpc.health.v1.Health/Check} call over HTTP/2 without TLS (prior
 * knowledge, as gRPC servers expect), with the request and answer encoded by hand (one string
 * field, one enum field). Failure texts are the kubelet's. One HTTP/2 client, started on first
 * use on daemon threads, serves every check; each check has its own connection.
 */
final class GrpcHealthProbe {

    private static final String PATH = "/grpc.health.v1.Health/Check";
    private static final List<String> SERVING_STATUS = List.of("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN");

    private HTTP2Client client;

    NetResult check(String host, int port, String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String target = DialErrors.hostPort(host, port);
        Session session;
        try {
            session = client().connect(new InetSocketAddress(host, port), new Session.Listener() {})
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NetResult.failed("error: failed to connect service at \"" + target + "\": interrupted");
        } catch (Exception e) {
            return NetResult.failed("timeout: failed to connect service \"" + target + "\" within " + goDuration(timeout)
                    + ": context deadline exceeded");
        }
        try {
            GrpcCall call = new GrpcCall(goDuration(timeout));
            HttpFields fields = HttpFields.build().put("content-type", "application/grpc").put("te", "trailers")
                    .put("grpc-timeout", Math.max(1, timeout.toMillis()) + "m");
            MetaData.Request req = new MetaData.Request("POST", HttpURI.build("http://" + target + PATH),
                    HttpVersion.HTTP_2, fields);
            Stream stream = session.newStream(new HeadersFrame(req, null, false), call)
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            stream.data(new DataFrame(stream.getId(), java.nio.ByteBuffer.wrap(frame(request(service))), true),
                    Callback.NOOP);
            return call.result.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return NetResult.failed("timeout: health rpc did not complete within " + goDuration(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NetResult.failed("error: health rpc probe failed: interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return NetResult.failed("error: health rpc probe failed: rpc error: code = Unavailable desc = " + c.getMessage());
        } finally {
            session.close(ErrorCode.NO_ERROR.code, null, Callback.NOOP);
        }
    }

    private static long remaining(long deadline) throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        return left;
    }

    private synchronized HTTP2Client client() throws Exception {
        if (client == null) {
            QueuedThreadPool pool = new QueuedThreadPool(8, 1);
            pool.setName("grpc-probe");
            pool.setDaemon(true);
            HTTP2Client c = new HTTP2Client();
            c.setExecutor(pool);
            c.setScheduler(new ScheduledExecutorScheduler("grpc-probe-scheduler", true));
            c.start();
            client = c;
        }
        return client;
    }

    /** {@code HealthCheckRequest}: field 1, the service name, omitted when empty. */
    static byte[] request(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0A);
        int n = name.length;
        while (n >= 0x80) {
            out.write((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(name);
        return out.toByteArray();
    }

    /** A gRPC length-prefixed message: uncompressed flag, 4-byte big-endian length, the bytes. */
    static byte[] frame(byte[] message) {
        byte[] out = new byte[5 + message.length];
        int n = message.length;
        out[1] = (byte) (n >>> 24);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 8);
        out[4] = (byte) n;
        System.arraycopy(message, 0, out, 5, n);
        return out;
    }

    /** The name of a {@code HealthCheckResponse.ServingStatus} value. */
    static String statusName(int status) {
        return status >= 0 && status < SERVING_STATUS.size() ? SERVING_STATUS.get(status) : Integer.toString(status);
    }

    /** A Go duration as {@code %v} prints it for the probe timeouts the kubelet uses. */
    static String goDuration(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    /** The outcome of the call, completed by the stream's listener. */
    static final class GrpcCall implements Stream.Listener {
        final CompletableFuture<NetResult> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final String timeout;
        private int httpStatus;

        GrpcCall(String timeout) {
            this.timeout = timeout;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            MetaData md = frame.getMetaData();
            if (md.isResponse()) {
                httpStatus = ((MetaData.Response) md).getStatus();
            }
            if (frame.isEndStream() || !md.isResponse()) {
                result.complete(GrpcAnswer.of(httpStatus, md.getHttpFields(), body.toByteArray(), timeout));
            } else {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            var buf = data.frame().getByteBuffer();
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            body.writeBytes(b);
            boolean end = data.frame().isEndStream();
            data.release();
            if (end) {
                result.complete(GrpcAnswer.of(httpStatus, HttpFields.EMPTY, body.toByteArray(), timeout));
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, org.eclipse.jetty.http2.frames.ResetFrame frame, Callback callback) {
            result.complete(NetResult.failed("error: health rpc probe failed: rpc error: code = Unavailable desc = "
                    + "stream reset by the server (" + ErrorCode.toString(frame.getError(), "error " + frame.getError()) + ")"));
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            result.complete(NetResult.failed("error: health rpc probe failed: rpc error: code = Unavailable desc = "
                    + (reason != null ? reason : String.valueOf(failure))));
            callback.succeeded();
        }
    }
}
