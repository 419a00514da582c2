package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Probes from the host's own network stack into pods (whose addresses are reachable from the host
 * over the pod bridge, or are the host's for host-network pods): real HTTP(S) GETs, TCP connects
 * and gRPC health checks, with the error texts the kubelet shows (Go's, e.g. {@code Get
 * "http://10.88.0.5:8080/healthz": dial tcp 10.88.0.5:8080: connect: connection refused}). HTTP(S)
 * is a blocking exchange on a connection of its own ({@link ProbeHttp}); HTTPS does not verify
 * certificates, as the kubelet's probes do not.
 *
 * <p>Thread-safe; blocking work runs on virtual threads.
 */
public final class HostPodNetwork implements PodNetwork {

    private final Executor executor = task -> Thread.ofVirtual().name("probe").start(task);
    private final ProbeHttp http = new ProbeHttp();
    private final GrpcHealthProbe grpc = new GrpcHealthProbe();

    @Override
    public CompletionStage<HttpResult> httpGet(String scheme, String host, int port, String path,
                                               Map<String, String> headers, Duration timeout) {
        return async(() -> http.get(scheme, host, port, path, headers, timeout));
    }

    @Override
    public CompletionStage<NetResult> tcpConnect(String host, int port, Duration timeout) {
        return async(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
                return NetResult.OK;
            } catch (IOException e) {
                return NetResult.failed(DialErrors.dial(host, port, e));
            }
        });
    }

    @Override
    public CompletionStage<NetResult> grpcHealth(String host, int port, String service, Duration timeout) {
        return async(() -> grpc.check(host, port, service, timeout));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }
}
