package io.podvisor.cli.server;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.apiserver.http.ApiServer;
import io.podvisor.apiserver.http.KubeletClient;
import io.podvisor.apiserver.http.NodeRoutedStreams;
import io.podvisor.apiserver.tls.KubeletCertificates;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.cli.logging.Redaction;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.client.node.CachedClusterClient;
import io.podvisor.controllers.Controllers;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.Kubelet;
import io.podvisor.kubelet.KubeletConfig;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.store.Store;
import io.podvisor.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * One podvisor node, wired: the SQLite store under the data dir, the registries (the API's object
 * semantics), one set of shared informers, the kubelet on the chosen runtime (its pods, ConfigMaps
 * and Secrets read from those informers), the controllers (Job, Endpoints, scheduler, garbage
 * collector, reading from the same informers) and the HTTPS API server, whose logs and exec reach
 * this node's pods in-process and another node's through that node's kubelet endpoint. Start order makes the API answer only once every
 * part runs; {@link #close()} stops them in reverse and shuts the runtime down (no container,
 * mount, cgroup or network of the node remains).
 *
 * <p>Data dir layout (private: see {@link DataDir}): {@code state.db} (the store), {@code pki/}, {@code token}, {@code kubeconfig},
 * {@code manifests/} (static pods, unless another directory is given), {@code pods/} (container
 * logs), {@code kubelet/} (the kubelet's state directory: pod volumes), and for the real runtimes
 * {@code images/} and {@code runtime/} (see {@link Runtimes}).
 */
public final class NodeServer implements AutoCloseable {

    /**
     * @param dataDir where everything lives; created (mode 0700) if missing, refused when unsafe
     * @param port the HTTPS port (0 = any free port)
     * @param bindAddress the listen address; {@code 127.0.0.1} unless asked otherwise
     * @param nodeName this node's name
     * @param manifests the static pod directory, null for {@code dataDir/manifests}
     */
    public record Options(Path dataDir, int port, String bindAddress, String nodeName, Path manifests, int maxPods) {

        /** Options with upstream's default pod capacity ({@value KubeletConfig#DEFAULT_MAX_PODS}). */
        public Options(Path dataDir, int port, String bindAddress, String nodeName, Path manifests) {
            this(dataDir, port, bindAddress, nodeName, manifests, KubeletConfig.DEFAULT_MAX_PODS);
        }
    }

    private final Store store;
    private final Registries registries;
    private final SharedInformerFactory informers;
    private final Kubelet kubelet;
    private final Controllers controllers;
    private final ApiServer api;
    private final ContainerRuntime runtime;
    private final int port;

    private NodeServer(Store store, Registries registries, SharedInformerFactory informers, Kubelet kubelet,
                       Controllers controllers, ApiServer api, ContainerRuntime runtime, int port) {
        this.informers = informers;
        this.runtime = runtime;
        this.store = store;
        this.registries = registries;
        this.kubelet = kubelet;
        this.controllers = controllers;
        this.api = api;
        this.port = port;
    }

    /** Starts every part and returns once the API answers {@code /readyz} with ok. */
    public static NodeServer start(Options o, Clock clock, KeyedExecutor executor, ContainerRuntime runtime)
            throws IOException {
        Path data = DataDir.prepare(o.dataDir());
        ApiServer.Config apiConfig = new ApiServer.Config(data, o.port(), o.bindAddress(), o.nodeName());
        // credentials and TLS do not depend on the store: prepared on the other core meanwhile
        CompletableFuture<ApiServer.Prepared> tls = new CompletableFuture<>();
        CompletableFuture<KubeletCertificates.Credential> kubeletClientCert = new CompletableFuture<>();
        Thread.ofPlatform().name("podvisor-tls").daemon().start(() -> {
            try {
                tls.complete(ApiServer.prepare(apiConfig, clock));
                kubeletClientCert.complete(KubeletCertificates.apiServerClient(data, clock.now()));
            } catch (IOException | RuntimeException e) {
                tls.completeExceptionally(e);
                kubeletClientCert.completeExceptionally(e);
            }
        });
        Path manifests = o.manifests() != null ? o.manifests().toAbsolutePath() : data.resolve("manifests");
        Files.createDirectories(manifests);
        Path db = data.resolve("state.db");
        // made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode
        io.podvisor.apiserver.tls.SecretFiles.createPrivateFile(db);
        Store store = SqliteStore.open(db, executor);
        Registries registries = new Registries(store, clock, executor);
        registries.start();
        KubeletConfig config = KubeletConfig.defaults(o.nodeName())
                .withRootDir(Files.createDirectories(data.resolve("kubelet")))
                .withPodLogsDir(Files.createDirectories(data.resolve("pods")))
                .withStaticPodPath(manifests, Duration.ofSeconds(5))
                .withMaxPods(o.maxPods());
        // one set of informers for the kubelet and the controllers, started once both asked for theirs
        SharedInformerFactory informers = new SharedInformerFactory(registries, clock, executor, Duration.ZERO);
        Kubelet kubelet = new Kubelet(config, clock, executor, runtime, new CachedClusterClient(registries, informers),
                registries);
        kubelet.start();
        Controllers controllers = new Controllers(registries, informers, clock, executor, registries.events(),
                o.nodeName(), RandomGenerator.getDefault());
        controllers.start();
        informers.start();
        ApiServer.Prepared prepared = prepared(tls);
        // logs and exec of this node's pods in-process, of another node's through its kubelet endpoint
        KubeletClient kubelets = new KubeletClient(name -> registries.get(Node.class, null, name), kubeletClientCert.join(),
                clock);
        ContainerStreams streams = new NodeRoutedStreams(o.nodeName(), kubelet.streams(), kubelets);
        ApiServer api = new ApiServer(apiConfig, registries, streams, clock);
        // metrics.k8s.io: this node's from its kubelet in-process, another node's from its kubelet's summary
        api.serveMetrics(o.nodeName(), kubelet.metrics());
        api.serveRemoteMetrics(kubelets::metrics);
        api.setReady(false);
        int port = api.start(prepared);
        publishApiEndpoints(registries, o.bindAddress(), port);
        api.setReady(true);
        return new NodeServer(store, registries, informers, kubelet, controllers, api, runtime, port);
    }

    private static ApiServer.Prepared prepared(CompletableFuture<ApiServer.Prepared> tls) throws IOException {
        try {
            ApiServer.Prepared prepared = tls.join();
            Redaction.add(prepared.credentials().token()); // masked in every log line from here on
            return prepared;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** Points the {@code kubernetes} Service's Endpoints at this API server, as upstream's API server does. */
    private static void publishApiEndpoints(Registries registries, String bindAddress, int port) {
        String address = bindAddress == null || bindAddress.isBlank() || bindAddress.equals("0.0.0.0")
                ? "127.0.0.1" : bindAddress;
        Endpoints desired = new EndpointsBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("endpointslice.kubernetes.io/skip-mirror", "true").endMetadata()
                .addNewSubset().addNewAddress().withIp(address).endAddress()
                .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort().endSubset().build();
        Endpoints current = registries.get(Endpoints.class, "default", "kubernetes");
        if (current == null) {
            registries.create(desired);
        } else {
            desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            registries.update(desired);
        }
    }

    public int port() {
        return port;
    }

    /**
     * Tells the API's health checks about an error that ended one of the node's threads; an
     * {@link OutOfMemoryError} makes {@code /livez} and {@code /readyz} fail from then on.
     */
    public void threadDied(Throwable error) {
        api.recordFatal(error);
    }

    public Path kubeconfig() {
        return api.kubeconfig();
    }

    /** The in-process API (for tests and embedding). */
    public Registries registries() {
        return registries;
    }

    @Override
    public void close() {
        api.setReady(false);
        api.stop();
        controllers.stop();
        kubelet.close();
        informers.close();
        runtime.shutdown();
        registries.close();
        store.close();
    }
}
