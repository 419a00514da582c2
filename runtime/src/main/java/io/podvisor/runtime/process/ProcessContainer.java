package io.podvisor.runtime.process;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.io.ContainerStdio;
import io.podvisor.runtime.io.CriLogWriter;
import io.podvisor.runtime.io.PipeReaders;
import io.podvisor.runtime.linux.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One container instance of the {@link ProcessRuntime}: a host process group, its log pumps, its
 * cgroup (if any) and its lifecycle.
 *
 * <pre>
 * CREATED --start--> RUNNING --first process exits--> EXITED (Completed / Error / OOMKilled)
 * CREATED --start fails--> EXITED (StartError, 128)
 * </pre>
 *
 * <p>The instance is over when its first process is: what is left of its group (and cgroup) is
 * killed then, as a PID namespace's members die with its init. Thread-safe: state is guarded by
 * the instance's lock; listeners and host commands run outside it.
 */
final class ProcessContainer {

    /** How long output may still arrive after the first process ended before the exit is reported. */
    static final Duration DRAIN = Duration.ofSeconds(2);

    private final ProcessRuntime runtime;
    final String id;
    final String sandboxId;
    final ContainerConfig config;
    final Instant createdAt;
    final Path workDir;
    final Map<String, String> env;
    private final List<String> command;
    private final String podCgroup;
    private final Set<Process> execs = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();

    private ContainerState state = ContainerState.CREATED;
    private Instant startedAt;
    private Instant finishedAt;
    private int exitCode;
    private String reason;
    private String message;
    private Process process;
    private String cgroup;
    private CriLogWriter log;
    /** Its stdio for attached clients, once it runs (a pipe for stdin; never a terminal). */
    volatile ContainerStdio stdio;
    private Clock.Timer killTimer;
    private Instant killAt;
    private boolean termSent;

    ProcessContainer(ProcessRuntime runtime, String id, String sandboxId, ContainerConfig config, Instant createdAt,
                     Path workDir, List<String> command, String podCgroup) {
        this.runtime = runtime;
        this.id = id;
        this.sandboxId = sandboxId;
        this.config = config;
        this.createdAt = createdAt;
        this.workDir = workDir;
        this.env = ConfigCheck.env(config);
        this.command = List.copyOf(command);
        this.podCgroup = podCgroup;
    }

    synchronized ContainerState state() {
        return state;
    }

    /** The cgroup processes of this container join (null without cgroups); fixed once started. */
    synchronized String cgroup() {
        return cgroup;
    }

    /** Starts the first process; on failure the instance is EXITED with StartError. */
    synchronized void start() throws RuntimeFailure {
        if (state != ContainerState.CREATED) {
            throw new RuntimeFailure("container " + id + " is not in created state");
        }
        try {
            List<String> argv = new ArrayList<>(command);
            try {
                argv.set(0, Launcher.resolve(command.getFirst(), env.get("PATH"), workDir));
            } catch (RuntimeFailure e) {
                throw new RuntimeFailure(Launcher.startFailed(e.getMessage()));
            }
            if (podCgroup != null) {
                cgroup = runtime.cgroups().createContainer(podCgroup, id, config.resources());
            }
            log = config.logPath().isEmpty() ? null : new CriLogWriter(Path.of(config.logPath()), runtime.clock());
            process = runtime.launch(argv, env, workDir, cgroup, false, config.stdio().stdin());
        } catch (RuntimeFailure | IOException e) {
            if (log != null) {
                log.close();
            }
            removeCgroup();
            failStart(e.getMessage());
            throw e instanceof RuntimeFailure f ? f : new RuntimeFailure(e.getMessage(), e);
        }
        state = ContainerState.RUNNING;
        startedAt = runtime.clock().now();
        stdio = new ContainerStdio(config.stdio(), config.stdio().stdin() ? process.getOutputStream() : null, null);
        ContainerStdio.Tap tap = stdio.tap();
        InputStream out = ContainerStdio.tapped(process.getInputStream(), CriLog.Stream.STDOUT, tap);
        InputStream err = ContainerStdio.tapped(process.getErrorStream(), CriLog.Stream.STDERR, tap);
        CompletableFuture<Void> read = log == null ? discard(out, err)
                : CompletableFuture.allOf(log.pump(out, CriLog.Stream.STDOUT), log.pump(err, CriLog.Stream.STDERR));
        read.whenComplete((v, e) -> tap.end()); // attached clients are done once the output has ended
        CompletableFuture<Void> pumps = log == null ? CompletableFuture.completedFuture(null) : read;
        Process p = process;
        HostCommand.exitOf(p).thenRunAsync(() -> exited(p, pumps), runtime.executor());
    }

    /** Reads and drops both streams; completes once both ended (the exit does not wait for it). */
    private static CompletableFuture<Void> discard(InputStream out, InputStream err) {
        List<CompletableFuture<Void>> ended = new java.util.ArrayList<>();
        for (var in : List.of(out, err)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ended.add(done);
            PipeReaders.start("discard", () -> {
                try (in) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    done.complete(null);
                }
            });
        }
        return CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new));
    }

    private void failStart(String why) {
        state = ContainerState.EXITED;
        exitCode = 128;
        reason = "StartError";
        message = why;
        finishedAt = runtime.clock().now();
    }

    /** The first process ended: kill what is left of the group, let output drain, then report. */
    private void exited(Process p, CompletableFuture<Void> pumps) {
        runtime.launcher().signal(p.toHandle(), "KILL");
        execs.forEach(e -> runtime.launcher().signal(e.toHandle(), "KILL"));
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Clock.Timer bound = runtime.clock().schedule(DRAIN, () -> drained.complete(null));
        pumps.thenRun(() -> drained.complete(null));
        drained.thenRunAsync(() -> {
            bound.cancel();
            finish(p.exitValue());
        }, runtime.executor());
    }

    private void finish(int code) {
        String c = cgroup();
        boolean oom = c != null && runtime.cgroups().oomKills(c) > 0;
        removeCgroup();
        List<CompletableFuture<Void>> waiters;
        ContainerInfo info;
        synchronized (this) {
            state = ContainerState.EXITED;
            exitCode = code;
            reason = oom ? "OOMKilled" : code == 0 ? "Completed" : "Error";
            finishedAt = runtime.clock().now();
            if (killTimer != null) {
                killTimer.cancel();
            }
            if (log != null) {
                log.close();
            }
            waiters = new ArrayList<>(stopWaiters);
            stopWaiters.clear();
            info = info();
        }
        waiters.forEach(w -> w.complete(null));
        runtime.exited(info);
    }

    private void removeCgroup() {
        String c = cgroup();
        if (c != null) {
            runtime.cgroups().remove(c);
        }
    }

    /**
     * SIGTERM to the group now (once), SIGKILL when {@code timeout} has passed (a later call with a
     * shorter timeout moves that earlier); completes when the instance has exited.
     */
    CompletableFuture<Void> stop(Duration timeout) {
        boolean term;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Process p;
        synchronized (this) {
            if (state != ContainerState.RUNNING) {
                return CompletableFuture.completedFuture(null);
            }
            p = process;
            stopWaiters.add(done);
            Instant at = runtime.clock().now().plus(timeout);
            if (killAt == null || at.isBefore(killAt)) {
                if (killTimer != null) {
                    killTimer.cancel();
                }
                killAt = at;
                killTimer = runtime.clock().schedule(timeout,
                        () -> runtime.executor().execute(() -> runtime.launcher().signal(p.toHandle(), "KILL")));
            }
            term = !termSent && timeout.isPositive();
            termSent = true;
        }
        if (term) {
            runtime.executor().execute(() -> runtime.launcher().signal(p.toHandle(), "TERM"));
        }
        return done;
    }

    /** SIGKILL to the group at once (sandbox stop, shutdown); the exit is reported as usual. */
    CompletableFuture<Void> kill() {
        CompletableFuture<Void> done;
        Process p;
        synchronized (this) {
            if (state != ContainerState.RUNNING) {
                return CompletableFuture.completedFuture(null);
            }
            p = process;
            done = new CompletableFuture<>();
            stopWaiters.add(done);
        }
        runtime.launcher().signal(p.toHandle(), "KILL");
        return done;
    }

    /** Tracks an exec process so it dies with the container. */
    void execStarted(Process p) {
        execs.add(p);
        HostCommand.exitOf(p).thenRun(() -> execs.remove(p));
    }

    synchronized ContainerInfo info() {
        return new ContainerInfo(id, sandboxId, config.name(), config.attempt(), config.image(), "", state, createdAt,
                startedAt, finishedAt, exitCode, reason, message, config.labels(), config.annotations());
    }
}
