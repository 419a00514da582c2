package io.podvisor.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A watch listener that records every event and lets a test wait, with a deadline, until enough
 * have arrived. Thread-safe.
 */
public final class RecordingListener implements Consumer<Store.Event> {

    private final List<Store.Event> events = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public synchronized void accept(Store.Event event) {
        events.add(event);
        threads.add(Thread.currentThread());
        notifyAll();
    }

    /** A snapshot of the events so far. */
    public synchronized List<Store.Event> events() {
        return List.copyOf(events);
    }

    /** The threads each event was delivered on, in delivery order. */
    public synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** The revisions delivered so far, in delivery order. */
    public synchronized List<Long> revisions() {
        return events.stream().map(Store.Event::revision).toList();
    }

    /** Waits until at least {@code count} events arrived; fails after {@code timeout}. */
    public synchronized List<Store.Event> awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " events within " + timeout + ", got "
                        + events.size() + ": " + revisions());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(events);
    }
}
