package io.podvisor.runtime.runc;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.core.TerminalSizes;
import io.podvisor.runtime.io.ChildOutput;
import io.podvisor.runtime.io.PipeReaders;
import io.podvisor.runtime.linux.Pty;
import io.podvisor.runtime.linux.HostCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands in running containers through {@code runc exec}: without a terminal stdout and stderr stay
 * apart; with one ({@link #execTerminal}) the command's stdio is a terminal and its output one stream. A timed-out command is killed (SIGKILL to the process runc started,
 * found through its pid file, and to runc). A command without a time limit ends with the container:
 * it runs in the container's PID namespace, which the kernel empties when the container's first
 * process dies, and {@code runc exec} then reports its exit (137).
 *
 * <p>Thread-safe; each exec runs on its own virtual threads.
 */
final class ExecRunner {

    /** The most output an exec result keeps (the rest is read and dropped). */
    static final int MAX_OUTPUT = 64 * 1024;

    private final Runc runc;
    private final Clock clock;
    private final AtomicLong counter = new AtomicLong();

    ExecRunner(Runc runc, Clock clock) {
        this.runc = runc;
        this.clock = clock;
    }

    /** Runs {@code command}, collecting combined output, until it exits or {@code timeout} (unless zero) passes. */
    CompletionStage<ExecResult> exec(RuncContainer c, List<String> command, Duration timeout) {
        Path pidFile = c.dir.resolve("exec-" + counter.incrementAndGet() + ".pid");
        Process p;
        try {
            p = new ProcessBuilder(runc.exec(c.id, pidFile, command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ExecResult.exited(126, e.getMessage()));
        }
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Clock.Timer timer = timeout.isZero() ? () -> { } : clock.schedule(timeout, () -> {
            if (result.complete(ExecResult.timeout())) {
                kill(p, pidFile);
            }
        });
        PipeReaders.start("runc-exec", () -> {
            String out = readCapped(p.getInputStream());
            try {
                int code = p.waitFor();
                result.complete(ExecResult.exited(code, out));
            } catch (InterruptedException e) {
                result.complete(ExecResult.timeout());
            } finally {
                timer.cancel();
                deleteQuietly(pidFile);
            }
        });
        return result;
    }

    /** Runs {@code command} with its streams connected to {@code io}; completes with the exit code. */
    CompletionStage<Integer> execStreaming(RuncContainer c, List<String> command, ExecStreams io) {
        if (io.tty()) {
            return execTerminal(c, command, io);
        }
        Path pidFile = c.dir.resolve("exec-" + counter.incrementAndGet() + ".pid");
        ProcessBuilder pb = new ProcessBuilder(runc.exec(c.id, pidFile, command));
        if (io.stdin() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (io.stdin() != null) {
            PipeReaders.start("runc-exec-stdin", () -> copyStdin(io.stdin(), p));
        }
        CompletableFuture<Void> out = copy(p.getInputStream(), io.stdout());
        CompletableFuture<Void> err = copy(p.getErrorStream(), io.stderr() != null ? io.stderr() : io.stdout());
        return HostCommand.exitOf(p).thenCombine(CompletableFuture.allOf(out, err), (proc, v) -> proc.exitValue())
                .whenComplete((code, e) -> deleteQuietly(pidFile));
    }

    /**
     * {@code runc exec --tty} with a terminal of ours as runc's stdio: runc makes the command's own
     * terminal and relays between the two, and takes our terminal's size (at its start and on
     * SIGWINCH) for the command's.
     */
    private CompletionStage<Integer> execTerminal(RuncContainer c, List<String> command, ExecStreams io) {
        Path pidFile = c.dir.resolve("exec-" + counter.incrementAndGet() + ".pid");
        Pty pty;
        Process p;
        try {
            pty = Pty.open();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        TerminalSizes.Size first = io.sizes().last();
        if (first != null) {
            pty.resize(first.width(), first.height());
        }
        try {
            p = ChildOutput.terminal(pty).redirect(new ProcessBuilder(runc.exec(c.id, pidFile, command, true))).start();
        } catch (IOException e) {
            pty.close();
            return CompletableFuture.failedFuture(e);
        }
        io.sizes().onResize(size -> {
            pty.resize(size.width(), size.height());
            Pty.signalResize(p.pid());
        });
        if (io.stdin() != null) {
            PipeReaders.start("runc-exec-stdin", () -> {
                try (InputStream in = io.stdin()) {
                    in.transferTo(pty.input());
                } catch (IOException e) {
                    // the command ended or the client went away
                }
            });
        }
        CompletableFuture<Void> out = copy(pty.output(), io.stdout());
        out.whenComplete((v, e) -> pty.close());
        return HostCommand.exitOf(p).thenCombine(out, (proc, v) -> proc.exitValue())
                .whenComplete((code, e) -> deleteQuietly(pidFile));
    }

    private static void copyStdin(InputStream in, Process p) {
        try (OutputStream to = p.getOutputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0 && p.isAlive()) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the command ended or the client went away: its stdin closes
        }
    }

    private static CompletableFuture<Void> copy(InputStream from, OutputStream to) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        PipeReaders.start("runc-exec-out", () -> {
            try (from) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = from.read(buf)) >= 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the client went away; the command still runs to its end
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static void kill(Process p, Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | NumberFormatException e) {
            // runc had not started the command yet; killing runc is enough
        }
        p.destroyForcibly();
    }

    private static String readCapped(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, Math.max(0, Math.min(n, MAX_OUTPUT - out.size())));
            }
        } catch (IOException e) {
            // killed: keep what was read
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the bundle goes with the container anyway
        }
    }
}
