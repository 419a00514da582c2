package io.podvisor.runtime.fake;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One scripted container instance of {@link FakeRuntime}. Guarded by the runtime's lock. */
final class FakeContainer {

    final FakeRuntime runtime;
    final String id;
    final String sandboxId;
    final String name;
    final ContainerConfig config;
    /** The image's reference as {@code imageID} shows it; empty when the image was not present. */
    final String imageRef;
    final ContainerScript script;
    final Instant createdAt;
    ContainerState state = ContainerState.CREATED;
    Instant startedAt;
    Instant finishedAt;
    int exitCode;
    String reason;
    String message;
    private final List<Clock.Timer> timers = new ArrayList<>();
    private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();
    private Clock.Timer killTimer;
    private Instant killAt;
    /** Execs still running; the container's end kills them. */
    private final List<RunningExec> execs = new ArrayList<>();

    private record RunningExec(List<String> command, CompletableFuture<ExecResult> result) {}

    FakeContainer(FakeRuntime runtime, String id, String sandboxId, ContainerConfig config, String imageRef,
                  ContainerScript script, Instant createdAt) {
        this.runtime = runtime;
        this.id = id;
        this.sandboxId = sandboxId;
        this.name = config.name();
        this.config = config;
        this.imageRef = imageRef;
        this.script = script;
        this.createdAt = createdAt;
    }

    /** Its stdio for attached clients, while it runs. */
    io.podvisor.runtime.io.ContainerStdio stdio;
    private io.podvisor.runtime.io.ContainerStdio.Tap tap;

    void start(Instant now) {
        state = ContainerState.RUNNING;
        startedAt = now;
        Clock clock = runtime.clock();
        boolean openStdin = config.stdio().stdin() && script.catStdin;
        stdio = new io.podvisor.runtime.io.ContainerStdio(config.stdio(), openStdin ? new CatInput() : null,
                config.stdio().tty() ? size -> {
                    synchronized (runtime) {
                        runtime.record("resize " + name + " " + size.width() + "x" + size.height());
                    }
                } : null);
        tap = stdio.tap();
        if (script.catStdin && !openStdin) {
            timers.add(clock.schedule(Duration.ZERO, () -> exitFromScript(0, null))); // cat read end-of-file
        } else if (openStdin) {
            watchStdin(clock);
        }
        for (ContainerScript.OutputLine line : script.output) {
            if (line.at().isZero() || line.at().isNegative()) {
                write(line);
            } else {
                timers.add(clock.schedule(line.at(), () -> {
                    synchronized (runtime) {
                        if (state == ContainerState.RUNNING) {
                            write(line);
                        }
                    }
                }));
            }
        }
        if (script.exitAfter != null) {
            timers.add(clock.schedule(script.exitAfter, () -> exitFromScript(script.exitCode, null)));
        }
        if (script.oomAfter != null) {
            timers.add(clock.schedule(script.oomAfter, () -> exitFromScript(137, "OOMKilled")));
        }
    }

    private void write(ContainerScript.OutputLine line) {
        CriLog.append(config.logPath(), runtime.clock().now(), line.stream(), line.text());
        byte[] bytes = (line.text() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tap.write(line.stream(), bytes, bytes.length);
    }

    /** The open stdin of a {@link ContainerScript#catStdin} container: echoed; its end exits the container. */
    private final class CatInput extends java.io.OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (runtime) {
                if (state == ContainerState.RUNNING) {
                    String text = new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8);
                    for (String line : text.split("\n")) {
                        FakeContainer.this.write(new ContainerScript.OutputLine(Duration.ZERO, CriLog.Stream.STDOUT, line));
                    }
                }
            }
        }

        @Override
        public void close() {
            synchronized (runtime) {
                if (state == ContainerState.RUNNING) {
                    runtime.record("stdin closed " + name);
                }
                stdinEnded = true;
            }
        }
    }

    /** Set by a client's thread; the clock's thread (every second) ends the container once it is. */
    private volatile boolean stdinEnded;

    private void watchStdin(Clock clock) {
        timers.add(clock.schedule(Duration.ofSeconds(1), () -> {
            if (stdinEnded) {
                exitFromScript(0, null);
            } else {
                synchronized (runtime) {
                    if (state == ContainerState.RUNNING) {
                        watchStdin(clock);
                    }
                }
            }
        }));
    }

    private void exitFromScript(int code, String why) {
        synchronized (runtime) {
            if (state == ContainerState.RUNNING) {
                runtime.record((why != null ? "oom-kill " : "exit ") + name + " code " + code);
                exit(code, why != null ? why : (code == 0 ? "Completed" : "Error"), runtime.clock().now());
            }
        }
    }

    CompletionStage<Void> stop(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopWaiters.add(done);
        Clock clock = runtime.clock();
        Instant now = clock.now();
        Instant newKillAt = now.plus(timeout);
        if (killAt == null || newKillAt.isBefore(killAt)) {
            if (killTimer != null) {
                killTimer.cancel();
            }
            killAt = newKillAt;
            killTimer = clock.schedule(timeout, () -> {
                synchronized (runtime) {
                    if (state == ContainerState.RUNNING) {
                        runtime.record("SIGKILL " + name);
                        exit(137, "Error", runtime.clock().now());
                    }
                }
            });
        }
        switch (script.onSigterm) {
            case ContainerScript.DieOnSigterm d -> exit(143, "Error", now);
            case ContainerScript.IgnoreSigterm i -> { }
            case ContainerScript.ExitAfterSigterm e -> {
                if (e.delay().isZero()) {
                    exit(e.code(), e.code() == 0 ? "Completed" : "Error", now);
                } else {
                    timers.add(clock.schedule(e.delay(), () -> exitFromScript(e.code(), null)));
                }
            }
        }
        return done;
    }

    /** A failed start: exited with StartError (128). The caller learns it from the exception; no exit is reported. */
    void failStart(String why, Instant now) {
        state = ContainerState.EXITED;
        exitCode = 128;
        reason = "StartError";
        message = why;
        finishedAt = now;
    }

    void exit(int code, String why, Instant now) {
        if (state == ContainerState.EXITED) {
            return;
        }
        end(code, why, now);
        runtime.exited(this);
    }

    /** The host went down under it: nothing it was scripted to do happens any more (its state stays). */
    void halt() {
        timers.forEach(Clock.Timer::cancel);
        timers.clear();
        if (killTimer != null) {
            killTimer.cancel();
        }
    }

    /**
     * Found gone when the runtime starts again after the host went down: exited with containerd's
     * unknown exit code and reason at {@code now}; no exit is reported.
     */
    void lost(Instant now) {
        end(io.podvisor.runtime.InstanceRecords.UNKNOWN_EXIT_CODE, io.podvisor.runtime.InstanceRecords.UNKNOWN_REASON, now);
    }

    private void end(int code, String why, Instant now) {
        state = ContainerState.EXITED;
        if (tap != null) {
            tap.end();
        }
        exitCode = code;
        reason = why;
        finishedAt = now;
        halt();
        List<CompletableFuture<Void>> waiters = new ArrayList<>(stopWaiters);
        stopWaiters.clear();
        waiters.forEach(f -> f.complete(null));
        List<RunningExec> killed = new ArrayList<>(execs);
        execs.clear();
        for (RunningExec e : killed) {
            if (!e.result().isDone()) {
                runtime.record("exec killed " + name + " (" + String.join(" ", e.command()) + ")");
                e.result().complete(ExecResult.exited(137, ""));
            }
        }
    }

    /** An exec as the script answers it; a zero {@code timeout} is none (it then ends at the latest with the container). */
    CompletionStage<ExecResult> exec(List<String> command, Duration timeout) {
        Duration since = Duration.between(startedAt, runtime.clock().now());
        boolean limited = !timeout.isZero();
        for (ContainerScript.ExecRule rule : script.execRules) {
            if (rule.matches().test(command)) {
                CompletableFuture<ExecResult> f = new CompletableFuture<>();
                boolean endsBefore = rule.delay() != null && (!limited || rule.delay().compareTo(timeout) < 0);
                if (!endsBefore) {
                    if (limited) {
                        runtime.clock().schedule(timeout, () -> f.complete(ExecResult.timeout()));
                    }
                } else if (rule.delay().isZero()) {
                    f.complete(rule.result().apply(since, command));
                } else {
                    ExecResult r = rule.result().apply(since, command);
                    runtime.clock().schedule(rule.delay(), () -> f.complete(r));
                }
                if (!f.isDone()) {
                    execs.removeIf(e -> e.result().isDone());
                    execs.add(new RunningExec(List.copyOf(command), f));
                }
                return f;
            }
        }
        return CompletableFuture.completedFuture(ExecResult.exited(0, ""));
    }

    boolean listens(int port, Instant now) {
        var open = script.tcpOpen.get(port);
        return open != null && startedAt != null && open.apply(Duration.between(startedAt, now));
    }

    Duration sinceStart() {
        return Duration.between(startedAt, runtime.clock().now());
    }

    /** The scripted usage at {@code now}: CPU at the scripted rate since start, memory as scripted. */
    io.podvisor.runtime.ContainerStats stats(Instant now) {
        Duration up = Duration.between(startedAt, now);
        long cpu = Math.multiplyExact(up.toNanos(), script.cpuMillicores) / 1000;
        long workingSet = script.memoryBytes.apply(up);
        return new io.podvisor.runtime.ContainerStats(now, cpu, workingSet, workingSet + script.pageCacheBytes);
    }

    ContainerInfo info() {
        return new ContainerInfo(id, sandboxId, name, config.attempt(), config.image(),
                imageRef, state, createdAt, startedAt,
                finishedAt, exitCode, reason, message, config.labels(), config.annotations());
    }
}
