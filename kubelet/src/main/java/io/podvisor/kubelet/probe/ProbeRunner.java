package io.podvisor.kubelet.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.podvisor.api.Containers;
import io.podvisor.kubelet.Messages;
import io.fabric8.kubernetes.api.model.Probe;
import io.podvisor.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Executes one probe attempt (spec §7.3) and describes the outcome the way the kubelet does. */
final class ProbeRunner {

    /**
     * Success, success with a warning (an HTTP redirect not followed), failure (with output for the
     * event) or a prober error (discarded).
     */
    record Outcome(Kind kind, String output) {
        enum Kind { SUCCESS, WARNING, FAILURE, ERROR }

        static Outcome success() {
            return new Outcome(Kind.SUCCESS, "");
        }

        static Outcome warning(String out) {
            return new Outcome(Kind.WARNING, out);
        }

        static Outcome failure(String out) {
            return new Outcome(Kind.FAILURE, out);
        }

        static Outcome error(String out) {
            return new Outcome(Kind.ERROR, out);
        }
    }

    private static final int MAX_OUTPUT = 10 * 1024;

    private final ContainerRuntime runtime;
    private final String userAgent;

    ProbeRunner(ContainerRuntime runtime, String kubernetesVersion) {
        this.runtime = runtime;
        this.userAgent = "kube-probe/" + kubernetesVersion;
    }

    CompletionStage<Outcome> run(Probe p, Container spec, String containerId, String podIp) {
        Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null || p.getTimeoutSeconds() < 1 ? 1 : p.getTimeoutSeconds());
        if (p.getExec() != null) {
            var cmd = p.getExec().getCommand();
            return runtime.exec(containerId, cmd, timeout).thenApply(r -> {
                if (r.timedOut()) {
                    return Outcome.failure("command " + Messages.quote(String.join(" ", cmd)) + " timed out");
                }
                String out = r.output().length() > MAX_OUTPUT ? r.output().substring(0, MAX_OUTPUT) : r.output();
                return r.exitCode() == 0 ? Outcome.success() : Outcome.failure(out);
            });
        }
        if (p.getHttpGet() != null) {
            var g = p.getHttpGet();
            int port = Containers.resolvePort(g.getPort(), spec);
            if (port < 0) {
                return CompletableFuture.completedFuture(Outcome.error("unable to find port " + g.getPort().getStrVal()));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", userAgent);
            headers.put("Accept", "*/*");
            if (g.getHttpHeaders() != null) {
                for (HTTPHeader h : g.getHttpHeaders()) {
                    if ("Accept".equalsIgnoreCase(h.getName()) && (h.getValue() == null || h.getValue().isEmpty())) {
                        headers.remove("Accept");
                    } else {
                        headers.put(h.getName(), h.getValue());
                    }
                }
            }
            String host = g.getHost() == null || g.getHost().isEmpty() ? podIp : g.getHost();
            String scheme = g.getScheme() == null ? "HTTP" : g.getScheme();
            String path = g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath();
            return runtime.network().httpGet(scheme, host, port, path, headers, timeout).thenApply(r -> {
                if (r.error() != null) {
                    return Outcome.failure(r.error());
                }
                if (r.status() >= 300 && r.status() < 400) {
                    // a redirect to another host is not followed: the 3xx answer is a success with a warning
                    return Outcome.warning("Probe terminated redirects, Response body: " + r.body());
                }
                return r.status() >= 200 && r.status() < 400 ? Outcome.success()
                        : Outcome.failure("HTTP probe failed with statuscode: " + r.status());
            });
        }
        if (p.getTcpSocket() != null) {
            int port = Containers.resolvePort(p.getTcpSocket().getPort(), spec);
            if (port < 0) {
                return CompletableFuture.completedFuture(Outcome.error("unable to find port " + p.getTcpSocket().getPort().getStrVal()));
            }
            String host = p.getTcpSocket().getHost() == null || p.getTcpSocket().getHost().isEmpty() ? podIp : p.getTcpSocket().getHost();
            return runtime.network().tcpConnect(host, port, timeout)
                    .thenApply(r -> r.ok() ? Outcome.success() : Outcome.failure(r.error()));
        }
        if (p.getGrpc() != null) {
            String service = p.getGrpc().getService() == null ? "" : p.getGrpc().getService();
            return runtime.network().grpcHealth(podIp, p.getGrpc().getPort(), service, timeout)
                    .thenApply(r -> r.ok() ? Outcome.success() : Outcome.failure(r.error()));
        }
        return CompletableFuture.completedFuture(Outcome.error("missing probe handler"));
    }
}
