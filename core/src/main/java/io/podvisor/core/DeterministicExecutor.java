package io.podvisor.core;

import java.util.ArrayDeque;

/**
 * A {@link KeyedExecutor} for virtual-time tests: tasks wait in one FIFO queue until
 * {@link #runUntilIdle()} runs them on the calling thread. Serial for all keys, hence deterministic.
 */
public final class DeterministicExecutor implements KeyedExecutor {

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final int maxTasksPerDrain;

    public DeterministicExecutor() {
        this(1_000_000);
    }

    /** @param maxTasksPerDrain a guard against a task that requeues itself forever */
    public DeterministicExecutor(int maxTasksPerDrain) {
        this.maxTasksPerDrain = maxTasksPerDrain;
    }

    @Override
    public void execute(String key, Runnable task) {
        queue.add(task);
    }

    /** Runs queued tasks (and those they queue) until none is left. */
    public void runUntilIdle() {
        int n = 0;
        Runnable r;
        while ((r = queue.poll()) != null) {
            if (++n > maxTasksPerDrain) {
                throw new IllegalStateException("work queue does not drain: more than " + maxTasksPerDrain + " tasks");
            }
            r.run();
        }
    }

    public boolean isIdle() {
        return queue.isEmpty();
    }
}
