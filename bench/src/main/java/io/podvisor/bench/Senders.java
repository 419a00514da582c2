package io.podvisor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests {@code 0 … count-1} sent from a few virtual threads, each taking the next index until none is left. */
final class Senders {

    /** The request for index {@code i}. */
    interface Request {
        void send(int i) throws Exception;
    }

    private Senders() {}

    /**
     * Sends every request from {@code senders} threads; stops at the first failure and throws it.
     *
     * @return the wall time in seconds
     */
    static double run(int count, int senders, Request request) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < senders; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = next.getAndIncrement(); i < count && failures.isEmpty(); i = next.getAndIncrement()) {
                    try {
                        request.send(i);
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("requests failed", failures.getFirst());
        }
        return seconds;
    }
}
