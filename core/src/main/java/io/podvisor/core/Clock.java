package io.podvisor.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The only source of time for lifecycle code. Production uses {@link SystemClock}; tests use
 * {@link FakeClock}, whose {@code advance} fires due timers in order.
 *
 * <p>Thread-safety: implementations are safe to call from any thread.
 */
public interface Clock {

    /** The current instant. */
    Instant now();

    /**
     * Runs {@code task} once, no earlier than {@code delay} from now. A zero or negative delay means
     * "as soon as possible" (still asynchronously: never inside this call).
     *
     * @return a handle that cancels the timer if it has not fired yet
     */
    Timer schedule(Duration delay, Runnable task);

    /** Convenience: schedule at an absolute instant. */
    default Timer scheduleAt(Instant at, Runnable task) {
        return schedule(Duration.between(now(), at), task);
    }

    /** A pending timer. */
    interface Timer {
        /** Cancels the timer; idempotent; a timer that already fired is unaffected. */
        void cancel();
    }
}
