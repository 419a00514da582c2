package io.podvisor.runtime.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * New Linux namespaces made by the JVM itself ({@code unshare(2)} through the FFM API) instead of
 * an {@code unshare} or {@code ip netns add} child process: a thread of its own leaves for the new
 * namespaces, keeps each one (its {@code /proc/thread-self/ns/*} file bind-mounted where asked, or
 * else held open by a descriptor of the JVM, which adds nothing to the host's mount table), does
 * what must be done inside (a network namespace's links and addresses) and ends, leaving the JVM's
 * other threads where they were. Network, IPC and UTS namespaces may be unshared by one thread of a
 * multi-threaded process.
 *
 * <p>Empty where the calls cannot be bound (not Linux, native access refused); callers run the
 * commands then. Thread-safe.
 */
public final class Namespaces {

    /** {@code CLONE_NEWNET}. */
    public static final int NET = 0x40000000;
    /** {@code CLONE_NEWIPC}. */
    public static final int IPC = 0x08000000;
    /** {@code CLONE_NEWUTS}. */
    public static final int UTS = 0x04000000;

    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Optional<Namespaces> INSTANCE = bind();

    private final MethodHandle unshare = Libc.function("unshare",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
    private final MethodHandle sethostname = Libc.function("sethostname",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
    private final MethodHandle open = Libc.function("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
    private final MethodHandle ifNameToIndex = Libc.function("if_nametoindex",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), true);
    private final MountCalls mounts;

    private Namespaces(MountCalls mounts) {
        this.mounts = mounts;
    }

    private static Optional<Namespaces> bind() {
        if (MountCalls.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Namespaces(MountCalls.get().get()));
        } catch (Throwable e) { // native access refused or a symbol missing
            return Optional.empty();
        }
    }

    /** The calls, where they can be made. */
    public static Optional<Namespaces> get() {
        return INSTANCE;
    }

    /** What runs inside the new namespaces, on their thread. */
    @FunctionalInterface
    public interface Inside {
        /** @param netnsFd an open descriptor of the new network namespace, or -1 without one */
        void run(int netnsFd) throws IOException;
    }

    /**
     * Makes new namespaces ({@code flags}: {@link #NET}, {@link #IPC}, {@link #UTS}) and keeps each
     * by bind-mounting it onto the (existing, empty) file given for its flag, or by an open
     * descriptor when no file is given; with {@link #UTS}, {@code hostname} is set in it. {@code
     * inside} then runs in them. On failure the descriptors are closed; the caller unmounts the files
     * it gave.
     *
     * @param keep the file for each flag kept by a mount, e.g. {@code {NET: /run/netns/x}}
     * @return the descriptor holding each namespace not kept by a file (another process opens it as
     *     {@code /proc/<this pid>/fd/<descriptor>}); the caller closes them
     * @throws IOException naming the step that failed and the system's text for the error
     */
    public Map<Integer, Integer> create(int flags, Map<Integer, Path> keep, String hostname, Inside inside) throws IOException {
        Map<Integer, Path> files = new LinkedHashMap<>(keep);
        return onOwnThread("namespaces", () -> createHere(flags, files, hostname, inside));
    }

    /** The path another process opens to join the namespace held by {@code descriptor} of this JVM. */
    public static String heldPath(int descriptor) {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + descriptor;
    }

    /** {@link #create}'s work, on the thread that leaves for the new namespaces. */
    private Map<Integer, Integer> createHere(int flags, Map<Integer, Path> files, String hostname, Inside inside)
            throws IOException {
        Map<Integer, Integer> held = new LinkedHashMap<>();
        try {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.callState(arena);
                if ((int) unshare.invokeExact(state, flags) != 0) {
                    throw failure("unshare", state);
                }
                if ((flags & UTS) != 0 && hostname != null) {
                    byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
                    if ((int) sethostname.invokeExact(state, arena.allocateFrom(ValueLayout.JAVA_BYTE, name),
                            (long) name.length) != 0) {
                        throw failure("setting the hostname", state);
                    }
                }
            }
            for (Map.Entry<Integer, Path> f : files.entrySet()) {
                String error = mounts.mount("/proc/thread-self/ns/" + nsName(f.getKey()), f.getValue().toString(), null,
                        MountCalls.MS_BIND, null);
                if (error != null) {
                    throw new IOException("keeping the " + nsName(f.getKey()) + " namespace at " + f.getValue() + ": " + error);
                }
            }
            for (int flag : new int[] {NET, IPC, UTS}) {
                if ((flags & flag) != 0 && !files.containsKey(flag)) {
                    held.put(flag, open("/proc/thread-self/ns/" + nsName(flag)));
                }
            }
            int netns = (flags & NET) != 0 ? open("/proc/thread-self/ns/net") : -1;
            try {
                inside.run(netns);
            } finally {
                if (netns >= 0) {
                    Libc.close(netns);
                }
            }
            return held;
        } catch (Throwable t) {
            held.values().forEach(Libc::close);
            throw t instanceof IOException io ? io : new IOException(t.toString(), t);
        }
    }

    /** The index of network interface {@code name} in the calling thread's network namespace. */
    public int interfaceIndex(String name) throws IOException {
        return call("no network interface " + name, (arena, state) -> (int) ifNameToIndex.invokeExact(state, arena.allocateFrom(name)),
                index -> index != 0);
    }

    private int open(String path) throws IOException {
        return call("opening " + path, (arena, state) -> (int) open.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC),
                fd -> fd >= 0);
    }

    /** A call taking a call state; {@code ok} tells success from failure, which reads {@code what: <errno's text>}. */
    private static int call(String what, NativeCall call, java.util.function.IntPredicate ok) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int r = call.invoke(arena, state);
            if (!ok.test(r)) {
                throw failure(what, state);
            }
            return r;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(what + ": " + t, t);
        }
    }

    @FunctionalInterface
    private interface NativeCall {
        int invoke(Arena arena, MemorySegment state) throws Throwable;
    }

    private static String nsName(int flag) {
        return switch (flag) {
            case NET -> "net";
            case IPC -> "ipc";
            case UTS -> "uts";
            default -> throw new IllegalArgumentException("namespace flag " + flag);
        };
    }

    private static IOException failure(String what, MemorySegment state) {
        return new IOException(what + ": " + Libc.strerror(Libc.errno(state)));
    }

    /**
     * Runs {@code body} on a new platform thread (a virtual thread could move between carriers, and a
     * carrier left in other namespaces would take them to unrelated work) and returns its result.
     */
    static <T> T onOwnThread(String name, Callable<T> body) throws IOException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making namespaces", e);
        }
        Throwable e = failure.get();
        if (e instanceof IOException io) {
            throw io;
        }
        if (e != null) {
            throw new IOException(e.toString(), e);
        }
        return result.get();
    }
}
