package io.podvisor.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The container runtime SPI: CRI-shaped primitives for pod sandboxes and containers. It knows
 * nothing of pods, restart policies or probes; the kubelet builds all of that on top.
 *
 * <p>Threading: every method may be called from any thread, concurrently for different sandboxes
 * and containers. Synchronous methods are expected to be quick (create/start/remove); anything that
 * waits (stopping with a grace period, exec with a timeout) returns a {@link CompletionStage} that
 * completes on the runtime's own schedule, never blocking the caller.
 *
 * <p>Identity: ids are opaque strings unique for the runtime's lifetime. Labels and annotations are
 * stored verbatim and returned in listings, which is how callers map instances back to their own
 * model.
 */
public interface ContainerRuntime {

    /** The runtime's name as used in container ids shown to users, e.g. {@code runc} in {@code runc://…}. */
    String type();

    /**
     * The runtime's name and version as the Node reports it in
     * {@code status.nodeInfo.containerRuntimeVersion}, e.g. {@code containerd://1.7.2}.
     */
    default String version() {
        return type() + "://0.0.0";
    }

    /**
     * Creates and starts a sandbox (the shared namespaces and network of a group of containers).
     *
     * @throws RuntimeFailure if it cannot be created; nothing of it remains then
     */
    SandboxInfo runSandbox(SandboxConfig config) throws RuntimeFailure;

    /** Stops a sandbox: kills any container still in it and tears its network down. Idempotent. */
    void stopSandbox(String sandboxId);

    /** Removes a stopped sandbox and every container in it. Idempotent. */
    void removeSandbox(String sandboxId);

    /** All sandboxes whose labels contain every entry of {@code labelFilter} (empty = all). */
    List<SandboxInfo> listSandboxes(Map<String, String> labelFilter);

    /**
     * Creates a container in a ready sandbox (state {@link ContainerState#CREATED}).
     *
     * @return the new container's id
     * @throws RuntimeFailure if it cannot be created (bad image, bad config); nothing remains then
     */
    String createContainer(String sandboxId, ContainerConfig config) throws RuntimeFailure;

    /**
     * Starts a created container. On failure the container is left {@link ContainerState#EXITED}
     * with reason {@code StartError} and exit code 128, and the exception says why.
     */
    void startContainer(String containerId) throws RuntimeFailure;

    /**
     * Stops a running container: the stop signal (SIGTERM) to its first process, then SIGKILL once
     * {@code timeout} has passed. The stage completes when the container has exited (at once if it
     * is not running). Calling it again with a shorter timeout shortens the wait.
     */
    CompletionStage<Void> stopContainer(String containerId, Duration timeout);

    /** Removes an exited container and its state. Idempotent. */
    void removeContainer(String containerId);

    /** All containers whose labels contain every entry of {@code labelFilter} (empty = all). */
    List<ContainerInfo> listContainers(Map<String, String> labelFilter);

    /**
     * Runs {@code command} inside a running container. The stage completes with the exit code and
     * combined output, or with {@link ExecResult#timedOut()} once {@code timeout} passes. A zero
     * {@code timeout} is no time limit, as CRI's {@code ExecSync} has it (the kubelet's lifecycle
     * hooks): the command then ends by itself or with its container, whose end kills it (a
     * non-zero exit, never a time-out).
     */
    CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout);

    /**
     * Runs {@code command} inside a running container with its streams connected to {@code io}
     * (for {@code kubectl exec}); the stage completes with the exit code once the command ends and
     * its output has been written. The default runs {@link #exec} with a time-out of four hours
     * and writes the combined output to stdout (input is not read).
     */
    default CompletionStage<Integer> execStreaming(String containerId, List<String> command, ExecStreams io) {
        return exec(containerId, command, Duration.ofHours(4)).thenApply(r -> {
            try {
                io.stdout().write(r.output().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                io.stdout().flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return r.timedOut() ? 124 : r.exitCode();
        });
    }

    /**
     * CPU and memory of a running container (CRI's {@code ContainerStats}); empty when the
     * container is unknown, not running, or the runtime cannot measure it. The default measures
     * nothing.
     */
    default java.util.Optional<ContainerStats> containerStats(String containerId) {
        return java.util.Optional.empty();
    }

    /**
     * CPU and memory of a ready sandbox's pod as a whole (CRI's {@code PodSandboxStats}); empty when
     * unknown or not measured. The default measures nothing.
     */
    default java.util.Optional<ContainerStats> podSandboxStats(String sandboxId) {
        return java.util.Optional.empty();
    }

    /**
     * CPU and memory of the whole node (the root cgroup, as the kubelet's summary reports for the
     * node); empty when not measured. The default measures nothing.
     */
    default java.util.Optional<ContainerStats> nodeStats() {
        return java.util.Optional.empty();
    }

    /**
     * Attaches {@code io} to a running container's streams (CRI {@code Attach}): its output from now
     * on (the terminal's with {@code tty}, else stdout and stderr apart) is copied to {@code io}, and
     * {@code io.stdin()} (if given and the container has an open stdin) is written to the container's
     * stdin; terminal sizes are applied to its terminal. The container's output still reaches its log.
     * When the client's input ends: with {@code stdinOnce} and no tty the container's stdin is closed
     * and the client stays attached, otherwise the attach ends there (containerd's rule). The stage
     * completes when the attach ends, the container's output has ended (it exited) or the client can
     * no longer be written to; it fails with {@link RuntimeFailure} if the container is not running. The default
     * refuses: the runtime cannot attach.
     */
    default CompletionStage<Void> attach(String containerId, ExecStreams io) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new RuntimeFailure("the " + type() + " runtime cannot attach to containers"));
    }

    /**
     * Stops every container and sandbox at once (SIGKILL) and releases what the runtime holds on the
     * host: processes, mounts, cgroups, network namespaces, links, addresses. Called when the node
     * stops; the runtime is unusable afterwards. The default does nothing.
     */
    default void shutdown() {}

    /**
     * Registers a listener told (with the container's new status) whenever a container exits on
     * its own or is killed, so callers need not wait for their next relist (a failed start is not
     * an exit: {@link #startContainer} reports it by its exception). Called from the
     * runtime's threads; the listener must be quick and must not call back synchronously.
     */
    void onContainerExit(java.util.function.Consumer<ContainerInfo> listener);

    /** The listing rule: {@code labels} hold every entry of {@code filter} (an empty filter matches all). */
    static boolean labelsMatch(Map<String, String> labels, Map<String, String> filter) {
        for (Map.Entry<String, String> e : filter.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The runtime's images: presence, pulls, listing and removal (the CRI image service). */
    io.podvisor.runtime.image.ImageService images();

    /** How the host reaches into sandboxes, for HTTP, TCP and gRPC probes. */
    PodNetwork network();
}
