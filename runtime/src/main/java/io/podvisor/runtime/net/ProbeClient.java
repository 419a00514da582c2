package io.podvisor.runtime.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty HTTP client every HTTP probe in this JVM uses, started on first use on daemon
 * threads and never stopped. It sends nothing of its own (no {@code User-Agent}, no {@code
 * Accept-Encoding}), follows no redirects, answers no authentication challenge and accepts any
 * server certificate. Each request carries its own {@link Attempt} as the destination tag, so it
 * gets a connection of its own, and the attempt learns when that connection's TCP handshake is done
 * (before any TLS), which tells a dial time-out from a time-out awaiting the answer.
 */
final class ProbeClient {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private ProbeClient() {}

    /** What one request learned about its connection. */
    static final class Attempt {
        private volatile InetSocketAddress local;
        private volatile InetSocketAddress remote;

        boolean connected() {
            return remote != null;
        }

        /** {@code ip:port} of this side of the connection. */
        String local() {
            return local == null ? "" : DialErrors.hostPort(local.getAddress().getHostAddress(), local.getPort());
        }

        /** {@code ip:port} of the server's side of the connection. */
        String remote() {
            return remote == null ? "" : DialErrors.hostPort(remote.getAddress().getHostAddress(), remote.getPort());
        }

        void connected(SocketAddress localAddress, SocketAddress remoteAddress) {
            if (localAddress instanceof InetSocketAddress l && remoteAddress instanceof InetSocketAddress r) {
                local = l;
                remote = r;
            }
        }
    }

    /** The shared client. */
    static HttpClient get() {
        return Holder.CLIENT;
    }

    private static final class Holder {
        static final HttpClient CLIENT = start();
    }

    private static HttpClient start() {
        QueuedThreadPool pool = new QueuedThreadPool(16, 1);
        pool.setName("http-probe");
        pool.setDaemon(true);
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        tls.setEndpointIdentificationAlgorithm(null);
        ClientConnector connector = new AttemptConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(Duration.ofMinutes(5)); // the request's total time-out comes first
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(pool);
        client.setScheduler(new ScheduledExecutorScheduler("http-probe-scheduler", true));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getProtocolHandlers().clear();
        client.setMaxResponseHeadersSize(MAX_HEADER_BYTES);
        // every request has a destination of its own (its Attempt is the tag): drop it soon after
        // (kept longer, a node with 1000 probed pods held over 6000 of them)
        client.setDestinationIdleTimeout(2_000);
        client.setIdleTimeout(30_000);
        try {
            client.start();
            client.getContentDecoderFactories().clear(); // filled while starting; no Accept-Encoding is sent
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP probe client", e);
        }
        return client;
    }

    /** Tells a request's {@link Attempt} when its TCP connection is made. */
    private static final class AttemptConnector extends ClientConnector {
        @Override
        protected Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
            if (context.get(Destination.CONTEXT_KEY) instanceof Destination d && d.getOrigin().getTag() instanceof Attempt a) {
                a.connected(endPoint.getLocalSocketAddress(), endPoint.getRemoteSocketAddress());
            }
            return super.newConnection(endPoint, context);
        }
    }
}
