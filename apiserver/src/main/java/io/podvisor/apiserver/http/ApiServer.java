package io.podvisor.apiserver.http;

import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.apiserver.tls.Credentials;
import io.podvisor.apiserver.tls.ServiceAccountKey;
import io.podvisor.apiserver.tls.Kubeconfig;
import io.podvisor.apiserver.tls.Pem;
import io.podvisor.apiserver.tls.Pki;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpStatus;
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
 * The HTTPS API server kubectl talks to: Jetty core on virtual threads, HTTP/1.1 over TLS only,
 * with the certificates, token and kubeconfig of {@code dataDir} (minted at first start, reused
 * after). {@code /livez} and {@code /readyz} run kube-apiserver's style of checks ({@link Health}: the
 * store, the heap); {@code /readyz} also needs the server started and {@link #setReady ready}.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop()}; both are thread-safe.
 */
public final class ApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** The logger of the request log, written only while it logs at INFO (the node's {@code -v=3} and above). */
    public static final String REQUEST_LOG = "io.podvisor.apiserver.http.RequestLog";

    /**
     * @param dataDir where {@code pki/}, {@code token} and {@code kubeconfig} live
     * @param port the TLS port; 0 picks a free one
     * @param bindAddress the address to listen on ({@code 127.0.0.1} when null)
     * @param nodeName the node this server belongs to, for messages
     */
    public record Config(Path dataDir, int port, String bindAddress, String nodeName) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress;
            nodeName = nodeName == null ? "" : nodeName;
        }
    }

    private final Config config;
    private final Registry registry;
    private final ContainerStreams streams;
    private final Clock clock;
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private volatile Duration headerTimeout = HeaderDeadline.DEFAULT;
    private volatile Duration keepAliveTimeout = HeaderDeadline.DEFAULT_KEEP_ALIVE;
    private HeaderDeadline deadline;
    private ResourceHandler resources;
    private volatile boolean started;
    private final Health health;
    private final MetricsApi metrics;
    private Server server;
    private int port;
    private Pki pki;
    private Credentials credentials;

    public ApiServer(Config config, Registry registry, ContainerStreams streams, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.streams = streams;
        this.clock = clock;
        this.health = new Health(registry::storageProblem, () -> started && ready.get());
        this.metrics = new MetricsApi(registry, clock);
    }

    /**
     * Serves {@code nodeName}'s usage (its kubelet's samples) in the metrics API,
     * {@code metrics.k8s.io}; a node without a source has no metrics there.
     */
    public void serveMetrics(String nodeName, io.podvisor.api.client.ResourceMetrics source) {
        metrics.register(nodeName, source);
    }

    /**
     * Where the usage of the other nodes comes from, by node name (their kubelets' summaries,
     * {@link KubeletClient#metrics}); none by default.
     */
    public void serveRemoteMetrics(java.util.function.Function<String, io.podvisor.api.client.ResourceMetrics> source) {
        metrics.registerRemote(source);
    }

    /**
     * What start-up needs before the API can listen: the PKI and token loaded or minted, and the TLS
     * context built from them. Independent of the registry, so a node prepares it on a thread of
     * its own while the store, kubelet and controllers start ({@link #prepare}).
     */
    public record Prepared(Pki pki, Credentials credentials, ServiceAccountKey serviceAccountKey, SslContextFactory.Server ssl) {}

    /** Loads or mints the credentials of {@code config} and builds the started TLS context. */
    public static Prepared prepare(Config config, Clock clock) throws IOException {
        Pki pki = Pki.loadOrCreate(config.dataDir(), config.bindAddress(), clock.now());
        Credentials credentials = Credentials.loadOrCreate(config.dataDir());
        ServiceAccountKey serviceAccountKey = ServiceAccountKey.loadOrCreate(config.dataDir());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
        ssl.setKeyStore(pki.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        try {
            ssl.start();
        } catch (Exception e) {
            throw new IOException("cannot build the TLS context: " + e.getMessage(), e);
        }
        return new Prepared(pki, credentials, serviceAccountKey, ssl);
    }

    /** Loads or mints credentials, starts listening, writes the kubeconfig; returns the bound port. */
    public synchronized int start() throws IOException {
        return start(null);
    }

    /**
     * As {@link #start()}, with credentials and TLS context already {@link #prepare prepared} for
     * this server's config (null: prepare them now).
     */
    public synchronized int start(Prepared prepared) throws IOException {
        if (server != null) {
            return port;
        }
        Prepared p = prepared != null ? prepared : prepare(config, clock);
        pki = p.pki();
        credentials = p.credentials();
        Server s = newServer(p.ssl(), new ServiceAccountTokens(registry, p.serviceAccountKey(), clock));
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            throw new IOException("cannot start the API server on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        server = s;
        port = ((ServerConnector) s.getConnectors()[0]).getLocalPort();
        Kubeconfig.write(config.dataDir(), Kubeconfig.serverUrl(config.bindAddress(), port), Pem.encode(pki.ca()),
                credentials.token());
        started = true;
        LOG.info("API server{} listening on https://{}:{}", config.nodeName().isEmpty() ? "" : " of node " + config.nodeName(),
                config.bindAddress(), port);
        return port;
    }

    private Server newServer(SslContextFactory.Server ssl, ServiceAccountTokens serviceAccounts) {
        ServerConnector connector = TlsListener.connector("apiserver", ssl, config.bindAddress(), config.port(),
                Duration.ofMinutes(2));
        Server s = connector.getServer();
        HeaderDeadline headers = new HeaderDeadline(connector.getScheduler(), headerTimeout, keepAliveTimeout);
        connector.addBean(headers);
        deadline = headers;
        s.setErrorHandler(new StatusErrorHandler());
        if (LoggerFactory.getLogger(REQUEST_LOG).isInfoEnabled()) {
            // a line per answered request, as kube-apiserver's httplog at -v=3; no header but User-Agent
            org.eclipse.jetty.server.Slf4jRequestLogWriter writer = new org.eclipse.jetty.server.Slf4jRequestLogWriter();
            writer.setLoggerName(REQUEST_LOG);
            s.setRequestLog(new org.eclipse.jetty.server.CustomRequestLog(writer,
                    "HTTP verb=%m URI=\"%U%q\" latency=%{ms}Tms userAgent=\"%{User-Agent}i\" srcIP=\"%{client}a:%{client}p\" resp=%s"));
        }
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(s, c -> {
            c.setIdleTimeout(Duration.ofHours(4));
            c.setMaxBinaryMessageSize(1024 * 1024);
        });
        LogsEndpoint logs = new LogsEndpoint(registry, streams);
        ExecEndpoint exec = new ExecEndpoint(registry, streams, ws::getServerWebSocketContainer);
        PortForwardEndpoint portForward = new PortForwardEndpoint(registry, streams, ws::getServerWebSocketContainer);
        ResourceHandler resources = new ResourceHandler(registry, clock, logs, exec, portForward, serviceAccounts);
        this.resources = resources;
        ws.setHandler(new ApiHandler(new Auth(credentials, serviceAccounts), ResourceTypes.ALL_TYPES, resources, metrics, health));
        s.setHandler(new Handler.Wrapper(ws) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                headers.arrived(request);
                return super.handle(request, response, new Callback.Nested(callback) {
                    @Override
                    public void succeeded() {
                        if (response.getStatus() != HttpStatus.SWITCHING_PROTOCOLS_101) {
                            headers.awaitNext(request); // not for a connection handed to a WebSocket
                        }
                        super.succeeded();
                    }
                });
            }
        });
        return s;
    }

    /** Stops listening and ends open watches, log streams and exec sessions. Idempotent. */
    public synchronized void stop() {
        try {
            stopOrThrow();
        } catch (Exception e) {
            LOG.warn("stopping the API server failed", e);
        }
    }

    /** As {@link #stop()}, throwing what went wrong (a connection that would not end in time). */
    synchronized void stopOrThrow() throws Exception {
        started = false;
        Server s = server;
        server = null;
        if (s != null) {
            resources.stopWatches(); // else each idle watch holds its connection until the stop times out
            s.stop();
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.warn("stopping the API server failed", e);
        }
    }

    /**
     * The longest a connection may take from accept to its first complete request head, TLS
     * handshake included (default 32 s, as kube-apiserver's {@code ReadHeaderTimeout}); set before
     * {@link #start()}.
     */
    public void setHeaderTimeout(Duration timeout) {
        headerTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * How long a kept-alive connection may wait for its next request before that request's head
     * has the header timeout to arrive (default 90 s, kube-apiserver's {@code IdleTimeout}); set
     * before {@link #start()}.
     */
    public void setKeepAliveTimeout(Duration timeout) {
        keepAliveTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Connections accepted that have not yet brought a request (0 when stopped). */
    synchronized int connectionsAwaitingRequest() {
        return server == null || deadline == null ? 0 : deadline.waiting();
    }

    /**
     * Records an error after which the node cannot be trusted to serve (an {@link OutOfMemoryError}
     * that ended a thread of the kubelet, a controller or the store): {@code /livez} and
     * {@code /readyz} fail their {@code memory} check from then on. Other errors are ignored.
     */
    public void recordFatal(Throwable error) {
        if (error instanceof VirtualMachineError) {
            health.fatal(error);
        }
    }

    /** Sets what {@code /readyz} reports while started (default true). */
    public void setReady(boolean value) {
        ready.set(value);
    }

    public boolean isReady() {
        return started && ready.get();
    }

    /** The bound port, once started. */
    public synchronized int port() {
        return port;
    }

    /** The kubeconfig written at start. */
    public Path kubeconfig() {
        return config.dataDir().resolve("kubeconfig");
    }

    /** The bearer token clients must present (after {@link #start()}). */
    public synchronized String token() {
        return credentials == null ? null : credentials.token();
    }

    /** The CA certificate clients trust, PEM-encoded (after {@link #start()}). */
    public synchronized String caPem() {
        return pki == null ? null : Pem.encode(pki.ca());
    }
}
