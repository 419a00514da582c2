package io.podvisor.apiserver.registry;

import io.podvisor.api.Times;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What every registry part shares: the store, codec, clock, executor and random source, and typed
 * reads of stored objects.
 */
final class Context {

    final Store store;
    final ObjectCodec codec;
    final Clock clock;
    final KeyedExecutor executor;
    private final RandomGenerator random;

    Context(Store store, Clock clock, KeyedExecutor executor, RandomGenerator random) {
        this.store = store;
        this.codec = new ObjectCodec();
        this.clock = clock;
        this.executor = executor;
        this.random = random;
    }

    /** A random int in [0, bound) (the generator itself need not be thread-safe). */
    int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    long nextLong() {
        synchronized (random) {
            return random.nextLong();
        }
    }

    /** Now, as RFC 3339 seconds. */
    String now() {
        return Times.format(clock.now());
    }

    /** The stored object, or null. */
    Stored find(ResourceType type, String namespace, String name) {
        return store.get(Keys.key(type, namespace, name)).map(e -> new Stored(codec.decode(type, e), e)).orElse(null);
    }

    /** The stored object; {@link ApiException.NotFound} if absent. */
    Stored require(ResourceType type, String namespace, String name) {
        Stored s = find(type, namespace, name);
        if (s == null) {
            throw notFound(type, name);
        }
        return s;
    }

    /** Every stored object of the type in {@code namespace} (null = all), in key order. */
    List<Stored> all(ResourceType type, String namespace) {
        List<Stored> out = new ArrayList<>();
        for (Store.Entry e : store.list(Keys.prefix(type, namespace), null, 0).entries()) {
            out.add(new Stored(codec.decode(type, e), e));
        }
        return out;
    }

    static ApiException notFound(ResourceType type, String name) {
        return new ApiException.NotFound(type.group(), type.plural(), name);
    }

    static ApiException conflict(ResourceType type, String name) {
        return new ApiException.Conflict(type.group(), type.plural(), name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }
}
