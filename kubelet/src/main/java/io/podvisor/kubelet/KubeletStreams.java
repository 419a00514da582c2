package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.logs.CriLogFile;
import io.podvisor.kubelet.logs.CriLogFollower;
import io.podvisor.kubelet.logs.LogTarget;
import io.podvisor.kubelet.logs.LogWaiters;
import io.podvisor.kubelet.logs.LogWriter;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.core.TerminalSizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
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
        if (!options.follow()) {
            writer.write(LogWriter.tail(CriLogFile.readFrom(file, 0).entries(), options.tailLines()));
            return;
        }
        if (file == null) {
            return;
        }
        try (CriLogFollower follower = new CriLogFollower(file, 0)) {
            if (writer.write(LogWriter.tail(follower.poll(), options.tailLines()))) {
                follow(writer, follower, w.uid(), instance.id());
            }
        }
    }

    /** Writes new records until the instance has ended; survives the runtime rotating the file. */
    private void follow(LogWriter writer, CriLogFollower follower, String podUid, String id) throws IOException {
        while (true) {
            CompletableFuture<Void> wake = waiters.next();
            boolean ended = waiters.stopped() || !isRunning(podUid, id);
            if (!writer.write(follower.poll()) || ended) {
                return;
            }
            await(wake);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The streams reach the runtime's streaming exec as they are: input is read as the client
     * sends it, output is written as the command produces it.
     *
     * @throws ApiException.NotFound if the pod does not run on this node
     * @throws ApiException.BadRequest if the container is unknown ({@code container x is not valid
     *     for pod web}) or not running ({@code container not found ("x")})
     */
    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
                    OutputStream stderr, boolean tty) throws IOException {
        return exec(pod, container, command, stdin, stdout, stderr, tty, new TerminalSizes());
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
                    OutputStream stderr, boolean tty, TerminalSizes sizes) throws IOException {
        ContainerInfo running = runningInstance(pod, container);
        ExecStreams io = new ExecStreams(stdin, stdout, stderr, tty, sizes);
        return await(ctx.runtime().execStreaming(running.id(), command, io).toCompletableFuture());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Whether the streams are a terminal's is the container spec's {@code tty}, as upstream's
     * kubelet takes it; input reaches the container only if its spec has {@code stdin: true}.
     *
     * @throws ApiException.NotFound if the pod does not run on this node
     * @throws ApiException.BadRequest if the container is unknown or not running (as for exec)
     */
    @Override
    public void attach(Pod pod, String container, InputStream stdin, OutputStream stdout, OutputStream stderr,
                       TerminalSizes sizes) throws IOException {
        ContainerInfo running = runningInstance(pod, container);
        boolean tty = PodContainer.of(kubelet.workerFor(pod).pod()).stream().filter(c -> c.name().equals(container))
                .anyMatch(c -> Boolean.TRUE.equals(c.spec().getTty()));
        ExecStreams io = new ExecStreams(stdin, stdout, stderr, tty, sizes);
        await(ctx.runtime().attach(running.id(), io).toCompletableFuture());
    }

    /** The running instance of the pod's {@code container}, or upstream's refusal. */
    private ContainerInfo runningInstance(Pod pod, String container) {
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
        return running;
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
