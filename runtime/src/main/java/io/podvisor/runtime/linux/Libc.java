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

/**
 * The C library's functions through the FFM API, for the few system calls the runtime makes itself
 * ({@link MountCalls}, the log pipes' {@code epoll}). A function bound with errno capture takes a
 * call-state segment ({@link #callState}) as its first argument; {@link #errno} reads it after the
 * call. Binding throws where native access is refused or a symbol is missing; callers fall back then.
 */
public final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /** A downcall to {@code name}; with {@code captureErrno} its first argument is a call-state segment. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor, boolean captureErrno) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
        return captureErrno
                ? LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(address, descriptor);
    }

    /** A segment for a call's captured state, allocated in {@code arena}. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(STATE);
    }

    /** The errno a call left in {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The system's text for an errno value (e.g. "No such file or directory"). */
    public static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(code);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + code;
        }
    }

    /** {@code close(2)} of a descriptor the caller owns; a failure is ignored (nothing can be done about it). */
    public static void close(int fd) {
        try {
            int ignored = (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing to do about a failed close
        }
    }

    /** Bound on first use. */
    private static final class Close {
        static final MethodHandle HANDLE = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                false);
    }

    /** Bound on first use. */
    private static final class Strerror {
        static final MethodHandle HANDLE = function("strerror",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT), false);
    }
}
