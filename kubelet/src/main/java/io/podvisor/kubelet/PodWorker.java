package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.Times;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.SandboxInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The one worker of one pod (by UID). Every change to the pod, every runtime change, probe result,
 * timer and completion lands here as a request to sync; syncs run one at a time on the pod's key of
 * the {@link io.podvisor.core.KeyedExecutor} and the newest pod object wins. A live pod is also
 * synced again 1 to 1.5 minutes after its last sync (upstream's periodic resync), which refreshes
 * its ConfigMap, Secret, downwardAPI and projected volumes.
 *
 * <pre>
 * state        what a sync does                                   next
 * SYNCING      plan (start / restart / kill containers), publish   TERMINATING when deleted, past
 *                                                                  its deadline, or nothing is left
 *                                                                  to run
 * TERMINATING  stop containers in order within one grace budget    TERMINATED when none runs
 * TERMINATED   publish the final status once; clean up on removal  (end)
 * </pre>
 */
public final class PodWorker {

    enum State { SYNCING, TERMINATING, TERMINATED }

    private static final System.Logger LOG = System.getLogger(PodWorker.class.getName());

    /**
     * How long after a sync a live pod is synced again without a cause (upstream's
     * {@code syncFrequency}), before jitter: what re-reads its API-data volumes.
     */
    static final Duration SYNC_FREQUENCY = Duration.ofMinutes(1);
    /** Upstream's {@code workerResyncIntervalJitterFactor}: the wait is 1 to 1.5 times the period. */
    static final double RESYNC_JITTER = 0.5;

    private final KubeletContext ctx;
    private final String uid;
    /** The failed steps last logged: a pod waiting out the same failure logs it once. */
    private String loggedFailures;
    private final ContainerStarter starter;
    private final HookRunner hooks;
    private volatile Pod pod;
    private volatile boolean updated;
    private volatile ObservedPod lastObserved = ObservedPod.EMPTY;
    private State state = State.SYNCING;
    private boolean queued;
    private boolean removedFromApi;
    private volatile boolean cleanedUp;
    private volatile boolean stopped;
    private Instant startTime;
    private Clock.Timer deadlineTimer;
    private Clock.Timer resyncTimer;
    /** The periodic resync of a live pod (worker thread only). */
    private Clock.Timer periodicTimer;
    private Instant resyncAt;
    private String forcedReason;
    private String forcedMessage;
    private int operationsInFlight;
    /** postStart hooks running (see {@link #postStartBegan}). */
    private int postStartsRunning;
    private Termination termination;
    private volatile List<StepResult> lastSteps = List.of();
    /** The pod object {@link #containers} were read from (their spec hashes cost a JSON encoding). */
    private Pod containersFrom;
    private List<PodContainer> containers = List.of();
    /** Instances this worker killed so that they restart; see {@link #backOffReference}. */
    private final Set<String> killedForRestart = new HashSet<>();
    /** The periodic resync's jitter, seeded by the UID: pods spread out, and every run is the same. */
    private final SplittableRandom jitter;

    PodWorker(KubeletContext ctx, Pod pod) {
        this.ctx = ctx;
        this.uid = pod.getMetadata().getUid();
        this.pod = pod;
        this.hooks = new HookRunner(ctx.runtime(), ctx.clock(), Messages.podDesc(pod));
        this.starter = new ContainerStarter(ctx, this, hooks);
        this.jitter = new SplittableRandom(uid.hashCode());
    }

    // ---- inputs (any thread) ----

    /** A newer version of the pod arrived from the API. */
    void update(Pod newer) {
        Pod older = this.pod;
        this.pod = newer;
        boolean first = !updated;
        updated = true;
        if (first || differsBeyondStatus(older, newer)) {
            requestSync();
        }
    }

    /**
     * Whether an update changes more than the status the kubelet itself writes: its own status
     * writes come back from the API and must not cause a sync (a sync is due on spec, label,
     * annotation or deletion changes, on runtime events and on the worker's own timers).
     */
    static boolean differsBeyondStatus(Pod older, Pod newer) {
        var a = older.getMetadata();
        var b = newer.getMetadata();
        return !java.util.Objects.equals(older.getSpec(), newer.getSpec())
                || !java.util.Objects.equals(a.getLabels(), b.getLabels())
                || !java.util.Objects.equals(a.getAnnotations(), b.getAnnotations())
                || !java.util.Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                || !java.util.Objects.equals(a.getDeletionGracePeriodSeconds(), b.getDeletionGracePeriodSeconds());
    }

    /** The pod is gone from the API. */
    void removed() {
        post(() -> removedFromApi = true);
    }

    /**
     * The kubelet stops: no further sync acts on the runtime or the API (what runs stays running
     * for the runtime's own shutdown), and the pod's probes stop.
     */
    void stop() {
        stopped = true;
        ctx.probes().removePod(uid);
    }

    /** Asks for a sync; coalesces with one already queued. */
    public void requestSync() {
        synchronized (this) {
            if (queued) {
                return;
            }
            queued = true;
        }
        ctx.executor().execute(uid, () -> {
            synchronized (this) {
                queued = false;
            }
            sync();
        });
    }

    /** Runs {@code change} on the pod's key, then syncs. */
    void post(Runnable change) {
        ctx.executor().execute(uid, () -> {
            change.run();
            sync();
        });
    }

    /** Runs {@code task} on the pod's key without a sync. */
    public void execute(Runnable task) {
        ctx.executor().execute(uid, task);
    }

    // ---- read access for probes and the status ----

    public Pod pod() {
        return pod;
    }

    public String uid() {
        return uid;
    }

    /** The runtime's view of this pod right now. */
    public ObservedPod observe() {
        Map<String, String> filter = Map.of(Labels.POD_UID, uid);
        ObservedPod o = new ObservedPod(ctx.runtime().listSandboxes(filter), ctx.runtime().listContainers(filter));
        lastObserved = o;
        return o;
    }

    /**
     * The newest instance of container {@code name} as the runtime holds it right now, or null (for
     * a probe's tick: its sandboxes change only through this worker's syncs, which observe them).
     */
    public ContainerInfo newestInstance(String name) {
        return new ObservedPod(List.of(), ctx.runtime().listContainers(Map.of(Labels.POD_UID, uid))).newest(name);
    }

    /**
     * Whether the last sync observed all of these sandboxes and containers in these states (their
     * {@link ObservedPod#fingerprints}), so a relist that finds them needs no sync of its own.
     */
    boolean lastSaw(java.util.Set<String> fingerprints) {
        return lastObserved.fingerprints().containsAll(fingerprints);
    }

    /** The pod IP of the newest sandbox, or null. */
    public String podIp() {
        List<SandboxInfo> s = lastObserved.sandboxes();
        return s.isEmpty() ? null : s.getFirst().ip();
    }

    /** The phase last published, or null. */
    public String publishedPhase() {
        PodStatus s = ctx.status().last(uid);
        return s == null ? null : s.getPhase();
    }

    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    // ---- the sync ----

    /** How long after a sync that threw the next one runs (upstream's pod worker back-off). */
    static final Duration FAILED_SYNC_BACKOFF = Duration.ofSeconds(10);

    /**
     * One sync. A sync that throws (a spec the node cannot act on) never ends the worker: the failure
     * is logged with the pod's key, recorded as a {@code FailedSync} warning on the pod, and the
     * sync is tried again after {@link #FAILED_SYNC_BACKOFF}, as the kubelet's pod workers do.
     */
    private void sync() {
        try {
            syncOnce();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Error syncing pod " + podKey(pod) + " (podUID " + uid + ")", e);
            try {
                event(null, EventTypes.WARNING, Reasons.FAILED_SYNC, "error syncing pod: " + e);
            } finally {
                resyncAt(ctx.clock().now().plus(FAILED_SYNC_BACKOFF));
            }
        }
    }

    private static String podKey(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    /**
     * Logs the sync's failed steps, in upstream's words, when they differ from those logged last. A
     * container waiting out a back-off is no error, as upstream's kubelet has it: its event says so.
     */
    private void logFailures(Pod p, List<StepResult> steps) {
        String failures = steps.stream()
                .filter(s -> !s.succeeded() && !s.error().equals("CrashLoopBackOff")
                        && !s.error().equals(io.podvisor.kubelet.images.ImageManager.IMAGE_PULL_BACK_OFF))
                .map(s -> "failed to \"" + switch (s.action()) {
                    case "Start" -> "StartContainer";
                    case "CreateSandbox" -> "CreatePodSandbox";
                    default -> s.action();
                } + "\" for \"" + s.target() + "\" with " + s.error() + (s.message() == null ? "" : ": \"" + s.message() + "\""))
                .collect(java.util.stream.Collectors.joining(", "));
        if (!failures.isEmpty() && !failures.equals(loggedFailures)) {
            LOG.log(System.Logger.Level.WARNING, "Error syncing pod, skipping: " + failures + " pod=\"" + podKey(p)
                    + "\" podUID=\"" + uid + "\"");
        }
        loggedFailures = failures.isEmpty() ? null : failures;
    }

    private void syncOnce() {
        if (cleanedUp || stopped) {
            return;
        }
        Pod p = pod;
        List<PodContainer> containers = containersOf(p);
        ObservedPod observed = observe();
        Instant now = ctx.clock().now();
        if (startTime == null) {
            startTime = PreviousStatus.startTime(p, now);
            armActiveDeadline(p);
        }
        boolean deleted = p.getMetadata().getDeletionTimestamp() != null || removedFromApi;
        if (state == State.SYNCING && !deleted && forcedReason == null && deadlineExceeded(p, now)) {
            // the status this sync publishes already says why the pod is stopped
            forcedReason = "DeadlineExceeded";
            forcedMessage = Messages.DEADLINE_EXCEEDED;
        }
        if ((state != State.TERMINATED || !removedFromApi) && !(state == State.SYNCING && postStartsRunning > 0)) {
            // As upstream's kubelet: the status is generated from what the runtime reports before
            // the sync acts; what the sync does shows in the next one (an exit shows as terminated,
            // and only a later sync as waiting with the back-off the failed restart recorded).
            publishStatus(p, containers, observed);
        }
        if (state == State.SYNCING) {
            syncLive(p, containers, observed, now);
        }
        if (state == State.SYNCING && !stopped) {
            schedulePeriodicResync();
        }
        if (state == State.TERMINATING) {
            // syncLive acts on the runtime only while the pod stays SYNCING: observed is current
            if (p.getMetadata().getDeletionTimestamp() != null || removedFromApi) {
                termination.deleted(now.plusSeconds(Math.max(1, deletionGrace(p))));
            }
            if (termination.step(p, containers, observed)) {
                finishTermination(p, containers);
            }
        }
        if (state != State.TERMINATED || !removedFromApi) {
            ctx.probes().ensureWorkers(this, containers);
        }
        if (state == State.TERMINATED && removedFromApi) {
            cleanUp();
        }
    }

    /** The pod's containers, read again only when its spec changed. */
    private List<PodContainer> containersOf(Pod p) {
        if (p != containersFrom && (containersFrom == null || !p.getSpec().equals(containersFrom.getSpec()))) {
            containers = List.copyOf(PodContainer.of(p));
        }
        containersFrom = p;
        return containers;
    }

    private void syncLive(Pod p, List<PodContainer> containers, ObservedPod observed, Instant now) {
        if (p.getMetadata().getDeletionTimestamp() != null || removedFromApi) {
            beginTermination(p, deletionGrace(p), true);
            return;
        }
        if (forcedReason != null) {
            event(null, EventTypes.NORMAL, Reasons.DEADLINE_EXCEEDED, Messages.DEADLINE_EXCEEDED);
            beginTermination(p, specGrace(p), false);
            return;
        }
        if (operationsInFlight > 0) {
            return;
        }
        if (isTerminalPhase(publishedPhase())) {
            // as upstream's kubelet: a pod whose status is terminal is stopped, whatever the plan
            // (a sidecar backing off when the last main container ended is not started again)
            beginTermination(p, specGrace(p), false);
            return;
        }
        PodPlan plan = PodActionPlanner.plan(p, containers, observed, ctx.probes());
        if (plan.killPod()) {
            beginTermination(p, specGrace(p), false);
            return;
        }
        List<StepResult> steps = new ArrayList<>();
        for (PodPlan.Kill k : plan.kills()) {
            killOne(p, k);
            steps.add(StepResult.ok("Kill", k.container().name()));
        }
        if (plan.kills().isEmpty()) {
            starter.execute(p, plan, observed, steps);
        }
        if (!steps.isEmpty()) {
            lastSteps = List.copyOf(steps);
            logFailures(p, steps);
        }
        if (steps.stream().anyMatch(s -> s.action().equals("Start") && s.succeeded())) {
            // the started container shows in the next sync's status, and the next init or main
            // container may be due now
            requestSync();
        }
    }

    /** The steps of the last sync that did something (for diagnostics and tests). */
    public List<StepResult> lastSteps() {
        return lastSteps;
    }

    private void killOne(Pod p, PodPlan.Kill k) {
        event(k.container(), EventTypes.NORMAL, Reasons.KILLING, k.message());
        killedForRestart.add(k.instance().id());
        Duration grace = Duration.ofSeconds(k.graceOverride() != null ? k.graceOverride() : specGrace(p));
        operationsInFlight++;
        Instant began = ctx.clock().now();
        var preStop = k.container().spec().getLifecycle() == null ? null : k.container().spec().getLifecycle().getPreStop();
        Runnable stop = () -> {
            Duration left = grace.minusSeconds(Duration.between(began, ctx.clock().now()).toSeconds());
            ctx.runtime().stopContainer(k.instance().id(), max2s(left))
                    .whenComplete((v, e) -> post(() -> operationsInFlight--));
        };
        if (preStop != null && !grace.isZero()) {
            hooks.runPreStop(preStop, k.container().spec(), k.instance().id(), podIp(), grace,
                            err -> execute(() -> event(k.container(), EventTypes.WARNING, Reasons.FAILED_PRE_STOP_HOOK,
                                    Messages.PRE_STOP_FAILED)))
                    .thenRun(() -> execute(stop));
        } else {
            stop.run();
        }
    }

    /**
     * The exited instance whose finish time the restart back-off of container {@code name} counts
     * from (spec 4.3): normally its newest instance. The first start after this worker killed the
     * newest instance (probe failure, changed definition, unknown state) counts from the instance
     * that had exited before the kill instead, or skips the back-off if none had: upstream kills
     * and restarts in one sync, on the status read before the kill (16.3, 16.4). That is why a
     * liveness restart is immediate unless the previous exit is recent.
     */
    ContainerInfo backOffReference(String name, ObservedPod observed) {
        ContainerInfo newest = observed.newest(name);
        if (newest == null || !killedForRestart.remove(newest.id())) {
            return newest;
        }
        ContainerInfo before = observed.previous(name);
        return before != null && before.state() == ContainerState.EXITED ? before : null;
    }

    static Duration max2s(Duration d) {
        return d.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : d;
    }

    /**
     * A postStart hook began: until it ends (and, when it failed, its container was stopped) the
     * pod's status is not published, as upstream's kubelet runs the hook inside the sync that
     * started the container, so the container is not shown running before its hook completed.
     */
    void postStartBegan() {
        postStartsRunning++;
    }

    void postStartEnded() {
        postStartsRunning--;
    }

    /** Called by asynchronous operations that must finish before the next plan (hooks, kills). */
    void operationStarted() {
        operationsInFlight++;
    }

    void operationFinished() {
        operationsInFlight--;
    }

    private void beginTermination(Pod p, long graceSeconds, boolean deletion) {
        Instant now = ctx.clock().now();
        termination = new Termination(ctx, this, hooks, now.plusSeconds(Math.max(1, graceSeconds)), deletion);
        state = State.TERMINATING;
    }

    private void finishTermination(Pod p, List<PodContainer> containers) {
        for (SandboxInfo s : lastObserved.sandboxes()) {
            ctx.runtime().stopSandbox(s.id());
        }
        state = State.TERMINATED;
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        publishStatus(p, containers, observe()); // the pod's final status, once nothing runs
        if (termination.deletion()) {
            ctx.deleteFinal().accept(p);
        }
    }

    private void cleanUp() {
        cleanedUp = true;
        killedForRestart.clear();
        ctx.probes().removePod(uid);
        for (SandboxInfo s : observe().sandboxes()) {
            ctx.runtime().removeSandbox(s.id());
        }
        LogPaths.delete(LogPaths.podDir(ctx.config(), pod.getMetadata()));
        ctx.volumes().tearDown(uid);
        ctx.messages().forget(uid);
        ctx.reasons().forget(uid);
        ctx.backoff().resetPrefix(uid + "/");
        ctx.images().forget(uid);
        ctx.status().forget(uid);
        if (resyncTimer != null) {
            resyncTimer.cancel();
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
    }

    /**
     * (Re)arms the periodic resync: {@link #SYNC_FREQUENCY} from now, stretched by a random factor
     * in [1, 1 + {@link #RESYNC_JITTER}) as {@code wait.Jitter}; each sync pushes it back, as
     * upstream's work queue does. It syncs only a pod still live then.
     */
    private void schedulePeriodicResync() {
        if (periodicTimer != null) {
            periodicTimer.cancel();
        }
        long millis = SYNC_FREQUENCY.toMillis();
        Duration wait = Duration.ofMillis(millis + (long) (jitter.nextDouble() * RESYNC_JITTER * millis));
        periodicTimer = ctx.clock().schedule(wait, () -> execute(() -> {
            if (state == State.SYNCING && !stopped) {
                requestSync();
            }
        }));
    }

    /** Asks for a sync at {@code at} (keeps only the earliest pending one). */
    void resyncAt(Instant at) {
        if (resyncAt != null && !resyncAt.isAfter(at) && resyncAt.isAfter(ctx.clock().now())) {
            return;
        }
        if (resyncTimer != null) {
            resyncTimer.cancel();
        }
        resyncAt = at;
        resyncTimer = ctx.clock().scheduleAt(at, this::requestSync);
    }

    private void publishStatus(Pod p, List<PodContainer> containers, ObservedPod observed) {
        PodStatus previous = PreviousStatus.of(ctx.status().last(uid), p);
        boolean terminal = state == State.TERMINATED && termination != null && termination.deletion();
        PodStatus s = StatusGenerator.generate(new StatusGenerator.Input(p, containers, observed,
                ctx.probes(), ctx.reasons(), ctx.runtime().type(), ctx.config().nodeIp(), startTime,
                terminal, forcedReason, forcedMessage, previous, ctx.clock().now(),
                ctx.messages().of(uid, observed.containers())));
        triggerUnreadyProbes(s);
        if (ctx.status().publish(p, s) && isTerminalPhase(s.getPhase()) && state == State.SYNCING) {
            // A terminal phase stops the pod: anything still running is stopped.
            requestSync();
        }
    }

    /** 7.2: every started container that is not ready gets an immediate readiness probe. */
    private void triggerUnreadyProbes(PodStatus s) {
        List<ContainerStatus> all = new ArrayList<>(s.getContainerStatuses());
        if (s.getInitContainerStatuses() != null) {
            all.addAll(s.getInitContainerStatuses());
        }
        for (ContainerStatus c : all) {
            if (Boolean.TRUE.equals(c.getStarted()) && !Boolean.TRUE.equals(c.getReady())) {
                ctx.probes().triggerReadiness(uid, c.getName());
            }
        }
    }

    static boolean isTerminalPhase(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private void armActiveDeadline(Pod p) {
        Long ads = p.getSpec().getActiveDeadlineSeconds();
        if (ads != null) {
            deadlineTimer = ctx.clock().scheduleAt(startTime.plusSeconds(ads), this::requestSync);
        }
    }

    private boolean deadlineExceeded(Pod p, Instant now) {
        Long ads = p.getSpec().getActiveDeadlineSeconds();
        return ads != null && startTime != null && !now.isBefore(startTime.plusSeconds(ads));
    }

    static long specGrace(Pod p) {
        Long g = p.getSpec().getTerminationGracePeriodSeconds();
        return g == null ? 30 : g;
    }

    private static long deletionGrace(Pod p) {
        Long g = p.getMetadata().getDeletionGracePeriodSeconds();
        return g == null ? specGrace(p) : g;
    }

    /** Records an event about the pod ({@code c == null}) or one of its containers. */
    public void event(PodContainer c, String type, String reason, String message) {
        Pod p = pod;
        ObjectReferenceBuilder ref = new ObjectReferenceBuilder()
                .withApiVersion("v1").withKind("Pod")
                .withNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                .withUid(uid).withResourceVersion(p.getMetadata().getResourceVersion());
        if (c != null) {
            ref.withFieldPath(c.kind().fieldPath(c.name()));
        }
        ObjectReference involved = ref.build();
        ctx.recorder().record(involved, type, reason, message);
    }

    /** A timestamp for debugging output. */
    @Override
    public String toString() {
        return "PodWorker[" + pod.getMetadata().getName() + " " + state + " since " + Times.format(startTime) + "]";
    }
}
