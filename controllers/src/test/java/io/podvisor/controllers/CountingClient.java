package io.podvisor.controllers;

import io.podvisor.api.client.ObjectClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link ObjectClient} passing every call to a delegate and counting the calls per method name. */
public final class CountingClient {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final ObjectClient client;

    public CountingClient(ObjectClient delegate) {
        this.client = ClientProxies.intercept(delegate, (method, args, proceed) -> {
            counts.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
            return proceed.call();
        });
    }

    /** The counting client. */
    public ObjectClient client() {
        return client;
    }

    /** How many calls of {@code method} (e.g. {@code list}, {@code get}) went through. */
    public int count(String method) {
        AtomicInteger n = counts.get(method);
        return n == null ? 0 : n.get();
    }
}
