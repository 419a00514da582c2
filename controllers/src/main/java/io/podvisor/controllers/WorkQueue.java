package io.podvisor.controllers;

import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.core.Periodic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A controller's queue of object keys: a key added while it already waits is not added twice; the
 * step for a key runs on the executor under {@code <name>/<key>}, so one key is never synced
 * concurrently with itself. A step that throws is logged with the key and its cause and retried
 * after a per-key back-off (1 s doubling to 60 s); a step that returns normally resets it. Delayed adds use the {@link Clock}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class WorkQueue {

    private static final System.Logger LOG = System.getLogger(WorkQueue.class.getName());

    private final String name;
    private final KeyedExecutor executor;
    private final Clock clock;
    private final Consumer<String> step;
    private final Backoff retries;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final List<Periodic> loops = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param name prefix of the executor keys, e.g. {@code job}
     * @param step the synchronous step run for a key
     */
    public WorkQueue(String name, KeyedExecutor executor, Clock clock, Consumer<String> step) {
        this.name = name;
        this.executor = executor;
        this.clock = clock;
        this.step = step;
        this.retries = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), clock);
    }

    /** Queues {@code key} unless it is already waiting. */
    public void add(String key) {
        if (stopped || !waiting.add(key)) {
            return;
        }
        executor.execute(name + "/" + key, () -> run(key));
    }

    /** Queues {@code key} after {@code delay} (at once if not positive). */
    public void addAfter(String key, Duration delay) {
        if (stopped) {
            return;
        }
        if (!delay.isPositive()) {
            add(key);
            return;
        }
        clock.schedule(delay, () -> add(key));
    }

    /** Runs {@code task} (on the clock's timer) every {@code period} until {@link #stop()}. */
    public void every(Duration period, Runnable task) {
        Periodic loop = new Periodic(clock, period, task);
        synchronized (loops) {
            if (stopped) {
                return;
            }
            loops.add(loop);
        }
        loop.start();
    }

    /** Stops queueing and cancels pending timers; steps already queued still run. */
    public void stop() {
        stopped = true;
        synchronized (loops) {
            loops.forEach(Periodic::stop);
            loops.clear();
        }
    }

    private void run(String key) {
        waiting.remove(key);
        if (stopped) {
            return;
        }
        try {
            step.accept(key);
            retries.reset(key);
        } catch (RuntimeException e) {
            retries.next(key, clock.now());
            Duration delay = retries.delay(key);
            LOG.log(System.Logger.Level.ERROR, "Error syncing " + name + " \"" + key + "\", retrying in "
                    + io.podvisor.core.GoDuration.format(delay), e);
            addAfter(key, delay);
        }
    }
}
