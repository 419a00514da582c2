package io.podvisor.core;

import java.time.Duration;

/**
 * A task run on a {@link Clock} every {@code period} until {@link #stop()}. Each run books the next
 * one before it starts, so a run that throws does not end the loop, and the period counts from one
 * due time to the next.
 *
 * <p>Thread-safety: safe for concurrent use. The task runs outside this object's lock, so a run
 * already under way when {@link #stop()} is called still completes.
 */
public final class Periodic {

    private final Clock clock;
    private final Duration period;
    private final Runnable task;
    private Clock.Timer timer;
    private boolean stopped;

    public Periodic(Clock clock, Duration period, Runnable task) {
        this.clock = clock;
        this.period = period;
        this.task = task;
    }

    /** Books the first run one period from now; a no-op once stopped. */
    public synchronized void start() {
        if (!stopped) {
            timer = clock.schedule(period, this::tick);
        }
    }

    /** Cancels the next run; idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void tick() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            timer = clock.schedule(period, this::tick);
        }
        task.run();
    }
}
