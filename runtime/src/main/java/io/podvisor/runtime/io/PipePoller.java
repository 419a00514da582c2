package io.podvisor.runtime.io;

import io.podvisor.runtime.linux.Libc;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the output pipes of child processes (container logs) on one shared thread waiting in Linux's
 * {@code epoll}, called through the FFM API, instead of on a thread per pipe: with hundreds of
 * containers the per-pipe threads were most of a node's memory. A {@link Pipe}'s write end is handed
 * to a child as a redirect target ({@code /proc/self/fd/N}, which opens the same pipe); its read end
 * is non-blocking and drained here into a {@link Sink} until every writer has closed it.
 *
 * <p>{@link #shared()} is empty where this cannot work (not Linux, an architecture whose {@code
 * epoll_event} layout is not known here, or native access refused); callers then read with {@link
 * PipeReaders}.
 */
public final class PipePoller {

    /** Where a pipe's bytes go, called on the poller's thread, one call at a time per pipe. */
    public interface Sink {
        void accept(byte[] bytes, int length);

        /** The pipe ended (every writer closed it) or was closed. */
        void end();
    }

    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 0x1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 64;
    private static final int CHUNK = 64 * 1024;

    private static final Optional<PipePoller> SHARED = create();

    private final Native nat;
    private final int epfd;
    private final Map<Integer, Pipe> reading = new ConcurrentHashMap<>();

    private PipePoller(Native nat, int epfd) {
        this.nat = nat;
        this.epfd = epfd;
        PipeReaders.start("pipe-poller", this::loop);
    }

    /** The process's poller, or empty where pipes are read by a thread each. */
    public static Optional<PipePoller> shared() {
        return SHARED;
    }

    private static Optional<PipePoller> create() {
        try {
            if (!System.getProperty("os.name", "").equals("Linux")) {
                return Optional.empty();
            }
            Native nat = Native.forArch(System.getProperty("os.arch", ""));
            if (nat == null) {
                return Optional.empty();
            }
            int epfd = nat.epollCreate(O_CLOEXEC);
            return epfd < 0 ? Optional.empty() : Optional.of(new PipePoller(nat, epfd));
        } catch (Throwable e) { // native access refused or a symbol missing: threads it is
            return Optional.empty();
        }
    }

    /** A new pipe: its write end for a child, its read end not yet read. */
    public Pipe open() throws IOException {
        int[] fds = nat.pipe(O_NONBLOCK | O_CLOEXEC);
        return new Pipe(fds[0], fds[1]);
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(nat.eventSize * MAX_EVENTS, 8);
            MemorySegment buf = arena.allocate(CHUNK);
            MemorySegment state = Libc.callState(arena);
            byte[] bytes = new byte[CHUNK];
            while (true) {
                int n = nat.epollWait(epfd, events, MAX_EVENTS);
                for (int i = 0; i < n; i++) {
                    int fd = (int) nat.eventData(events, i);
                    Pipe p = reading.get(fd);
                    if (p != null) {
                        p.readOnce(buf, state, bytes);
                    }
                }
            }
        } catch (Throwable e) {
            // the poller cannot go on; what it reads stops (never expected)
        }
    }

    /** One pipe: the read end stays with this process, the write end goes to a child. */
    public final class Pipe implements AutoCloseable {
        private final int readFd;
        private int writeFd;
        private Sink sink;
        private boolean closed;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        private Pipe(int readFd, int writeFd) {
            this.readFd = readFd;
            this.writeFd = writeFd;
        }

        /** The redirect target giving a child this pipe's write end. */
        public File childEnd() {
            return new File("/proc/self/fd/" + writeFd);
        }

        /** Closes this process's copy of the write end (after the child started). */
        public synchronized void closeChildEnd() {
            if (writeFd >= 0) {
                nat.close(writeFd);
                writeFd = -1;
            }
        }

        /**
         * Reads the pipe into {@code sink} from now on, on the poller's thread.
         *
         * @return completes once the pipe ended and {@code sink} has had everything
         */
        public CompletableFuture<Void> drainInto(Sink sink) {
            synchronized (this) {
                this.sink = sink;
                if (closed) {
                    return ended;
                }
                reading.put(readFd, this);
            }
            if (nat.epollAdd(epfd, readFd, EPOLLIN) < 0) {
                close();
            }
            return ended;
        }

        /** What can be read now without waiting (for a child that failed before its output was drained). */
        public synchronized byte[] readAvailable() {
            return readAvailable(Long.MAX_VALUE);
        }

        private byte[] readAvailable(long most) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(CHUNK);
                MemorySegment state = Libc.callState(arena);
                long n;
                while (!closed && out.size() < most && (n = nat.read(readFd, buf, CHUNK, state)) > 0) {
                    out.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
                }
            }
            return out.toByteArray();
        }

        private synchronized void readOnce(MemorySegment buf, MemorySegment state, byte[] bytes) {
            if (closed) {
                return;
            }
            long n = nat.read(readFd, buf, CHUNK, state);
            if (n > 0) {
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) n);
                try {
                    sink.accept(bytes, (int) n);
                } catch (RuntimeException e) {
                    close();
                }
            } else if (n == 0 || n != -EAGAIN && n != -EINTR) {
                close();
            }
        }

        /**
         * Stops reading and closes both ends; the sink hears {@link Sink#end()} once. What the pipe
         * already holds (up to a megabyte) goes to the sink first.
         */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            if (sink != null) {
                byte[] rest = readAvailable(1 << 20);
                if (rest.length > 0) {
                    try {
                        sink.accept(rest, rest.length);
                    } catch (RuntimeException e) {
                        // the sink cannot take it: dropped
                    }
                }
            }
            closed = true;
            closeChildEnd();
            if (reading.remove(readFd, this)) {
                nat.epollDel(epfd, readFd);
            }
            nat.close(readFd);
            try {
                if (sink != null) {
                    sink.end();
                }
            } finally {
                ended.complete(null);
            }
        }
    }

    /** The libc calls, bound once. */
    private static final class Native {
        private final MethodHandle pipe2 = Libc.function("pipe2",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), false);
        private final MethodHandle read = Libc.function("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
        private final MethodHandle epollCreate1 = Libc.function("epoll_create1",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
        private final MethodHandle epollCtl = Libc.function("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), false);
        private final MethodHandle epollWait = Libc.function("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
        private final long eventSize;
        private final long dataOffset;

        private Native(long eventSize, long dataOffset) {
            this.eventSize = eventSize;
            this.dataOffset = dataOffset;
        }

        /** {@code struct epoll_event} is packed (12 bytes) on x86-64 and naturally aligned (16) elsewhere. */
        static Native forArch(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> new Native(12, 4);
                case "aarch64", "riscv64", "ppc64le", "s390x" -> new Native(16, 8);
                default -> null;
            };
        }

        int[] pipe(int flags) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
                if ((int) pipe2.invokeExact(fds, flags) != 0) {
                    throw new IOException("pipe2 failed");
                }
                return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("pipe2: " + t, t);
            }
        }

        void close(int fd) {
            Libc.close(fd);
        }

        /** {@code read(2)}: the bytes read, 0 at end of file, or minus the errno ({@code state}: a {@link Libc#callState}). */
        long read(int fd, MemorySegment buf, long n, MemorySegment state) {
            try {
                long r = (long) read.invokeExact(state, fd, buf, n);
                return r < 0 ? -Libc.errno(state) : r;
            } catch (Throwable t) {
                return -1;
            }
        }

        int epollCreate(int flags) throws Throwable {
            return (int) epollCreate1.invokeExact(flags);
        }

        int epollAdd(int epfd, int fd, int events) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ev = arena.allocate(eventSize, 8);
                ev.set(ValueLayout.JAVA_INT, 0, events);
                ev.set(ValueLayout.JAVA_LONG_UNALIGNED, dataOffset, fd);
                return (int) epollCtl.invokeExact(epfd, EPOLL_CTL_ADD, fd, ev);
            } catch (Throwable t) {
                return -1;
            }
        }

        void epollDel(int epfd, int fd) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ev = arena.allocate(eventSize, 8);
                int ignored = (int) epollCtl.invokeExact(epfd, EPOLL_CTL_DEL, fd, ev);
            } catch (Throwable t) {
                // the fd is closed next anyway, which removes it from the set
            }
        }

        /** Waits for ready pipes; an interrupted wait counts as none. */
        int epollWait(int epfd, MemorySegment events, int max) throws Throwable {
            int n = (int) epollWait.invokeExact(epfd, events, max, -1);
            return Math.max(n, 0);
        }

        long eventData(MemorySegment events, int i) {
            return events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * eventSize + dataOffset);
        }
    }
}
