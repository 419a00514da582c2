package io.podvisor.runtime.fake;

import io.podvisor.runtime.PodNetwork;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers probes from the scripts of the containers listening at an address. */
final class FakeNetwork implements PodNetwork {

    private final FakeRuntime runtime;

    FakeNetwork(FakeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public CompletionStage<HttpResult> httpGet(String scheme, String host, int port, String path,
                                               Map<String, String> headers, Duration timeout) {
        synchronized (runtime) {
            FakeContainer c = runtime.listenerAt(host, port);
            if (c == null) {
                return CompletableFuture.completedFuture(new HttpResult(0, "",
                        "Get \"" + scheme.toLowerCase() + "://" + host + ":" + port + path + "\": dial tcp " + host + ":"
                                + port + ": connect: connection refused"));
            }
            var handler = c.script.http.get(port);
            int status = handler == null ? 200 : handler.apply(path, c.sinceStart());
            return CompletableFuture.completedFuture(new HttpResult(status, c.script.httpBodies.getOrDefault(port, ""), null));
        }
    }

    @Override
    public CompletionStage<NetResult> tcpConnect(String host, int port, Duration timeout) {
        synchronized (runtime) {
            return CompletableFuture.completedFuture(runtime.listenerAt(host, port) != null ? NetResult.OK
                    : NetResult.failed("dial tcp " + host + ":" + port + ": connect: connection refused"));
        }
    }

    @Override
    public CompletionStage<NetResult> grpcHealth(String host, int port, String service, Duration timeout) {
        synchronized (runtime) {
            FakeContainer c = runtime.listenerAt(host, port);
            if (c == null) {
                return CompletableFuture.completedFuture(NetResult.failed("timeout: failed to connect service \""
                        + host + ":" + port + "\" within " + timeout.toSeconds() + "s: context deadline exceeded"));
            }
            var handler = c.script.grpc.get(port);
            String st = handler == null ? "SERVING" : handler.apply(c.sinceStart());
            return CompletableFuture.completedFuture("SERVING".equals(st) ? NetResult.OK
                    : NetResult.failed("service unhealthy (responded with \"" + st + "\")"));
        }
    }
}
