package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Probes from the host's own network stack into pods (whose addresses are reachable from the host
 * over the pod bridge, or are the host's for host-network pods): real HTTP(S) GETs, TCP connects
 * and gRPC health checks, with the error texts the kubelet shows. HTTPS does not verify
 * certificates, as the kubelet's probes do not.
 *
 * <p>Thread-safe; blocking work runs on virtual threads.
 */
public final class HostPodNetwork implements PodNetwork {

    @Override
    public CompletionStage<HttpResult> httpGet(String scheme, String host, int port, String path,
                                               Map<String, String> headers, Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public CompletionStage<NetResult> tcpConnect(String host, int port, Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public CompletionStage<NetResult> grpcHealth(String host, int port, String service, Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
