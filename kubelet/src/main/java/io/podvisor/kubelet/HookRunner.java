package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Runs postStart and preStop handlers ({@code exec}, {@code httpGet}, {@code sleep}). A postStart
 * handler is bounded by a timeout; a preStop handler is waited for within the grace period but not
 * cut at its end (spec §8.2, §8.3). The stages complete with null on success or the failure's
 * text; never exceptionally.
 */
final class HookRunner {

    private final ContainerRuntime runtime;
    private final Clock clock;

    HookRunner(ContainerRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    CompletionStage<String> run(LifecycleHandler h, Container spec, String containerId, String podIp, Duration timeout) {
        return handle(h, spec, containerId, podIp, timeout, timeout);
    }

    /**
     * Runs a preStop handler as upstream's kubelet does: the returned stage completes once the
     * handler has ended or {@code wait} (the grace period) has passed, whichever comes first, and the
     * kubelet then stops the container. The handler itself goes on: an {@code exec} has no time
     * limit (CRI's {@code ExecSync} with timeout 0), so one that never ends lives until the container
     * is killed. {@code failed} gets the failure's text whenever the handler ends in one, before the
     * stage completes or after (an exec killed with its container exits 137).
     */
    CompletionStage<Void> runPreStop(LifecycleHandler h, Container spec, String containerId, String podIp,
                                     Duration wait, Consumer<String> failed) {
        CompletableFuture<Void> waited = new CompletableFuture<>();
        Clock.Timer bound = clock.schedule(wait, () -> waited.complete(null));
        handle(h, spec, containerId, podIp, Duration.ZERO, wait).whenComplete((err, e) -> {
            bound.cancel();
            if (err != null) {
                failed.accept(err);
            }
            waited.complete(null);
        });
        return waited;
    }

    /** Runs {@code h}: an exec within {@code execTimeout} (zero: none), the other handlers within {@code timeout}. */
    private CompletionStage<String> handle(LifecycleHandler h, Container spec, String containerId, String podIp,
                                           Duration execTimeout, Duration timeout) {
        CompletableFuture<String> out = new CompletableFuture<>();
        if (h.getExec() != null && h.getExec().getCommand() != null) {
            runtime.exec(containerId, h.getExec().getCommand(), execTimeout).whenComplete((r, e) -> {
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
            // upstream's handler runner never looks at the status: any answer is a success, only a
            // request that gets none fails
            runtime.network().httpGet(scheme, host, port, g.getPath() == null ? "/" : g.getPath(), Map.of(), timeout)
                    .whenComplete((r, e) -> out.complete(e != null ? e.getMessage() : r.error()));
        } else if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
            Duration d = Duration.ofSeconds(h.getSleep().getSeconds());
            clock.schedule(d.compareTo(timeout) < 0 ? d : timeout, () -> out.complete(null));
        } else {
            out.complete(null);
        }
        return out;
    }
}
