package io.podvisor.kubelet.harness;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.runtime.PodNetwork;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import io.podvisor.runtime.fake.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The {@link FakeRuntime} as the kubelet sees it, plus a record of every sandbox and container
 * config it was given (the fake ignores mounts, resources and security), a scriptable refusal of
 * container configs, and a streaming exec that can run a test's handler on the real streams.
 */
public final class RecordingRuntime implements ContainerRuntime {

    /** What a streaming exec does with its streams; returns the exit code. */
    @FunctionalInterface
    public interface ExecHandler {
        int run(List<String> command, ExecStreams io) throws IOException;
    }

    private final FakeRuntime fake;
    private final List<ContainerConfig> containers = new ArrayList<>();
    private final List<SandboxConfig> sandboxes = new ArrayList<>();
    private final List<String> execs = new ArrayList<>();
    private volatile ExecHandler execHandler;
    private volatile String refuseConfig;

    public RecordingRuntime(FakeRuntime fake) {
        this.fake = fake;
    }

    /** Every container config passed to {@link #createContainer}, oldest first. */
    public synchronized List<ContainerConfig> containerConfigs() {
        return List.copyOf(containers);
    }

    /** The newest config of container {@code name}. */
    public synchronized ContainerConfig lastConfig(String name) {
        return containers.reversed().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " was created"));
    }

    public synchronized List<SandboxConfig> sandboxConfigs() {
        return List.copyOf(sandboxes);
    }

    /** Streaming execs as {@code "<command> | tty=<b>"}. */
    public synchronized List<String> execs() {
        return List.copyOf(execs);
    }

    /** Runs streaming execs through {@code handler} instead of the fake's scripted (buffered) exec. */
    public void onExec(ExecHandler handler) {
        this.execHandler = handler;
    }

    /** Makes the next creates fail with a config error (null: accept again). */
    public void refuseConfig(String message) {
        this.refuseConfig = message;
    }

    @Override
    public String type() {
        return fake.type();
    }

    @Override
    public String version() {
        return fake.version();
    }

    @Override
    public SandboxInfo runSandbox(SandboxConfig config) throws RuntimeFailure {
        synchronized (this) {
            sandboxes.add(config);
        }
        return fake.runSandbox(config);
    }

    @Override
    public void stopSandbox(String sandboxId) {
        fake.stopSandbox(sandboxId);
    }

    @Override
    public void removeSandbox(String sandboxId) {
        fake.removeSandbox(sandboxId);
    }

    @Override
    public List<SandboxInfo> listSandboxes(Map<String, String> labelFilter) {
        return fake.listSandboxes(labelFilter);
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) throws RuntimeFailure {
        synchronized (this) {
            containers.add(config);
        }
        String refuse = refuseConfig;
        if (refuse != null) {
            throw RuntimeFailure.configError(refuse);
        }
        return fake.createContainer(sandboxId, config);
    }

    @Override
    public void startContainer(String containerId) throws RuntimeFailure {
        fake.startContainer(containerId);
    }

    @Override
    public CompletionStage<Void> stopContainer(String containerId, Duration timeout) {
        return fake.stopContainer(containerId, timeout);
    }

    @Override
    public void removeContainer(String containerId) {
        fake.removeContainer(containerId);
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labelFilter) {
        return fake.listContainers(labelFilter);
    }

    @Override
    public CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
        return fake.exec(containerId, command, timeout);
    }

    @Override
    public CompletionStage<Void> attach(String containerId, ExecStreams io) {
        return fake.attach(containerId, io);
    }

    @Override
    public CompletionStage<Integer> execStreaming(String containerId, List<String> command, ExecStreams io) {
        synchronized (this) {
            execs.add(String.join(" ", command) + " | tty=" + io.tty());
        }
        ExecHandler handler = execHandler;
        if (handler == null) {
            return fake.execStreaming(containerId, command, io);
        }
        try {
            int code = handler.run(command, io);
            io.stdout().flush();
            return CompletableFuture.completedFuture(code);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
    }

    @Override
    public void onContainerExit(Consumer<ContainerInfo> listener) {
        fake.onContainerExit(listener);
    }

    @Override
    public io.podvisor.runtime.image.ImageService images() {
        return fake.images();
    }

    @Override
    public PodNetwork network() {
        return fake.network();
    }

    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> containerStats(String containerId) {
        return fake.containerStats(containerId);
    }

    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> podSandboxStats(String sandboxId) {
        return fake.podSandboxStats(sandboxId);
    }

    @Override
    public java.util.Optional<io.podvisor.runtime.ContainerStats> nodeStats() {
        return fake.nodeStats();
    }
}
