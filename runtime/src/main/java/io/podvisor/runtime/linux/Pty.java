package io.podvisor.runtime.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A pseudo-terminal whose master this process holds (through the FFM API): a child gets the slave
 * ({@link #slave()}) as its stdio, this process reads the terminal's output from {@link #output()},
 * writes its input to {@link #input()} and sets its size ({@link #resize}, {@code TIOCSWINSZ}). The
 * master starts in raw mode with output post-processing off, so bytes pass through unchanged.
 *
 * <p>Reading ends (end of file) once every holder of the slave has closed it; the reader then
 * {@link #close closes} the master. Thread-safe: one reader, any number of writers.
 */
public final class Pty implements AutoCloseable {

    private static final int O_RDWR = 0x2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int EINTR = 4;
    private static final int EIO = 5;
    private static final int SIGWINCH = 28;

    private final int master;
    private final Path slave;
    private boolean closed; // guarded by this

    private Pty(int master, Path slave) {
        this.master = master;
        this.slave = slave;
    }

    /**
     * Opens a new pseudo-terminal.
     *
     * @throws IOException where it cannot be opened (no {@code /dev/ptmx}, native access refused)
     */
    public static Pty open() throws IOException {
        Calls c;
        try {
            c = Calls.INSTANCE;
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("pseudo-terminals are not available: " + e.getMessage(), e);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int fd = (int) c.openpt.invokeExact(state, O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("posix_openpt: " + Libc.strerror(Libc.errno(state)));
            }
            try {
                if ((int) c.grantpt.invokeExact(fd) != 0 || (int) c.unlockpt.invokeExact(fd) != 0) {
                    throw new IOException("cannot unlock the pseudo-terminal");
                }
                MemorySegment name = arena.allocate(128);
                if ((int) c.ptsname.invokeExact(fd, name, 128L) != 0) {
                    throw new IOException("ptsname failed");
                }
                MemorySegment termios = arena.allocate(256);
                if ((int) c.tcgetattr.invokeExact(fd, termios) == 0) {
                    c.cfmakeraw.invokeExact(termios);
                    int ignored = (int) c.tcsetattr.invokeExact(fd, 0, termios);
                }
                return new Pty(fd, Path.of(name.getString(0)));
            } catch (IOException e) {
                Libc.close(fd);
                throw e;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot open a pseudo-terminal: " + t, t);
        }
    }

    /** The slave's device path, e.g. {@code /dev/pts/3}, to hand to a child as its stdio. */
    public Path slave() {
        return slave;
    }

    /** Sets the terminal's size (a no-op once closed). */
    public synchronized void resize(int width, int height) {
        if (closed) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            int ignored = (int) Calls.INSTANCE.ioctl.invokeExact(master, TIOCSWINSZ, ws);
        } catch (Throwable t) {
            // a size that cannot be set leaves the old one
        }
    }

    /** Sends SIGWINCH to {@code pid} (a process that relays the size onwards); a failure is ignored. */
    public static void signalResize(long pid) {
        try {
            int ignored = (int) Calls.INSTANCE.kill.invokeExact((int) pid, SIGWINCH);
        } catch (Throwable t) {
            // the process is gone
        }
    }

    /** What the terminal writes: ends when the slave is closed by everyone (or the master is closed). */
    public InputStream output() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readMaster(b, off, len);
            }
        };
    }

    /** The terminal's input. */
    public OutputStream input() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeMaster(b, off, len);
            }
        };
    }

    private int readMaster(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(len);
            MemorySegment state = Libc.callState(arena);
            while (true) {
                synchronized (this) {
                    if (closed) {
                        return -1;
                    }
                }
                long n = (long) Calls.INSTANCE.read.invokeExact(state, master, buf, (long) len);
                if (n > 0) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                    return (int) n;
                }
                if (n == 0) {
                    return -1;
                }
                int errno = Libc.errno(state);
                if (errno == EIO) {
                    return -1; // every holder of the slave closed it
                }
                if (errno != EINTR) {
                    throw new IOException("read from the terminal: " + Libc.strerror(errno));
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private synchronized void writeMaster(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the terminal is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, len));
            MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            MemorySegment state = Libc.callState(arena);
            long done = 0;
            while (done < len) {
                long n = (long) Calls.INSTANCE.write.invokeExact(state, master, buf.asSlice(done), len - done);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == EINTR) {
                        continue;
                    }
                    throw new IOException("write to the terminal: " + Libc.strerror(errno));
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** Closes the master (by the reader once output ended, or when the terminal is no longer wanted). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(master);
        }
    }

    /** Bound on first use. */
    private static final class Calls {
        static final Calls INSTANCE = new Calls();

        final MethodHandle openpt = Libc.function("posix_openpt",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
        final MethodHandle grantpt = Libc.function("grantpt",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
        final MethodHandle unlockpt = Libc.function("unlockpt",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
        final MethodHandle ptsname = Libc.function("ptsname_r", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), false);
        final MethodHandle tcgetattr = Libc.function("tcgetattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), false);
        final MethodHandle tcsetattr = Libc.function("tcsetattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), false);
        final MethodHandle cfmakeraw = Libc.function("cfmakeraw",
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), false);
        final MethodHandle read = Libc.function("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
        final MethodHandle write = Libc.function("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
        final MethodHandle kill = Libc.function("kill",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
        final MethodHandle ioctl = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
    }
}
