package io.podvisor.apiserver.fuzz;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.apiserver.http.ApiServer;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.core.FileTrees;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.store.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The API as a node serves it, without a kubelet or controllers: a {@link MemoryStore}, the real
 * {@link Registries} (decoding, defaulting, validation, patches) and the HTTPS {@link ApiServer}
 * on a free loopback port, with a client that trusts its CA. The store is exposed so a caller can
 * see whether a request wrote anything.
 */
public final class FuzzNode implements AutoCloseable {

    private final Path dir;
    private final SystemClock clock = new SystemClock();
    private final MemoryStore store;
    private final Registries registries;
    private final ApiServer server;
    private final HttpClient http;
    private final String token;
    private final int port;

    public FuzzNode() throws Exception {
        this(0);
    }

    /** @param watchHistory events the store keeps for watches from a revision (0: its default) */
    public FuzzNode(int watchHistory) throws Exception {
        dir = Files.createTempDirectory("podvisor-fuzz-");
        VirtualThreadKeyedExecutor executor = new VirtualThreadKeyedExecutor();
        store = watchHistory > 0 ? new MemoryStore(executor, watchHistory) : new MemoryStore(executor);
        registries = new Registries(store, clock, executor);
        registries.start();
        server = new ApiServer(new ApiServer.Config(dir, 0, "127.0.0.1", "fuzz-node"), registries, NO_STREAMS, clock);
        port = server.start();
        token = Files.readString(dir.resolve("token")).trim();
        http = client(dir.resolve("pki/ca.crt"));
    }

    private static final ContainerStreams NO_STREAMS = new ContainerStreams() {
        @Override
        public void logs(Pod pod, String container, LogOptions options, OutputStream out) throws IOException {
            throw new IOException("no containers here");
        }

        @Override
        public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
                OutputStream stderr, boolean tty) throws IOException {
            throw new IOException("no containers here");
        }
    };

    /** The kubeconfig the server wrote: its URL, its CA and the token. */
    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    /** The store's current revision: unchanged by a request that wrote nothing. */
    public long revision() {
        return store.currentRevision();
    }

    /**
     * Sends one request with a deadline.
     *
     * @throws java.net.http.HttpTimeoutException when no answer came within {@code timeout}
     */
    public HttpResponse<String> send(String method, String path, String contentType, String body, String accept,
            Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", accept);
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTP/1.1 client that trusts the CA certificate in {@code caFile}. */
    public static HttpClient client(Path caFile) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(caFile)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A TLS context that trusts the CA in {@code caFile} only. */
    public static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Override
    public void close() {
        http.close();
        server.stop();
        registries.close();
        store.close();
        clock.close();
        FileTrees.delete(dir);
    }
}
