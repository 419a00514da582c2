package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hands out one {@link SharedIndexInformer} per type, namespace and selection, so every user of
 * pods (or of a node's pods by {@code spec.nodeName}) shares one list, one watch and one cache.
 *
 * <p>Lifecycle: ask for informers, {@link #start()} (informers asked for later start at once),
 * {@link #close()} stops them all.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class SharedInformerFactory implements AutoCloseable {

    private record Key(Class<?> type, String namespace, String labelSelector, String fieldSelector) {}

    private final ObjectClient client;
    private final Clock clock;
    private final KeyedExecutor executor;
    private final Duration resyncPeriod;
    private final Map<Key, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private boolean started;
    private boolean closed;

    /** @param resyncPeriod of every informer; zero for none */
    public SharedInformerFactory(ObjectClient client, Clock clock, KeyedExecutor executor, Duration resyncPeriod) {
        this.client = Objects.requireNonNull(client);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
        this.resyncPeriod = Objects.requireNonNull(resyncPeriod);
    }

    /** The informer of every object of {@code type} in every namespace. */
    public <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type) {
        return informerFor(type, null, null, null);
    }

    /**
     * The informer of {@code type} in {@code namespace} (null = all) matching both selectors
     * (null or empty = everything; kubectl's syntax, e.g. {@code spec.nodeName=node-1}).
     */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type, String namespace,
            String labelSelector, String fieldSelector) {
        if (closed) {
            throw new IllegalStateException("informer factory is closed");
        }
        Key key = new Key(type, blankToNull(namespace), blankToNull(labelSelector), blankToNull(fieldSelector));
        SharedIndexInformer<?> existing = informers.get(key);
        if (existing != null) {
            return (SharedIndexInformer<T>) existing;
        }
        SharedIndexInformer<T> informer = new SharedIndexInformer<>(describe(key),
                ListWatch.of(client, type, key.namespace(), key.labelSelector(), key.fieldSelector()),
                clock, executor, resyncPeriod);
        informers.put(key, informer);
        if (started) {
            informer.start();
        }
        return informer;
    }

    /** Starts every informer asked for so far, and those asked for later as they are made. */
    public void start() {
        List<SharedIndexInformer<?>> toStart;
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
            toStart = new ArrayList<>(informers.values());
        }
        toStart.forEach(SharedIndexInformer::start);
    }

    /** Whether every informer asked for so far has its first list in its cache. */
    public synchronized boolean hasSynced() {
        return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Stops every informer. */
    @Override
    public void close() {
        List<SharedIndexInformer<?>> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(informers.values());
        }
        toClose.forEach(SharedIndexInformer::close);
    }

    private static String describe(Key key) {
        StringBuilder b = new StringBuilder(ResourceTypes.of(key.type().asSubclass(HasMetadata.class)).plural());
        if (key.namespace() != null) {
            b.append(" -n ").append(key.namespace());
        }
        if (key.labelSelector() != null) {
            b.append(" -l ").append(key.labelSelector());
        }
        if (key.fieldSelector() != null) {
            b.append(" --field-selector ").append(key.fieldSelector());
        }
        return b.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
