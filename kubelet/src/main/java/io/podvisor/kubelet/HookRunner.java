package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs postStart and preStop handlers ({@code exec}, {@code httpGet}, {@code sleep}) bounded by a
 * timeout. The stage completes with null on success or the failure's text; never exceptionally.
 */
final class HookRunner {

    private final ContainerRuntime runtime;
    private final Clock clock;

    HookRunner(ContainerRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    CompletionStage<String> run(LifecycleHandler h, Container spec, String containerId, String podIp, Duration timeout) {
        CompletableFuture<String> out = new CompletableFuture<>();
        if (h.getExec() != null && h.getExec().getCommand() != null) {
            runtime.exec(containerId, h.getExec().getCommand(), timeout).whenComplete((r, e) -> {
                if (e != null) {
                    out.complete(e.getMessage());
                } else if (r.timedOut()) {
                    out.complete("command " + String.join(" ", h.getExec().getCommand()) + " timed out");
                } else {
                    out.complete(r.exitCode() == 0 ? null : "command '" + String.join(" ", h.getExec().getCommand())
                            + "' exited with " + r.exitCode() + ": " + r.output());
                }
            });
        } else if (h.getHttpGet() != null) {
            var g = h.getHttpGet();
            String host = g.getHost() == null || g.getHost().isEmpty() ? podIp : g.getHost();
            int port = io.podvisor.api.Containers.resolvePort(g.getPort(), spec);
            String scheme = g.getScheme() == null ? "HTTP" : g.getScheme();
            runtime.network().httpGet(scheme, host, port, g.getPath() == null ? "/" : g.getPath(), Map.of(), timeout)
                    .whenComplete((r, e) -> out.complete(e != null ? e.getMessage()
                            : r.error() != null ? r.error()
                            : r.status() >= 200 && r.status() < 400 ? null : "HTTP lifecycle hook failed with status " + r.status()));
        } else if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
            Duration d = Duration.ofSeconds(h.getSleep().getSeconds());
            clock.schedule(d.compareTo(timeout) < 0 ? d : timeout, () -> out.complete(null));
        } else {
            out.complete(null);
        }
        return out;
    }
}
