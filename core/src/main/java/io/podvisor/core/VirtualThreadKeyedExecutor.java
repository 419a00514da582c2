package io.podvisor.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Production {@link KeyedExecutor}: per key, a virtual thread drains that key's queue. */
public final class VirtualThreadKeyedExecutor implements KeyedExecutor {

    private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();

    @Override
    public void execute(String key, Runnable task) {
        boolean start;
        synchronized (queues) {
            ArrayDeque<Runnable> q = queues.get(key);
            start = q == null;
            if (start) {
                q = new ArrayDeque<>();
                queues.put(key, q);
            }
            q.add(task);
        }
        if (start) {
            Thread.ofVirtual().name("pod-" + key).start(() -> drain(key));
        }
    }

    private void drain(String key) {
        while (true) {
            Runnable next;
            synchronized (queues) {
                ArrayDeque<Runnable> q = queues.get(key);
                next = q.poll();
                if (next == null) {
                    queues.remove(key);
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }
}
