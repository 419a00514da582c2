package io.podvisor.api.events;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event object names: {@code <involvedName>.<16 lower-case hex digits>}, the digits being the
 * clock's epoch nanoseconds like Kubernetes does it. Virtual time often stands still, and several
 * recorders (kubelet, scheduler, controllers) write events about the same object, so the number is
 * bumped past the last one issued anywhere in this JVM: names never repeat within a process.
 */
final class EventNames {

    private static final AtomicLong LAST = new AtomicLong(Long.MIN_VALUE);

    private EventNames() {}

    /** A name not issued before in this JVM, based on {@code now}. */
    static String next(String involvedName, Instant now) {
        long wanted = epochNanos(now);
        long n = LAST.updateAndGet(last -> Math.max(wanted, last + 1));
        return involvedName + "." + String.format("%016x", n);
    }

    private static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException outOfRange) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE + 1 : Long.MAX_VALUE - (1L << 32);
        }
    }
}
