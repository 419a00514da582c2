package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.NetResult;
import java.time.Duration;

/** The gRPC probe's {@code grpc.health.v1.Health/Check}. */
final class GrpcHealthProbe {

    NetResult check(String host, int port, String service, Duration timeout) {
        return NetResult.failed("gRPC probes are not supported yet");
    }
}
