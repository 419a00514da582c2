package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.EnvResolver;
import io.podvisor.kubelet.images.ImageManager;
import io.podvisor.kubelet.volume.PodVolumes;
import io.podvisor.kubelet.volume.VolumeException;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Executes the volume, sandbox and start steps of a {@link PodPlan} (spec §16.4): the pod's volumes
 * first (a volume that cannot be set up keeps everything waiting), then per start the back-off
 * check, the image ({@link ContainerImages}: present, pulled, or why not), the config
 * ({@link ContainerConfigs}; a failure is {@code CreateContainerConfigError}), create, start and
 * the blocking postStart hook. A failed start of a regular init
 * container ends the sync; other failures are recorded in the reason cache and retried later.
 */
final class ContainerStarter {

    /** How often a container waiting out its back-off is looked at again (the kubelet's retry). */
    static final Duration BACKOFF_RETRY = Duration.ofSeconds(10);

    /** The waiting reason of a container whose config cannot be built. */
    static final String CREATE_CONFIG_ERROR = "CreateContainerConfigError";

    private final KubeletContext ctx;
    private final PodWorker worker;
    private final HookRunner hooks;
    private final ContainerConfigs configs;
    private final ContainerImages images;

    ContainerStarter(KubeletContext ctx, PodWorker worker, HookRunner hooks) {
        this.ctx = ctx;
        this.worker = worker;
        this.hooks = hooks;
        this.configs = new ContainerConfigs(ctx);
        this.images = new ContainerImages(ctx, worker);
    }

    /** Executes the plan's volume, sandbox and start steps, appending one result per step to {@code steps}. */
    void execute(Pod pod, PodPlan plan, ObservedPod observed, java.util.List<StepResult> steps) {
        SandboxInfo sandbox = observed.readySandbox().orElse(null);
        PodVolumes volumes = setUpVolumes(pod, sandbox);
        if (volumes.blocking()) {
            VolumeException first = volumes.failures().getFirst();
            steps.add(new StepResult("MountVolumes", pod.getMetadata().getName(), Reasons.FAILED_MOUNT, first.eventMessage()));
            worker.resyncAt(ctx.clock().now().plus(BACKOFF_RETRY));
            return;
        }
        if (plan.createSandbox()) {
            sandbox = createSandbox(pod, observed);
            steps.add(sandbox != null ? StepResult.ok("CreateSandbox", pod.getMetadata().getName())
                    : new StepResult("CreateSandbox", pod.getMetadata().getName(), "FailedCreatePodSandBox", null));
            if (sandbox == null) {
                return;
            }
        }
        if (!plan.starts().isEmpty()) {
            images.readPullSecrets(pod);
        }
        for (PodContainer c : plan.starts()) {
            StepResult step = start(pod, c, sandbox, observed, volumes);
            steps.add(step);
            boolean started = step.action().equals("Start") && step.succeeded();
            if (!started && c.kind() == ContainerKind.INIT) {
                return;
            }
            if (started && c.spec().getLifecycle() != null && c.spec().getLifecycle().getPostStart() != null) {
                return; // the postStart hook blocks the next start; its completion syncs again
            }
        }
    }

    /**
     * Sets up or refreshes the pod's volumes (every sync of a live pod); each failure is a
     * {@code FailedMount} event. A volume that never came up blocks the pod's containers.
     */
    private PodVolumes setUpVolumes(Pod pod, SandboxInfo sandbox) {
        PodVolumes volumes = ctx.volumes().setUp(configs.fieldRefs(pod, sandbox == null ? null : sandbox.ip()),
                ResourceConfigs.podMemoryLimit(pod.getSpec()), ctx.allocatable().memoryBytes());
        for (VolumeException f : volumes.failures()) {
            worker.event(null, EventTypes.WARNING, Reasons.FAILED_MOUNT, f.eventMessage());
        }
        return volumes;
    }

    private SandboxInfo createSandbox(Pod pod, ObservedPod observed) {
        if (!observed.sandboxes().isEmpty()) {
            worker.event(null, EventTypes.NORMAL, Reasons.SANDBOX_CHANGED, "Pod sandbox changed, it will be killed and re-created.");
            for (SandboxInfo old : observed.sandboxes()) {
                ctx.runtime().stopSandbox(old.id());
            }
            purgeInitContainers(pod, observed);
        }
        var meta = pod.getMetadata();
        Map<String, String> labels = Map.of(Labels.POD_UID, meta.getUid(), Labels.POD_NAME, meta.getName(),
                Labels.POD_NAMESPACE, meta.getNamespace());
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        java.nio.file.Path dir = LogPaths.podDir(ctx.config(), meta);
        String logDir = dir == null ? "" : dir.toString();
        LogPaths.createDirectory(dir);
        try {
            return ctx.runtime().runSandbox(new SandboxConfig(meta.getName(), meta.getName(), hostNetwork,
                    labels, Map.of(), logDir, meta.getUid(), ResourceConfigs.pod(pod.getSpec())));
        } catch (RuntimeFailure e) {
            worker.event(null, EventTypes.WARNING, Reasons.FAILED_CREATE_POD_SANDBOX, "Failed to create pod sandbox: " + e.getMessage());
            worker.resyncAt(ctx.clock().now().plus(BACKOFF_RETRY));
            return null;
        }
    }

    /**
     * Starts one container: {@code Start} without error if it started, with the waiting reason if
     * not (back-off, image, config, create or start failure), or {@code PullImage} while its image
     * is being pulled.
     */
    private StepResult start(Pod pod, PodContainer c, SandboxInfo sandbox, ObservedPod observed, PodVolumes volumes) {
        String uid = pod.getMetadata().getUid();
        ContainerInfo last = observed.newest(c.name());
        String key = uid + "/" + c.name() + "/" + c.hash();
        ContainerInfo since = worker.backOffReference(c.name(), observed);
        Instant exitedAt = since != null && since.state() == ContainerState.EXITED ? since.finishedAt() : null;
        if (exitedAt != null && inCrashBackOff(pod, c, key, exitedAt)) {
            return failed(uid, c);
        }
        ImageManager.Decision image = images.ensure(pod, c);
        if (!(image instanceof ImageManager.Ready ready)) {
            return image instanceof ImageManager.Pulling ? StepResult.ok("PullImage", c.name()) : failed(uid, c);
        }
        if (exitedAt != null) {
            ctx.backoff().next(key, exitedAt); // counted once the image is there (a pull may take several syncs)
        }
        int attempt = last == null ? LogPaths.restartCountFromLogs(ctx.config(), pod.getMetadata(), c.name())
                : ObservedPod.restartCount(last) + 1;
        removeOlderInstances(observed, c.name());
        String id;
        try {
            ContainerConfigs.Built built = configs.build(pod, c, attempt, sandbox.ip(), volumes, ready.imageRef());
            built.warnings().forEach(w -> worker.event(null, EventTypes.WARNING, EnvResolver.INVALID_NAMES_REASON, w));
            id = ctx.runtime().createContainer(sandbox.id(), built.config());
        } catch (ConfigException e) {
            return createFailed(c, uid, CREATE_CONFIG_ERROR, e.getMessage());
        } catch (RuntimeFailure e) {
            return createFailed(c, uid, e.isConfigError() ? CREATE_CONFIG_ERROR : "CreateContainerError", e.getMessage());
        }
        worker.event(c, EventTypes.NORMAL, Reasons.CREATED, Messages.created(c.name()));
        try {
            ctx.runtime().startContainer(id);
        } catch (RuntimeFailure e) {
            ctx.reasons().put(uid, c.name(), "RunContainerError", e.getMessage());
            worker.event(c, EventTypes.WARNING, Reasons.FAILED, "Error: " + e.getMessage());
            worker.resyncAt(ctx.clock().now().plus(BACKOFF_RETRY));
            return failed(uid, c);
        }
        ctx.reasons().clear(uid, c.name());
        worker.event(c, EventTypes.NORMAL, Reasons.STARTED, Messages.started(c.name()));
        if (c.spec().getLifecycle() != null && c.spec().getLifecycle().getPostStart() != null) {
            runPostStart(pod, c, id, sandbox.ip());
        }
        return StepResult.ok("Start", c.name());
    }

    /** Whether {@code c}, which exited at {@code exitedAt}, waits out its restart back-off (CrashLoopBackOff). */
    private boolean inCrashBackOff(Pod pod, PodContainer c, String key, Instant exitedAt) {
        if (!ctx.backoff().isInBackOffSince(key, exitedAt)) {
            return false;
        }
        Duration delay = ctx.backoff().delay(key);
        ctx.reasons().put(pod.getMetadata().getUid(), c.name(), "CrashLoopBackOff", Messages.crashLoopBackOff(delay, c.name(), pod));
        worker.event(c, EventTypes.WARNING, Reasons.BACK_OFF, Messages.backOffEvent(c.name(), pod));
        Instant release = ctx.backoff().releaseTime(key, exitedAt);
        Instant retry = ctx.clock().now().plus(BACKOFF_RETRY);
        worker.resyncAt(release.isBefore(retry) ? release : retry);
        return true;
    }

    /** The failed {@code Start} step of {@code c}, with the waiting reason just recorded. */
    private StepResult failed(String uid, PodContainer c) {
        ReasonCache.Entry why = ctx.reasons().get(uid, c.name());
        return why == null ? new StepResult("Start", c.name(), "Unknown", null)
                : new StepResult("Start", c.name(), why.reason(), why.message());
    }

    /**
     * Runs the postStart hook of the container just started as {@code id}; an {@code httpGet}
     * without a host goes to {@code podIp}, the IP of the sandbox it started in (upstream reads the
     * pod's IP from the runtime for each hook: the worker's last observation may predate the sandbox).
     */
    private void runPostStart(Pod pod, PodContainer c, String id, String podIp) {
        worker.operationStarted();
        worker.postStartBegan();
        Duration timeout = Duration.ofSeconds(PodWorker.specGrace(pod));
        hooks.run(c.spec().getLifecycle().getPostStart(), c.spec(), id, podIp, timeout)
                .whenComplete((err, e) -> worker.post(() -> {
                    worker.operationFinished();
                    if (err != null) {
                        worker.event(c, EventTypes.WARNING, Reasons.FAILED_POST_START_HOOK, Messages.POST_START_FAILED);
                        ctx.reasons().put(pod.getMetadata().getUid(), c.name(), "PostStartHookError", err);
                        worker.event(c, EventTypes.NORMAL, Reasons.KILLING, "FailedPostStartHook");
                        worker.operationStarted();
                        ctx.runtime().stopContainer(id, PodWorker.max2s(timeout))
                                .whenComplete((v, x) -> worker.post(() -> {
                                    worker.operationFinished();
                                    worker.postStartEnded();
                                }));
                    } else {
                        worker.postStartEnded();
                    }
                }));
    }

    /** Keeps only the newest dead instance of a container (it becomes lastState). */
    private void removeOlderInstances(ObservedPod observed, String name) {
        List<ContainerInfo> all = observed.instances(name);
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).state() != ContainerState.RUNNING) {
                remove(all.get(i));
            }
        }
    }

    /**
     * Before a new sandbox: removes every instance of the pod's init containers (sidecars included)
     * with its log, as upstream's {@code purgeInitContainers} does, so initialization runs again from
     * the start; the instances' restart counts were read before (the new ones count on from them).
     */
    private void purgeInitContainers(Pod pod, ObservedPod observed) {
        for (var c : pod.getSpec().getInitContainers()) {
            observed.instances(c.getName()).forEach(this::remove); // the sandbox's stop ended them
        }
    }

    /** Removes a dead instance with its log file and termination message file (upstream's {@code removeContainer}). */
    private void remove(ContainerInfo instance) {
        ctx.runtime().removeContainer(instance.id());
        LogPaths.delete(LogPaths.of(ctx.config(), instance));
        String message = instance.annotations().get(Labels.TERMINATION_MESSAGE_FILE);
        LogPaths.delete(message == null ? null : java.nio.file.Path.of(message));
    }

    private StepResult createFailed(PodContainer c, String uid, String reason, String message) {
        ctx.reasons().put(uid, c.name(), reason, message);
        worker.event(c, EventTypes.WARNING, Reasons.FAILED, "Error: " + message);
        worker.resyncAt(ctx.clock().now().plus(BACKOFF_RETRY));
        return failed(uid, c);
    }
}
