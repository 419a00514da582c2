package io.podvisor.kubelet.logs;

import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Wakes log followers: each {@link #next()} future completes at the next tick of a periodic
 * timer on the kubelet's clock, or earlier through {@link #wakeAll()} (a container exit). Followers
 * block on these futures on their own threads; only the clock's thread schedules timers, which
 * keeps the fake clock single-threaded.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class LogWaiters {

    private final Periodic ticks;
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean stopped;

    public LogWaiters(Clock clock, Duration period) {
        this.ticks = new Periodic(clock, period, this::wakeAll);
    }

    /** Starts ticking. Call from the clock's thread. */
    public void start() {
        ticks.start();
    }

    /** A future that completes at the next tick, wake-up or stop. */
    public synchronized CompletableFuture<Void> next() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (stopped) {
            f.complete(null);
        } else {
            waiting.add(f);
        }
        return f;
    }

    /** Completes every pending future now. */
    public void wakeAll() {
        List<CompletableFuture<Void>> due;
        synchronized (this) {
            due = waiting;
            waiting = new ArrayList<>();
        }
        due.forEach(f -> f.complete(null));
    }

    /** Whether {@link #stop()} was called (followers end then). */
    public synchronized boolean stopped() {
        return stopped;
    }

    /** Stops ticking and releases every follower. */
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        ticks.stop();
        wakeAll();
    }
}
