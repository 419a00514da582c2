package io.podvisor.runtime.io;

import io.podvisor.core.Clock;
import io.podvisor.runtime.CriLog;
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
    private Process process;

    private ChildOutput(PipePoller.Pipe out, PipePoller.Pipe err) {
        this.out = out;
        this.err = err;
    }

    /** Pipes from the shared poller when there is one, else the process's own pipes. */
    public static ChildOutput open() throws IOException {
        PipePoller poller = PipePoller.shared().orElse(null);
        if (poller == null) {
            return new ChildOutput(null, null);
        }
        PipePoller.Pipe o = poller.open();
        try {
            return new ChildOutput(o, poller.open());
        } catch (IOException e) {
            o.close();
            throw e;
        }
    }

    /** Points the child's stdout and stderr at this output. */
    public ProcessBuilder redirect(ProcessBuilder pb) {
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
        CriLogWriter log = null;
        if (logPath != null && !logPath.isEmpty()) {
            try {
                log = new CriLogWriter(Path.of(logPath), clock);
            } catch (IOException e) {
                log = null; // the log cannot be written: the output is thrown away
            }
        }
        CompletableFuture<Void> both = log == null
                ? CompletableFuture.allOf(discard(out, process.getInputStream()), discard(err, process.getErrorStream()))
                : CompletableFuture.allOf(pump(out, process.getInputStream(), log, CriLog.Stream.STDOUT),
                        pump(err, process.getErrorStream(), log, CriLog.Stream.STDERR));
        CriLogWriter opened = log;
        return opened == null ? both : both.whenComplete((v, e) -> opened.close());
    }

    private static CompletableFuture<Void> pump(PipePoller.Pipe pipe, InputStream in, CriLogWriter log, CriLog.Stream stream) {
        return pipe != null ? pipe.drainInto(log.sink(stream)) : log.pump(in, stream);
    }

    private static CompletableFuture<Void> discard(PipePoller.Pipe pipe, InputStream in) {
        if (pipe != null) {
            return pipe.drainInto(new PipePoller.Sink() {
                @Override
                public void accept(byte[] bytes, int length) {}

                @Override
                public void end() {}
            });
        }
        return CompletableFuture.runAsync(() -> {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed
            }
        }, r -> PipeReaders.start("discard", r));
    }

    /**
     * Stops reading (a process kept the pipes open after the exit): what the pipes hold now is still
     * written, later output is not.
     */
    @Override
    public void close() {
        if (out != null) { // a reader thread of the process's own pipes cannot be stopped: it stays blocked
            out.close();
            err.close();
        }
    }
}
