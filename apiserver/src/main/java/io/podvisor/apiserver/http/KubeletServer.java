package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.tls.KubeletCertificates;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's own HTTPS endpoint (upstream's port 10250), through which an API server reaches the
 * node's logs and exec: {@code GET /containerLogs/{namespace}/{pod}/{container}} with upstream's
 * query ({@code follow}, {@code previous}, {@code timestamps}, {@code tailLines},
 * {@code sinceSeconds}, {@code sinceTime}, {@code limitBytes}), {@code GET
 * /exec/{namespace}/{pod}/{container}?command=…&input=1&output=1&error=1&tty=1} upgraded to a
 * WebSocket with the {@code v5.channel.k8s.io}/{@code v4.channel.k8s.io} channel protocol
 * ({@link ExecSession}), {@code /attach/{namespace}/{pod}/{container}} the same without a command,
 * {@code /portForward/{namespace}/{pod}?port=…} (the channel protocol, {@link ChannelPortForward}) and
 * {@code /healthz}.
 *
 * <p>Authentication is upstream's default pairing: the server presents the kubelet's self-signed
 * certificate ({@link KubeletCertificates#kubeletServing}) and every request must come with a
 * client certificate signed by the cluster CA; anything else is 401 {@code Unauthorized}. Errors
 * are plain text as the kubelet writes them (its callers show the text as the message).
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}.
 */
public final class KubeletServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);

    /** The node's pods by namespace and name (the kubelet's view), or null when it runs no such pod. */
    @FunctionalInterface
    public interface PodLookup {
        Pod get(String namespace, String name);
    }

    /**
     * @param bindAddress the listen address
     * @param port the TLS port; 0 picks a free one
     * @param serving the kubelet's own certificate and key
     * @param clusterCa the CA whose client certificates are let in
     */
    public record Config(String bindAddress, int port, KubeletCertificates.Credential serving, X509Certificate clusterCa) {
        public Config {
            Objects.requireNonNull(serving, "serving");
            Objects.requireNonNull(clusterCa, "clusterCa");
            bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress;
        }
    }

    private final Config config;
    private final PodLookup pods;
    private final Supplier<ContainerStreams> streams;
    private final Clock clock;
    private volatile String nodeName = "";
    private volatile Supplier<io.podvisor.api.client.ResourceMetrics> metrics = () -> io.podvisor.api.client.ResourceMetrics.NONE;
    private Server server;
    private int port;

    /**
     * @param streams the kubelet's streams, asked for at each request (so the server can be bound
     *     before the kubelet that needs its port exists)
     */
    public KubeletServer(Config config, PodLookup pods, Supplier<ContainerStreams> streams, Clock clock) {
        this.config = config;
        this.pods = pods;
        this.streams = streams;
        this.clock = clock;
    }

    /**
     * Serves {@code /stats/summary} from {@code metrics} (the kubelet's samples, asked for at each
     * request) for the API server's metrics API; until called, the summary shows no usage.
     */
    public void serveMetrics(String node, Supplier<io.podvisor.api.client.ResourceMetrics> source) {
        this.nodeName = node;
        this.metrics = source;
    }

    /** Starts listening; returns the bound port. */
    public synchronized int start() throws IOException {
        if (server != null) {
            return port;
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(KubeletCertificates.acceptingAnyPeer(config.serving()));
        ssl.setWantClientAuth(true);
        ServerConnector connector = TlsListener.connector("kubelet-server", ssl, config.bindAddress(), config.port(),
                Duration.ofMinutes(4));
        Server s = connector.getServer();
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(s, c -> {
            c.setIdleTimeout(Duration.ofHours(4));
            c.setMaxBinaryMessageSize(1024 * 1024);
        });
        ws.setHandler(new Routes(ws));
        s.setHandler(ws);
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            throw new IOException("cannot start the kubelet server on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        server = s;
        port = connector.getLocalPort();
        LOG.info("kubelet server listening on https://{}:{}", config.bindAddress(), port);
        return port;
    }

    /** The bound port, once started. */
    public synchronized int port() {
        return port;
    }

    /** Stops listening and ends open log streams and exec sessions. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.warn("stopping the kubelet server failed", e);
        }
    }

    /** An error the kubelet answers as plain text with its HTTP code. */
    private static final class Refusal extends RuntimeException {
        final int code;

        Refusal(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final class Routes extends Handler.Abstract {
        private final WebSocketUpgradeHandler ws;

        Routes(WebSocketUpgradeHandler ws) {
            this.ws = ws;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange ex = new Exchange(request, response, callback);
            try {
                if (!authenticated(request)) {
                    throw new Refusal(401, "Unauthorized");
                }
                List<String> s = ApiHandler.segments(request.getHttpURI().getPath());
                String first = s.isEmpty() ? "" : s.getFirst();
                if (s.size() == 1 && first.equals("healthz")) {
                    ex.sendText(200, "ok");
                } else if (first.equals("containerLogs")) {
                    logs(ex, s);
                } else if (first.equals("portForward") && s.size() == 3) {
                    portForward(ex, s.get(1), s.get(2));
                } else if (first.equals("exec") || first.equals("attach")) {
                    exec(ex, s, first.equals("attach"));
                } else if (s.equals(List.of("stats", "summary")) && ex.method().equals("GET")) {
                    io.podvisor.api.client.ResourceMetrics source = metrics.get();
                    ex.sendJson(200, StatsSummary.write(nodeName,
                            source == null ? io.podvisor.api.client.ResourceMetrics.NONE : source));
                } else {
                    throw new Refusal(404, "404 page not found");
                }
                if (!ex.detached()) {
                    callback.succeeded();
                }
            } catch (Refusal e) {
                fail(ex, e.code, e.getMessage());
            } catch (ApiException e) {
                fail(ex, e.code(), e.getMessage());
            } catch (IOException e) {
                callback.failed(e);
            } catch (RuntimeException e) {
                LOG.error("{} {} answered 500: {}", request.getMethod(), request.getHttpURI().getPath(), e, e);
                fail(ex, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return true;
        }

        private boolean authenticated(Request request) {
            if (!(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls)) {
                return false;
            }
            return KubeletCertificates.verifiedBy(tls.peerCertificates(), config.clusterCa(), clock.now());
        }

        private void fail(Exchange ex, int code, String message) {
            if (ex.detached()) {
                return;
            }
            if (ex.committed()) {
                ex.callback.failed(new IOException(message));
                return;
            }
            try {
                ex.response.getHeaders().clear();
                ex.sendText(code, message + "\n");
                ex.callback.succeeded();
            } catch (IOException | RuntimeException io) {
                ex.callback.failed(io);
            }
        }

        private void logs(Exchange ex, List<String> s) throws IOException {
            if (s.size() < 3) {
                throw new Refusal(400, "{\"message\": \"Missing podID.\"}");
            }
            if (s.size() < 4) {
                throw new Refusal(400, "{\"message\": \"Missing container name.\"}");
            }
            Query q = ex.query();
            ContainerStreams.LogOptions options;
            try {
                options = new ContainerStreams.LogOptions(q.flag("previous"), q.flag("follow"), q.flag("timestamps"),
                        q.number("tailLines"), q.number("sinceSeconds"), sinceTime(q.get("sinceTime")),
                        q.number("limitBytes"));
            } catch (ApiException | DateTimeParseException e) {
                throw new Refusal(400, "{\"message\": \"Unable to decode query.\"}");
            }
            Pod pod = pod(s.get(1), s.get(2), s.get(3));
            if (options.follow()) {
                ex.request.addIdleTimeoutListener(t -> false);
            }
            ex.response.getHeaders().put("Content-Type", "text/plain");
            OutputStream body = new CommitOnWrite(ex);
            OutputStream out = options.follow() ? new ClientWatchingStream(body, ex.request)
                    : new java.io.BufferedOutputStream(body, 16384);
            try {
                streams.get().logs(pod, s.get(3), options, out);
            } catch (ApiException e) {
                // upstream's kubelet answers every failure of reading the log with 400 and its text
                throw e.code() == 404 ? e : new Refusal(400, e.getMessage());
            }
            out.close();
            if (!ex.committed()) {
                ex.commit(200, "text/plain");
            }
        }

        private void exec(Exchange ex, List<String> s, boolean attach) {
            if (s.size() != 4) {
                throw new Refusal(404, "404 page not found");
            }
            Query q = ex.query();
            List<String> command = attach ? List.of() : q.all("command");
            ExecSession.Request req = new ExecSession.Request(pod(s.get(1), s.get(2), s.get(3)), s.get(3), command,
                    q.flag("input"), q.flag("output"), q.flag("error"), q.flag("tty"), attach);
            if (!req.stdin() && !req.stdout() && !req.stderr()) {
                throw new Refusal(400, "you must specify at least 1 of stdin, stdout, stderr");
            }
            String upgrade = ex.header("Upgrade");
            if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
                throw new Refusal(400, "Upgrade request required");
            }
            String protocol = ExecEndpoint.negotiate(ex.request.getHeaders().getValuesList("Sec-WebSocket-Protocol"));
            boolean upgraded = ws.getServerWebSocketContainer().upgrade((upReq, upResp, cb) -> {
                upResp.setAcceptedSubProtocol(protocol);
                return new ExecSession(streams.get(), req, protocol.equals(ExecEndpoint.V5));
            }, ex.request, ex.response, ex.callback);
            if (!upgraded) {
                throw new Refusal(400, "Upgrade request required");
            }
            ex.detach();
        }

        /**
         * {@code /portForward/{namespace}/{pod}?port=P…}: the channel protocol ({@link ChannelPortForward})
         * to this node's pod at its IP; the ports checked before the upgrade with the kubelet's 400 texts.
         */
        private void portForward(Exchange ex, String namespace, String name) {
            Pod pod = pods.get(namespace, name);
            if (pod == null) {
                throw new Refusal(404, "pod \"" + name + "\" does not exist");
            }
            String upgrade = ex.header("Upgrade");
            if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
                throw new Refusal(400, "Upgrade request required");
            }
            List<Integer> ports = PortForwardEndpoint.ports(ex.query().all("port"));
            boolean v4 = ex.request.getHeaders().getValuesList("Sec-WebSocket-Protocol").stream()
                    .flatMap(h -> java.util.Arrays.stream(h.split(","))).map(String::trim).anyMatch(ExecEndpoint.V4::equals);
            String podId = pod.getMetadata().getUid() == null ? name : pod.getMetadata().getUid();
            PodDialer dialer = PodDialer.podIp(pod, PortForwardEndpoint.CONNECT_TIMEOUT_MILLIS);
            boolean upgraded = ws.getServerWebSocketContainer().upgrade((upReq, upResp, cb) -> {
                if (v4) {
                    upResp.setAcceptedSubProtocol(ExecEndpoint.V4);
                }
                return new ChannelPortForward(dialer, podId, ports, false);
            }, ex.request, ex.response, ex.callback);
            if (!upgraded) {
                throw new Refusal(400, "Upgrade request required");
            }
            ex.detach();
        }

        /** The pod and container a request names, with upstream kubelet's 404 texts. */
        private Pod pod(String namespace, String name, String container) {
            Pod pod = pods.get(namespace, name);
            if (pod == null) {
                throw new Refusal(404, "pod \"" + name + "\" does not exist");
            }
            if (!containerNames(pod).contains(container)) {
                throw new Refusal(404, "container \"" + container + "\" not found in pod \"" + name + "\"");
            }
            return pod;
        }
    }

    private static List<String> containerNames(Pod pod) {
        List<String> out = new ArrayList<>();
        if (pod.getSpec() == null) {
            return out;
        }
        Stream.of(pod.getSpec().getContainers(), pod.getSpec().getInitContainers())
                .filter(Objects::nonNull).flatMap(List::stream).map(Container::getName).forEach(out::add);
        if (pod.getSpec().getEphemeralContainers() != null) {
            pod.getSpec().getEphemeralContainers().forEach(e -> out.add(e.getName()));
        }
        return out;
    }

    private static Instant sinceTime(String v) {
        return v == null || v.isEmpty() ? null : Instant.parse(v);
    }

    /**
     * The response body, committed with 200 at the first write or flush: a failure before any
     * byte can still be answered with its code and text.
     */
    private static final class CommitOnWrite extends OutputStream {
        private final Exchange ex;
        private OutputStream body;

        CommitOnWrite(Exchange ex) {
            this.ex = ex;
        }

        private OutputStream body() throws IOException {
            if (body == null) {
                ex.commit(200, "text/plain");
                body = ex.stream();
            }
            return body;
        }

        @Override
        public void write(int b) throws IOException {
            body().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            body().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            body().flush();
        }

        @Override
        public void close() throws IOException {
            if (body != null) {
                body.close();
            }
        }
    }
}
