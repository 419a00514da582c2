package io.podvisor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Virtual time for tests. Time moves only through {@link #advance} / {@link #advanceTo}, which fire
 * due timers one by one in order of due time (ties in scheduling order), setting {@link #now()} to
 * each timer's due instant before running it. Timers scheduled by a firing timer are honoured within
 * the same advance if they fall due before its end.
 *
 * <p>Single-threaded by design: call it from the test thread only.
 */
public final class FakeClock implements Clock {

    private record Entry(Instant due, long seq, Runnable task, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due.compareTo(b.due);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private Instant now;
    private long seq;
    private Runnable afterEachTimer = () -> {};

    public FakeClock(Instant start) {
        this.now = start;
    }

    /** A hook run after every fired timer (the node harness drains its work queue there). */
    public void afterEachTimer(Runnable hook) {
        this.afterEachTimer = hook;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Instant due = delay.isNegative() ? now : now.plus(delay);
        boolean[] cancelled = {false};
        queue.add(new Entry(due, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Advances by {@code d}, firing due timers in order. */
    public void advance(Duration d) {
        advanceTo(now.plus(d));
    }

    /** Advances to {@code target} (no-op if in the past), firing due timers in order. */
    public void advanceTo(Instant target) {
        while (true) {
            Entry next = queue.peek();
            if (next == null || next.due.isAfter(target)) {
                break;
            }
            queue.poll();
            if (next.cancelled[0]) {
                continue;
            }
            if (next.due.isAfter(now)) {
                now = next.due;
            }
            next.task.run();
            afterEachTimer.run();
        }
        if (target.isAfter(now)) {
            now = target;
        }
    }

    /** The due instant of the earliest live timer, if any. */
    public Optional<Instant> nextDue() {
        queue.removeIf(e -> e.cancelled[0]);
        return Optional.ofNullable(queue.peek()).map(Entry::due);
    }

    /** Number of live timers (for tests of the clock users). */
    public int pendingTimers() {
        queue.removeIf(e -> e.cancelled[0]);
        return queue.size();
    }
}
