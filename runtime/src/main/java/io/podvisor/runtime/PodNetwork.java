package io.podvisor.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Network checks from the host into sandboxes, used by HTTP, TCP and gRPC probes. Results carry the
 * error text a user should see; a stage never completes exceptionally for a network failure.
 */
public interface PodNetwork {

    /** An HTTP GET. {@code headers} are sent as given (the caller adds User-Agent and Accept). */
    CompletionStage<HttpResult> httpGet(String scheme, String host, int port, String path,
                                        Map<String, String> headers, Duration timeout);

    /** A TCP connect, closed at once. */
    CompletionStage<NetResult> tcpConnect(String host, int port, Duration timeout);

    /** A gRPC health check ({@code grpc.health.v1.Health/Check}) for {@code service}. */
    CompletionStage<NetResult> grpcHealth(String host, int port, String service, Duration timeout);

    /**
     * An HTTP answer or a transport failure.
     *
     * @param status 0 when no answer arrived; then {@code error} says why
     */
    record HttpResult(int status, String body, String error) {}

    /** Success, or failure with the text to show. */
    record NetResult(boolean ok, String error) {
        public static final NetResult OK = new NetResult(true, null);

        public static NetResult failed(String error) {
            return new NetResult(false, error);
        }
    }
}
