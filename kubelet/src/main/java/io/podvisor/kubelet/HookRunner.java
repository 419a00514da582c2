package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Runs postStart and preStop handlers ({@code exec}, {@code httpGet}, {@code sleep}). A postStart
 * handler is bounded by a timeout; a preStop handler is waited for within the grace period but not
 * cut at its end (spec §8.2, §8.3). The stages complete with null on success or the failure's
 * text in upstream's words ({@code Exec lifecycle hook ([cmd]) for Container "c" in Pod
 * "name_ns(uid)" failed - error: …, message: "…"}, the waiting message of {@code
 * PostStartHookError}); never exceptionally.
 */
final class HookRunner {

    private final ContainerRuntime runtime;
    private final Clock clock;
    /** The pod as upstream's messages name it: {@code name_namespace(uid)}. */
    private final String podDesc;

    HookRunner(ContainerRuntime runtime, Clock clock, String podDesc) {
        this.runtime = runtime;
        this.clock = clock;
        this.podDesc = podDesc;
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

    /** Upstream's text for a failed exec hook ({@code %v} of the command is Go's slice form). */
    private String execFailed(List<String> cmd, Container spec, String error, String output) {
        return "Exec lifecycle hook ([" + String.join(" ", cmd) + "]) for Container " + Messages.quote(spec.getName())
                + " in Pod " + Messages.quote(podDesc) + " failed - error: " + error + ", message: " + Messages.quote(output);
    }

    /** Runs {@code h}: an exec within {@code execTimeout} (zero: none), the other handlers within {@code timeout}. */
    private CompletionStage<String> handle(LifecycleHandler h, Container spec, String containerId, String podIp,
                                           Duration execTimeout, Duration timeout) {
        CompletableFuture<String> out = new CompletableFuture<>();
        if (h.getExec() != null && h.getExec().getCommand() != null) {
            List<String> cmd = h.getExec().getCommand();
            runtime.exec(containerId, cmd, execTimeout).whenComplete((r, e) -> {
                if (e != null) {
                    out.complete(execFailed(cmd, spec, e.getMessage(), ""));
                } else if (r.timedOut()) {
                    out.complete(execFailed(cmd, spec, "command " + Messages.quote(String.join(" ", cmd)) + " timed out", ""));
                } else {
                    // the CRI client's error for a non-zero exit, then what the command printed
                    out.complete(r.exitCode() == 0 ? null : execFailed(cmd, spec, "command '" + String.join(" ", cmd)
                            + "' exited with " + r.exitCode() + ": " + r.output(), r.output()));
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
                    .whenComplete((r, e) -> {
                        String err = e != null ? e.getMessage() : r.error();
                        out.complete(err == null ? null : "HTTP lifecycle hook (" + (g.getPath() == null ? "" : g.getPath())
                                + ") for Container " + Messages.quote(spec.getName()) + " in Pod " + Messages.quote(podDesc)
                                + " failed - error: " + err);
                    });
        } else if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
            Duration d = Duration.ofSeconds(h.getSleep().getSeconds());
            clock.schedule(d.compareTo(timeout) < 0 ? d : timeout, () -> out.complete(null));
        } else {
            out.complete(null);
        }
        return out;
    }
}
