package io.podvisor.cli.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.apiserver.http.KubeletServer;
import io.podvisor.apiserver.tls.KubeletCertificates;
import io.podvisor.apiserver.tls.Pem;
import io.podvisor.cli.logging.Redaction;
import io.podvisor.client.https.HttpsClusterClient;
import io.podvisor.client.https.HttpsObjectClient;
import io.podvisor.client.https.Kubeconfig;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.client.node.CachedClusterClient;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.Kubelet;
import io.podvisor.kubelet.KubeletConfig;
import io.podvisor.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A kubelet alone, joining the API server a kubeconfig names over HTTPS ({@code podvisor agent}):
 * the composition root beside {@link NodeServer} without store, registries, controllers or API
 * server. Its pods, ConfigMaps, Secrets and Services come from shared informers over
 * {@link HttpsObjectClient} (a sync never calls the API), its writes (pod status, final deletes,
 * events) go through {@link HttpsClusterClient}, and the Node and its Lease through the same
 * {@code HttpsObjectClient}. Its kubelet endpoint ({@link KubeletServer}) serves the API server's
 * logs and exec requests with the kubelet's own self-signed certificate
 * ({@code kubelet/pki/kubelet.crt}), letting in only client certificates signed by the CA the
 * kubeconfig trusts. {@link #close()} stops it all and shuts the runtime down.
 *
 * <p>Data dir layout: {@code kubelet/} (state, pod volumes, {@code pki/}), {@code pods/} (container
 * logs), and for the real runtimes {@code images/} and {@code runtime/} (see {@link Runtimes}).
 */
public final class NodeAgent implements AutoCloseable {

    /**
     * @param kubeconfig the API server to join and the credentials to use
     * @param address this node's address: the kubelet endpoint listens on it and the Node's
     *     {@code InternalIP} is it
     * @param kubeletPort the kubelet endpoint's port (0 = any free port)
     */
    public record Options(Path dataDir, Kubeconfig kubeconfig, String nodeName, String address, int kubeletPort, int maxPods) {}

    private final HttpsObjectClient api;
    private final HttpsClusterClient writes;
    private final SharedInformerFactory informers;
    private final KubeletServer endpoint;
    private final Kubelet kubelet;
    private final ContainerRuntime runtime;

    private NodeAgent(HttpsObjectClient api, HttpsClusterClient writes, SharedInformerFactory informers,
            KubeletServer endpoint, Kubelet kubelet, ContainerRuntime runtime) {
        this.api = api;
        this.writes = writes;
        this.informers = informers;
        this.endpoint = endpoint;
        this.kubelet = kubelet;
        this.runtime = runtime;
    }

    /** Connects to the API server, starts the kubelet endpoint and the kubelet; returns once they run. */
    public static NodeAgent start(Options o, Clock clock, KeyedExecutor executor, ContainerRuntime runtime)
            throws IOException {
        Path data = DataDir.prepare(o.dataDir());
        Kubeconfig kubeconfig = o.kubeconfig();
        redact(kubeconfig);
        X509Certificate clusterCa = Pem.certificate(kubeconfig.caPem());
        Path kubeletDir = Files.createDirectories(data.resolve("kubelet"));
        KubeletCertificates.Credential serving = KubeletCertificates.kubeletServing(kubeletDir.resolve("pki"),
                o.nodeName(), o.address(), clock.now());
        HttpsObjectClient api = new HttpsObjectClient(kubeconfig, clock);
        SharedInformerFactory informers = new SharedInformerFactory(api, clock, executor, Duration.ZERO);
        HttpsClusterClient writes = new HttpsClusterClient(api, clock, executor);
        CachedClusterClient cluster = new CachedClusterClient(writes, informers);
        SharedIndexInformer<Pod> pods = cluster.podInformer(o.nodeName());
        AtomicReference<ContainerStreams> streams = new AtomicReference<>();
        KubeletServer endpoint = new KubeletServer(new KubeletServer.Config(o.address(), o.kubeletPort(), serving, clusterCa),
                (namespace, name) -> pods.lister().get(namespace, name), streams::get, clock);
        int port = endpoint.start();
        KubeletConfig config = KubeletConfig.defaults(o.nodeName())
                .withNodeIp(o.address())
                .withKubeletPort(port)
                .withRootDir(kubeletDir)
                .withPodLogsDir(Files.createDirectories(data.resolve("pods")))
                .withMaxPods(o.maxPods());
        Kubelet kubelet = new Kubelet(config, clock, executor, runtime, cluster, api);
        streams.set(kubelet.streams());
        endpoint.serveMetrics(o.nodeName(), kubelet::metrics);
        kubelet.start();
        informers.start();
        return new NodeAgent(api, writes, informers, endpoint, kubelet, runtime);
    }

    /**
     * The kubeconfig an agent joins with: its current context, which must name a certificate
     * authority (the kubelet endpoint lets in only client certificates that CA signed).
     *
     * @throws IOException with the reason when the file cannot be read or names no CA
     */
    public static Kubeconfig readKubeconfig(Path file) throws IOException {
        Kubeconfig kubeconfig;
        try {
            kubeconfig = Kubeconfig.load(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (kubeconfig.caPem() == null) {
            throw new IOException(file + ": names no certificate authority; the kubelet lets in only client "
                    + "certificates signed by the cluster's CA");
        }
        return kubeconfig;
    }

    /** The token (or the token file's) masked in every log line from here on. */
    private static void redact(Kubeconfig kubeconfig) {
        if (kubeconfig.token() != null) {
            Redaction.add(kubeconfig.token());
        }
        if (kubeconfig.tokenFile() != null) {
            try {
                Redaction.add(Files.readString(kubeconfig.tokenFile()).strip());
            } catch (IOException e) {
                // unreadable now: the client reports it at its first request
            }
        }
    }

    /** The port the kubelet endpoint listens on. */
    public int kubeletPort() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
        kubelet.close();
        informers.close();
        writes.close();
        runtime.shutdown();
        api.close();
    }
}
