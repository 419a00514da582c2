package io.podvisor.runtime.runc;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.io.ChildOutput;
import io.podvisor.runtime.io.ContainerStdio;
import io.podvisor.runtime.linux.Pty;
import io.podvisor.runtime.linux.Cgroups;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts, watches and stops containers through {@code runc run} in the foreground: the JVM's child is
 * the runc process, whose exit status is the container's. Start waits (bounded, through one inotify
 * instance for all starts: {@link DirectoryWatch}) for runc's pid file; a virtual thread per container waits for the exit, reads the cgroup's OOM kills before
 * {@code runc delete} removes the cgroup, records the outcome and tells the exit listeners.
 *
 * <p>runc's own error text never reaches the container log: the log is read only once the pid
 * file exists (nothing of the container has run before), and runc logs to its own JSON file.
 */
final class ContainerRunner {

    /** How long {@code runc run} may take to create the container. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long the log pumps may lag behind the exit (a process that kept the pipes open). */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final Runc runc;
    private final Cgroups cgroups;
    private final Clock clock;
    private final Consumer<ContainerInfo> exitListener;
    private final DirectoryWatch starts = new DirectoryWatch();
    /**
     * How many {@code runc run}s may be creating their containers at once. Creating one takes kernel
     * locks (cgroups, the mount table it copies), so hundreds at once on a few cores all slow down
     * together, past the start timeout; in turns they finish in far less time in all.
     */
    private final Semaphore creating = new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true);

    ContainerRunner(Runc runc, Cgroups cgroups, Clock clock, Consumer<ContainerInfo> exitListener) {
        this.runc = runc;
        this.cgroups = cgroups;
        this.clock = clock;
        this.exitListener = exitListener;
    }

    /** Runs the container; returns once its process runs, or fails leaving it EXITED with StartError. */
    void start(RuncContainer c) throws RuntimeFailure {
        synchronized (c) {
            if (c.state != ContainerState.CREATED) {
                throw new RuntimeFailure("container " + c.id + " is not in created state");
            }
            c.state = ContainerState.UNKNOWN; // starting: a second start fails
        }
        try {
            creating.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failStart(c, null, "interrupted while waiting to start");
        }
        try {
            run(c);
        } finally {
            creating.release();
        }
    }

    private void run(RuncContainer c) throws RuntimeFailure {
        Process p;
        boolean started;
        ChildOutput output = null;
        Pty pty = null;
        Semaphore changed = new Semaphore(0);
        try (DirectoryWatch.Registration watch = starts.register(c.dir, changed::release)) {
            Files.deleteIfExists(c.pidFile());
            ContainerConfig.Stdio stdio = c.config.stdio();
            pty = stdio.tty() ? Pty.open() : null;
            output = pty != null ? ChildOutput.terminal(pty) : ChildOutput.open();
            Process child = null;
            try {
                ProcessBuilder pb = output.redirect(new ProcessBuilder(runc.run(c.id, c.dir, c.pidFile(), c.runcLog())));
                if (pty == null) {
                    pb.redirectInput(stdio.stdin() ? ProcessBuilder.Redirect.PIPE
                            : ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                child = pb.start();
            } finally {
                output.started(child);
            }
            p = child;
            p.onExit().thenRun(changed::release);
            started = awaitPidFile(c, p, changed);
        } catch (IOException e) {
            if (output != null) {
                output.close();
            }
            throw failStart(c, null, "runc could not be started: " + e.getMessage());
        }
        if (!started) {
            String why = p.isAlive() ? "timed out after " + START_TIMEOUT.toSeconds() + "s waiting for the container to start"
                    : Runc.errorMessage(c.runcLog(), stderrOf(output));
            output.close();
            throw failStart(c, p, why);
        }
        synchronized (c) {
            c.state = ContainerState.RUNNING;
            c.startedAt = clock.now();
        }
        ChildOutput out = output;
        c.stdio = stdioOf(c.config.stdio(), p, pty);
        CompletableFuture<Void> drained = out.drainTo(c.config.logPath(), clock, c.stdio.tap());
        Thread.ofVirtual().name("runc-wait-" + c.id.substring(0, 12)).start(() -> awaitExit(c, p, out, drained));
    }

    /** The attachable stdio of a container run by {@code p}: a terminal's input and size, or stdin's pipe. */
    static ContainerStdio stdioOf(ContainerConfig.Stdio stdio, Process p, Pty pty) {
        if (pty != null) {
            return new ContainerStdio(stdio, stdio.stdin() ? pty.input() : null, size -> {
                pty.resize(size.width(), size.height());
                Pty.signalResize(p.pid()); // runc relays the size to the container's terminal
            });
        }
        return new ContainerStdio(stdio, stdio.stdin() ? p.getOutputStream() : null, null);
    }

    private static String stderrOf(ChildOutput output) {
        try {
            return new String(output.stderrNow(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until runc wrote the pid file, runc exited or the start timed out; {@code changed} is released on each file event and on the exit. */
    private static boolean awaitPidFile(RuncContainer c, Process p, Semaphore changed) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (true) {
                boolean exited = !p.isAlive();
                if (pidWritten(c)) {
                    return true; // a container that already ran to its end started too
                }
                long left = deadline - System.nanoTime();
                if (exited || left <= 0) {
                    return false;
                }
                changed.tryAcquire(left, TimeUnit.NANOSECONDS);
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean pidWritten(RuncContainer c) {
        try {
            return Files.exists(c.pidFile()) && Files.size(c.pidFile()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private RuntimeFailure failStart(RuncContainer c, Process p, String why) {
        if (p != null) {
            p.destroyForcibly();
        }
        runc.delete(c.id, true);
        c.finish(128, "StartError", why, clock.now());
        c.exited.complete(null);
        return new RuntimeFailure(why);
    }

    private void awaitExit(RuncContainer c, Process p, ChildOutput output, CompletableFuture<Void> drained) {
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            return;
        }
        try {
            drained.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // a process outside PID 1's namespace kept a pipe open; the log stops here
            output.close();
        }
        long ooms = cgroups.oomKills(c.cgroupPath);
        runc.delete(c.id, true);
        boolean oom = ooms > 0;
        String reason = oom ? "OOMKilled" : code == 0 ? "Completed" : "Error";
        if (c.finish(oom ? 137 : code, reason, null, clock.now())) {
            c.exited.complete(null);
            exitListener.accept(c.info());
        }
    }

    /**
     * SIGTERM to the container's first process now, SIGKILL once {@code timeout} has passed (a later
     * call with an earlier deadline moves the SIGKILL earlier).
     */
    CompletionStage<Void> stop(RuncContainer c, Duration timeout) {
        if (!c.running()) {
            return c.state() == ContainerState.CREATED ? CompletableFuture.completedFuture(null) : c.exited.copy();
        }
        runc.kill(c.id, "TERM");
        Instant killAt = clock.now().plus(timeout);
        synchronized (c) {
            if (c.state == ContainerState.RUNNING && (c.killAt == null || killAt.isBefore(c.killAt))) {
                if (c.killTimer != null) {
                    c.killTimer.cancel();
                }
                c.killAt = killAt;
                c.killTimer = clock.schedule(timeout, () -> kill(c));
            }
        }
        return c.exited.copy();
    }

    /** SIGKILL to the container's first process (its PID namespace dies with it). */
    void kill(RuncContainer c) {
        if (c.running()) {
            runc.kill(c.id, "KILL");
        }
    }

    /** Stops watching for starts (the runtime shuts down). */
    void close() {
        starts.close();
    }
}
