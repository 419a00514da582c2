package io.podvisor.core;

/**
 * Runs tasks serially per key (one pod's work never runs concurrently with itself) and possibly
 * concurrently across keys. Production: {@link VirtualThreadKeyedExecutor}; tests:
 * {@link DeterministicExecutor}, which runs everything on the calling thread when drained.
 */
public interface KeyedExecutor {

    /** Queues {@code task} after every task already queued for {@code key}. Never runs it inline. */
    void execute(String key, Runnable task);
}
