package io.podvisor.runtime.io;

import io.podvisor.core.TerminalSizes;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.ExecStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A running container's stdio as attached clients see it (CRI {@code Attach}): its output, which
 * also goes to the log, is copied to every attached client ({@link #tap}); a client's input goes to
 * the container's stdin when the container has one open. When a client's input ends, as containerd
 * does it: with {@code stdinOnce} and no terminal the container's stdin is closed and the client
 * stays attached until the output ends; otherwise that client's attach ends and stdin stays open.
 * Terminal sizes go to the terminal's resizer. Thread-safe.
 */
public final class ContainerStdio {

    /** Where a container's output goes besides its log. */
    public interface Tap {
        void write(CriLog.Stream stream, byte[] bytes, int length);

        /** The output has ended (the container exited). */
        void end();
    }

    private final ContainerConfig.Stdio config;
    private final OutputStream stdin;
    private final Consumer<TerminalSizes.Size> resizer;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private boolean ended; // guarded by this
    private boolean stdinClosed; // guarded by this

    /**
     * @param stdin   the container's stdin (null: none is open)
     * @param resizer sets the container's terminal size (null: no terminal)
     */
    public ContainerStdio(ContainerConfig.Stdio config, OutputStream stdin, Consumer<TerminalSizes.Size> resizer) {
        this.config = config;
        this.stdin = stdin;
        this.resizer = resizer;
    }

    /** {@code in} whose bytes, as they are read, also go to {@code tap} as {@code stream}. */
    public static InputStream tapped(InputStream in, CriLog.Stream stream, Tap tap) {
        return new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    byte[] copy = off == 0 ? b : java.util.Arrays.copyOfRange(b, off, off + n);
                    tap.write(stream, copy, n);
                }
                return n;
            }
        };
    }

    /** The tap to feed with the container's output. */
    public Tap tap() {
        return new Tap() {
            @Override
            public void write(CriLog.Stream stream, byte[] bytes, int length) {
                for (Client c : clients) {
                    c.write(stream, bytes, length);
                }
            }

            @Override
            public void end() {
                synchronized (ContainerStdio.this) {
                    ended = true;
                }
                closeStdin();
                for (Client c : clients) {
                    c.done.complete(null);
                }
                clients.clear();
            }
        };
    }

    /** Attaches {@code io}; the stage completes when the output ends or {@code io} cannot be written. */
    public CompletableFuture<Void> attach(ExecStreams io) {
        Client c = new Client(io);
        synchronized (this) {
            if (ended) {
                return CompletableFuture.completedFuture(null);
            }
            clients.add(c);
        }
        c.done.whenComplete((v, e) -> clients.remove(c));
        if (resizer != null) {
            io.sizes().onResize(size -> {
                if (!c.done.isDone()) {
                    resizer.accept(size);
                }
            });
        }
        if (io.stdin() != null && stdin != null && config.stdin()) {
            PipeReaders.start("attach-stdin", () -> copyStdin(io.stdin(), c));
        }
        return c.done;
    }

    private void copyStdin(InputStream in, Client c) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while (!c.done.isDone() && (n = in.read(buf)) >= 0) {
                synchronized (this) {
                    if (stdinClosed) {
                        break;
                    }
                    stdin.write(buf, 0, n);
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            // the container's stdin or the client's input is gone
        }
        if (config.stdinOnce() && !config.tty()) {
            closeStdin(); // the client stays attached until the output ends
        } else {
            c.done.complete(null); // as containerd: the attach ends with the client's input; stdin stays open
        }
    }

    private synchronized void closeStdin() {
        if (!stdinClosed && stdin != null) {
            stdinClosed = true;
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone with the container
            }
        }
    }

    /** One attached client. */
    private final class Client {
        final ExecStreams io;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Client(ExecStreams io) {
            this.io = io;
        }

        void write(CriLog.Stream stream, byte[] bytes, int length) {
            OutputStream to = stream == CriLog.Stream.STDERR && !config.tty() && io.stderr() != null ? io.stderr()
                    : io.stdout();
            if (to == null) {
                return;
            }
            try {
                synchronized (to) {
                    to.write(bytes, 0, length);
                    to.flush();
                }
            } catch (IOException e) {
                done.complete(null); // the client has gone
            }
        }
    }
}
