package io.podvisor.runtime.io;

import io.podvisor.core.Clock;
import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.linux.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A child process's stdout and stderr, on their way to a container's CRI log file (or nowhere). With
 * the {@link PipePoller} the child writes into pipes read by the poller's one thread; otherwise the
 * child's own {@link Process} pipes are read by a {@link PipeReaders} thread each.
 *
 * <p>Use: {@link #open()}, {@link #redirect(ProcessBuilder)} before the start, {@link #started(Process)}
 * after it, then {@link #drainTo(String, Clock)} once the child's output should be kept, and
 * {@link #close()} when it is no longer wanted.
 */
public final class ChildOutput implements AutoCloseable {

    private final PipePoller.Pipe out;
    private final PipePoller.Pipe err;
    private final Pty pty;
    private Process process;
    private boolean reading;

    private ChildOutput(PipePoller.Pipe out, PipePoller.Pipe err, Pty pty) {
        this.out = out;
        this.err = err;
        this.pty = pty;
    }

    /**
     * The child's stdio is the slave of {@code pty} (stdin, stdout and stderr alike); what the
     * terminal writes is the output, logged as {@code stdout}.
     */
    public static ChildOutput terminal(Pty pty) {
        return new ChildOutput(null, null, pty);
    }

    /** Pipes from the shared poller when there is one, else the process's own pipes. */
    public static ChildOutput open() throws IOException {
        PipePoller poller = PipePoller.shared().orElse(null);
        if (poller == null) {
            return new ChildOutput(null, null, null);
        }
        PipePoller.Pipe o = poller.open();
        try {
            return new ChildOutput(o, poller.open(), null);
        } catch (IOException e) {
            o.close();
            throw e;
        }
    }

    /** Points the child's stdout and stderr at this output. */
    public ProcessBuilder redirect(ProcessBuilder pb) {
        if (pty != null) {
            java.io.File slave = pty.slave().toFile();
            return pb.redirectInput(slave).redirectOutput(slave).redirectError(slave);
        }
        return out == null ? pb : pb.redirectOutput(out.childEnd()).redirectError(err.childEnd());
    }

    /** The child runs (or failed to start): this process's copies of the write ends are closed. */
    public void started(Process p) {
        this.process = p;
        if (out != null) {
            out.closeChildEnd();
            err.closeChildEnd();
        }
    }

    /** What the child wrote on stderr so far, without waiting (a child that has exited wrote it all). */
    public byte[] stderrNow() throws IOException {
        if (pty != null) {
            return new byte[0];
        }
        if (err != null) {
            return err.readAvailable();
        }
        return process.isAlive() ? new byte[0] : process.getErrorStream().readAllBytes();
    }

    /**
     * Copies the child's output into the CRI log at {@code logPath} (none or empty: thrown away).
     *
     * @return completes once both streams ended and were written
     */
    public CompletableFuture<Void> drainTo(String logPath, Clock clock) {
        return drainTo(logPath, clock, null);
    }

    /**
     * Copies the child's output into the CRI log at {@code logPath} and to {@code tap} (null: none),
     * which is told when the output has ended.
     *
     * @return completes once the output ended and was written
     */
    public CompletableFuture<Void> drainTo(String logPath, Clock clock, ContainerStdio.Tap tap) {
        CriLogWriter log = null;
        if (logPath != null && !logPath.isEmpty()) {
            try {
                log = new CriLogWriter(Path.of(logPath), clock);
            } catch (IOException e) {
                log = null; // the log cannot be written: the output is thrown away
            }
        }
        CompletableFuture<Void> all;
        if (pty != null) {
            synchronized (this) {
                reading = true;
            }
            all = pump(null, pty.output(), log, CriLog.Stream.STDOUT, tap).whenComplete((v, e) -> pty.close());
        } else {
            all = CompletableFuture.allOf(pump(out, process.getInputStream(), log, CriLog.Stream.STDOUT, tap),
                    pump(err, process.getErrorStream(), log, CriLog.Stream.STDERR, tap));
        }
        CriLogWriter opened = log;
        return all.whenComplete((v, e) -> {
            if (opened != null) {
                opened.close();
            }
            if (tap != null) {
                tap.end();
            }
        });
    }

    private static CompletableFuture<Void> pump(PipePoller.Pipe pipe, InputStream in, CriLogWriter log,
            CriLog.Stream stream, ContainerStdio.Tap tap) {
        if (pipe != null) {
            PipePoller.Sink sink = log != null ? log.sink(stream) : DISCARD;
            return pipe.drainInto(tap == null ? sink : new PipePoller.Sink() {
                @Override
                public void accept(byte[] bytes, int length) {
                    tap.write(stream, bytes, length);
                    sink.accept(bytes, length);
                }

                @Override
                public void end() {
                    sink.end();
                }
            });
        }
        InputStream from = tap == null ? in : ContainerStdio.tapped(in, stream, tap);
        if (log != null) {
            return log.pump(from, stream);
        }
        return CompletableFuture.runAsync(() -> {
            try (from) {
                from.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed
            }
        }, r -> PipeReaders.start("discard", r));
    }

    private static final PipePoller.Sink DISCARD = new PipePoller.Sink() {
        @Override
        public void accept(byte[] bytes, int length) {}

        @Override
        public void end() {}
    };

    /**
     * Stops reading (a process kept the pipes open after the exit): what the pipes hold now is still
     * written, later output is not.
     */
    @Override
    public void close() {
        if (pty != null) {
            synchronized (this) {
                if (!reading) { // a reader closes the terminal itself once its output ended
                    pty.close();
                }
            }
            return;
        }
        if (out != null) { // a reader thread of the process's own pipes cannot be stopped: it stays blocked
            out.close();
            err.close();
        }
    }
}
