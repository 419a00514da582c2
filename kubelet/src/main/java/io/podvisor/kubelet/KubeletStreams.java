package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.logs.CriLogFile;
import io.podvisor.kubelet.logs.LogTarget;
import io.podvisor.kubelet.logs.LogWaiters;
import io.podvisor.kubelet.logs.LogWriter;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The kubelet's side of {@code kubectl logs} and {@code kubectl exec}. Calls block the caller's
 * thread (the API server's request thread) and never the kubelet's own work: waiting is done on
 * futures completed by the clock's timers and the runtime's exit notifications.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class KubeletStreams implements ContainerStreams {

    /** How long one exec may run, like the streaming idle timeout upstream (4 h). */
    static final Duration EXEC_TIMEOUT = Duration.ofHours(4);

    private final Kubelet kubelet;
    private final KubeletContext ctx;
    private final LogWaiters waiters;

    KubeletStreams(Kubelet kubelet, KubeletContext ctx, LogWaiters waiters) {
        this.kubelet = kubelet;
        this.ctx = ctx;
        this.waiters = waiters;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The instance is chosen from the status the kubelet last generated (spec 15.2). With
     * {@code follow}, new records are written as they appear until that instance has exited.
     *
     * @throws ApiException.NotFound if the pod does not run on this node
     * @throws ApiException.BadRequest if the container has no such instance (upstream's messages)
     */
    @Override
    public void logs(Pod pod, String container, LogOptions options, OutputStream out) throws IOException {
        PodWorker w = kubelet.workerFor(pod);
        Pod p = w.pod();
        PodStatus status = ctx.status().last(w.uid());
        String name = p.getMetadata().getName();
        String containerId = LogTarget.containerId(name, status != null ? status : pod.getStatus(), container,
                options.previous());
        ContainerInfo instance = instance(w.uid(), containerId);
        if (instance == null) {
            throw new ApiException.BadRequest("container \"" + container + "\" in pod \"" + name + "\" is not available");
        }
        Path file = LogPaths.of(ctx.config(), instance);
        LogWriter writer = new LogWriter(out, options, ctx.clock().now());
        CriLogFile.Chunk first = CriLogFile.readFrom(file, 0);
        if (!writer.write(LogWriter.tail(first.entries(), options.tailLines())) || !options.follow()) {
            return;
        }
        follow(writer, file, first.nextOffset(), w.uid(), instance.id());
    }

    private void follow(LogWriter writer, Path file, long offset, String podUid, String id) throws IOException {
        while (true) {
            CompletableFuture<Void> wake = waiters.next();
            boolean ended = waiters.stopped() || !isRunning(podUid, id);
            CriLogFile.Chunk next = CriLogFile.readFrom(file, offset);
            offset = next.nextOffset();
            if (!writer.write(next.entries()) || ended) {
                return;
            }
            await(wake);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The command's combined output goes to {@code stdout}; {@code stdin} and {@code tty} are
     * not used yet (the runtime SPI's exec takes no input; interactive exec comes with a streaming
     * exec in the runtime).
     *
     * @throws ApiException.NotFound if the pod does not run on this node
     * @throws ApiException.BadRequest if the container is unknown ({@code container x is not valid
     *     for pod web}) or not running ({@code container not found ("x")})
     */
    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
                    OutputStream stderr, boolean tty) throws IOException {
        PodWorker w = kubelet.workerFor(pod);
        Pod p = w.pod();
        if (PodContainer.of(p).stream().noneMatch(c -> c.name().equals(container))) {
            throw new ApiException.BadRequest("container " + container + " is not valid for pod " + p.getMetadata().getName());
        }
        ContainerInfo running = ctx.runtime().listContainers(Map.of(Labels.POD_UID, w.uid(), Labels.CONTAINER_NAME, container))
                .stream().filter(c -> c.state() == ContainerState.RUNNING).findFirst().orElse(null);
        if (running == null) {
            throw new ApiException.BadRequest("container not found (\"" + container + "\")");
        }
        ExecResult r = await(ctx.runtime().exec(running.id(), command, EXEC_TIMEOUT).toCompletableFuture());
        if (r.timedOut()) {
            throw new ApiException.Internal("command in container " + container + " timed out after " + EXEC_TIMEOUT.toHours() + "h");
        }
        stdout.write(r.output().getBytes(StandardCharsets.UTF_8));
        stdout.flush();
        return r.exitCode();
    }

    private ContainerInfo instance(String podUid, String containerId) {
        String id = containerId.substring(containerId.indexOf("://") + 3);
        return ctx.runtime().listContainers(Map.of(Labels.POD_UID, podUid)).stream()
                .filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    private boolean isRunning(String podUid, String id) {
        return ctx.runtime().listContainers(Map.of(Labels.POD_UID, podUid)).stream()
                .anyMatch(c -> c.id().equals(id) && c.state() == ContainerState.RUNNING);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }
}
