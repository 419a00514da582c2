package io.podvisor.runtime.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
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

    private final MethodHandle mount;
    private final MethodHandle umount2;
    private final MethodHandle strerror;
    private final StructLayout stateLayout;
    private final VarHandle errno;

    private MountCalls() {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        Linker.Option capture = Linker.Option.captureCallState("errno");
        stateLayout = Linker.Option.captureStateLayout();
        errno = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        mount = linker.downcallHandle(libc.find("mount").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                capture);
        umount2 = linker.downcallHandle(libc.find("umount2").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), capture);
        strerror = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

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
            MemorySegment state = arena.allocate(stateLayout);
            int r = (int) mount.invokeExact(state, str(arena, source), str(arena, target), str(arena, type), flags,
                    str(arena, data));
            return r == 0 ? null : message(state);
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /** {@code umount2(target, flags)}; null on success, else the error's text. */
    String umount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(stateLayout);
            int r = (int) umount2.invokeExact(state, str(arena, target), flags);
            return r == 0 ? null : message(state);
        } catch (Throwable t) {
            return t.toString();
        }
    }

    private static MemorySegment str(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }

    private String message(MemorySegment state) throws Throwable {
        int code = (int) errno.get(state, 0L);
        MemorySegment text = (MemorySegment) strerror.invokeExact(code);
        return text.reinterpret(256).getString(0);
    }
}
