package io.podvisor.runtime.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The {@code mount(2)} and {@code umount2(2)} system calls through the FFM API: a pod start makes
 * several mounts, and a {@code mount} child process for each cost milliseconds apiece. Empty where
 * the calls cannot be bound (not Linux, native access refused); {@link Mounts} then runs the commands.
 */
final class MountCalls {

    static final long MS_BIND = 4096;
    static final long MS_PRIVATE = 1L << 18;
    static final int MNT_DETACH = 2;

    private static final Optional<MountCalls> INSTANCE = bind();

    private final MethodHandle mount = Libc.function("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), true);
    private final MethodHandle umount2 = Libc.function("umount2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);

    private MountCalls() {}

    private static Optional<MountCalls> bind() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MountCalls());
        } catch (Throwable e) { // native access refused or a symbol missing
            return Optional.empty();
        }
    }

    static Optional<MountCalls> get() {
        return INSTANCE;
    }

    /**
     * {@code mount(source, target, type, flags, data)}.
     *
     * @return null on success, else the system's text for the error (e.g. "No such file or directory")
     */
    String mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int r = (int) mount.invokeExact(state, str(arena, source), str(arena, target), str(arena, type), flags,
                    str(arena, data));
            return r == 0 ? null : Libc.strerror(Libc.errno(state));
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /** {@code umount2(target, flags)}; null on success, else the error's text. */
    String umount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int r = (int) umount2.invokeExact(state, str(arena, target), flags);
            return r == 0 ? null : Libc.strerror(Libc.errno(state));
        } catch (Throwable t) {
            return t.toString();
        }
    }

    private static MemorySegment str(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }

}
