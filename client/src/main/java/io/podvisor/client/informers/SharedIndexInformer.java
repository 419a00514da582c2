package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.client.ObjectClient.Listing;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One list-then-watch of a type (in a namespace, with a selection), kept in an indexed cache and
 * shared by any number of event handlers, as client-go's shared index informer.
 *
 * <ul>
 *   <li><b>List, then watch</b> from the list's resourceVersion, so nothing is missed or repeated.
 *       Each watch event is decoded once by the transport and the one object is cached and handed
 *       to every handler: the objects are shared and read-only, see {@link ResourceEventHandler}.
 *   <li><b>Watch ended</b> ({@link WatchHandler#onClosed}): watched again from the last revision
 *       seen. <b>410 Gone</b> (that revision left the history): listed again and the cache brought
 *       to the list's state with exactly the difference: adds for new objects, updates for those
 *       whose resourceVersion changed, deletes (final state unknown, the last cached state given)
 *       for those gone meanwhile; then watched from the new list's revision. Failed lists and
 *       watches are retried with back-off (0.8 s doubling to 30 s) on the clock.
 *   <li><b>Handlers</b> can be added at any time; a late one first gets an add for every cached
 *       object. Each handler receives its calls in order on its own executor key.
 *   <li><b>Resync</b>: every resync period of the {@link Clock}, an update ({@code old == new})
 *       for every cached object to every handler, so a worker that dropped a key gets it again.
 * </ul>
 *
 * <p>Lifecycle: construct, add indexers and handlers, {@link #start()}, {@link #close()}. The
 * initial list runs on the executor; {@link #hasSynced()} / {@link #synced()} tell when it is in the
 * cache.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class SharedIndexInformer<T extends HasMetadata> implements AutoCloseable {

    static final Duration INITIAL_BACKOFF = Duration.ofMillis(800);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(SharedIndexInformer.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final String name;
    private final ListWatch<T> source;
    private final Clock clock;
    private final KeyedExecutor executor;
    private final Duration resyncPeriod;
    private final String key;
    private final Cache<T> cache = new Cache<>();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private final List<Listener> listeners = new ArrayList<>();
    private boolean started;
    private volatile boolean stopped;
    private long generation;
    private Subscription watch;
    private String lastResourceVersion;
    private Clock.Timer resyncTimer;
    private Clock.Timer retryTimer;
    private int failures;
    private int handlerCount;

    /**
     * @param name for logs and executor keys, e.g. {@code pods spec.nodeName=node-1}
     * @param resyncPeriod zero for none
     */
    public SharedIndexInformer(String name, ListWatch<T> source, Clock clock, KeyedExecutor executor,
            Duration resyncPeriod) {
        this.name = Objects.requireNonNull(name);
        this.source = Objects.requireNonNull(source);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
        this.resyncPeriod = Objects.requireNonNull(resyncPeriod);
        this.key = "informer-" + IDS.incrementAndGet() + " " + name;
    }

    /** What the informer lists and watches, as given to the constructor. */
    public String name() {
        return name;
    }

    /** The read-only view of the cache. */
    public Lister<T> lister() {
        return cache;
    }

    /**
     * Adds an index (e.g. {@link Indexers#OWNER_UID} with {@link Indexers#ownerUids}); also
     * indexes what is cached already.
     *
     * @throws IllegalArgumentException if an index of that name exists
     */
    public void addIndexer(String indexName, Function<? super T, ? extends Collection<String>> function) {
        synchronized (this) {
            cache.addIndexer(indexName, function);
        }
    }

    /**
     * Adds the index unless one of that name exists: users sharing an informer may each ask for
     * the same well-known index (e.g. {@link Indexers#OWNER_UID}); a name must always mean the
     * same function.
     *
     * @return whether it was added
     */
    public synchronized boolean addIndexerIfAbsent(String indexName,
            Function<? super T, ? extends Collection<String>> function) {
        if (cache.hasIndexer(indexName)) {
            return false;
        }
        cache.addIndexer(indexName, function);
        return true;
    }

    /**
     * Adds a handler; it first receives an add for every object cached now, then every later
     * change. Works before and after {@link #start()}.
     *
     * @return the registration: whether the handler has received the first list, and closing it
     *     removes the handler (calls already queued for it are dropped)
     */
    public synchronized Registration addEventHandler(ResourceEventHandler<T> handler) {
        Listener l = new Listener(handler, key + " handler-" + (++handlerCount));
        listeners.add(l);
        for (T object : cache.snapshot().values()) {
            l.deliver(h -> h.onAdd(object));
        }
        if (synced.isDone()) {
            l.markSynced();
        }
        return l;
    }

    /** Lists (on the executor) and then watches; starts the resync timer. Idempotent. */
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        executor.execute(key, this::listAndWatch);
        scheduleResync();
    }

    /** Whether the first list is in the cache. */
    public boolean hasSynced() {
        return synced.isDone();
    }

    /** Completes when the first list is in the cache. */
    public CompletionStage<Void> synced() {
        return synced.minimalCompletionStage();
    }

    /** The resourceVersion of the latest list, watch event or bookmark the cache reflects; null before the first list. */
    public synchronized String lastSyncResourceVersion() {
        return lastResourceVersion;
    }

    /** Stops watching and delivering; the cache keeps its last state. Idempotent. */
    @Override
    public void close() {
        Subscription w;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            generation++;
            w = watch;
            watch = null;
            cancel(resyncTimer);
            cancel(retryTimer);
        }
        if (w != null) {
            w.close();
        }
    }

    // ---- list and watch (on the executor key)

    private void listAndWatch() {
        if (stopped) {
            return;
        }
        Listing<T> listing;
        try {
            listing = source.list();
        } catch (RuntimeException e) {
            retryLater("list", e, this::listAndWatch);
            return;
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            replace(listing.items());
            lastResourceVersion = listing.resourceVersion();
            if (!synced.isDone()) {
                listeners.forEach(Listener::markSynced);
            }
        }
        synced.complete(null);
        startWatch();
    }

    private void startWatch() {
        long gen;
        String from;
        synchronized (this) {
            if (stopped) {
                return;
            }
            gen = ++generation;
            from = lastResourceVersion;
        }
        Subscription sub;
        try {
            sub = source.watch(from, new Events(gen));
        } catch (ApiException.Gone e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": watch from " + from + " is gone, listing again");
            executor.execute(key, this::listAndWatch);
            return;
        } catch (RuntimeException e) {
            retryLater("watch", e, this::startWatch);
            return;
        }
        boolean keep;
        synchronized (this) {
            keep = !stopped && gen == generation;
            if (keep) {
                watch = sub;
                failures = 0;
            }
        }
        if (!keep) {
            sub.close();
        }
    }

    private void retryLater(String what, RuntimeException e, Runnable task) {
        Duration delay;
        synchronized (this) {
            if (stopped) {
                return;
            }
            failures++;
            long ms = INITIAL_BACKOFF.toMillis() << Math.min(failures - 1, 16);
            delay = Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
            retryTimer = clock.schedule(delay, () -> executor.execute(key, task));
        }
        LOG.log(System.Logger.Level.WARNING, name + ": " + what + " failed, retrying in " + delay.toMillis() + " ms: " + e);
    }

    /** Brings the cache to {@code items}, notifying exactly the difference. Holds the monitor. */
    private void replace(List<T> items) {
        Map<String, T> before = cache.snapshot();
        Map<String, T> now = new LinkedHashMap<>();
        for (T object : items) {
            now.put(Indexers.key(object), object);
        }
        for (Map.Entry<String, T> e : now.entrySet()) {
            T old = before.get(e.getKey());
            T object = e.getValue();
            if (old == null) {
                cache.put(e.getKey(), object);
                broadcast(h -> h.onAdd(object));
            } else if (!sameVersion(old, object)) {
                cache.put(e.getKey(), object);
                broadcast(h -> h.onUpdate(old, object));
            }
        }
        for (Map.Entry<String, T> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                T last = cache.remove(e.getKey());
                broadcast(h -> h.onDelete(last, true));
            }
        }
    }

    /** Applies one watch event. Holds the monitor. */
    private void apply(String type, T object) {
        String rv = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                String k = Indexers.key(object);
                T old = cache.getByKey(k);
                if (old != null && sameVersion(old, object)) {
                    break;
                }
                cache.put(k, object);
                if (old == null) {
                    broadcast(h -> h.onAdd(object));
                } else {
                    broadcast(h -> h.onUpdate(old, object));
                }
            }
            case "DELETED" -> {
                T old = cache.remove(Indexers.key(object));
                if (old != null) {
                    broadcast(h -> h.onDelete(object, false));
                }
            }
            case "BOOKMARK" -> {
                // only the revision moves
            }
            default -> {
                return;
            }
        }
        if (rv != null && !rv.isEmpty()) {
            lastResourceVersion = rv;
        }
    }

    private static boolean sameVersion(HasMetadata a, HasMetadata b) {
        String ra = a.getMetadata().getResourceVersion();
        return ra != null && ra.equals(b.getMetadata().getResourceVersion());
    }

    // ---- resync

    private synchronized void scheduleResync() {
        if (!stopped && !resyncPeriod.isZero() && !resyncPeriod.isNegative()) {
            resyncTimer = clock.schedule(resyncPeriod, this::resync);
        }
    }

    private void resync() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (synced.isDone()) {
                for (T object : cache.snapshot().values()) {
                    broadcast(h -> h.onUpdate(object, object));
                }
            }
        }
        scheduleResync();
    }

    // ---- delivery

    private void broadcast(java.util.function.Consumer<ResourceEventHandler<T>> call) {
        for (Listener l : listeners) {
            l.deliver(call);
        }
    }

    private static void cancel(Clock.Timer t) {
        if (t != null) {
            t.cancel();
        }
    }

    /** A handler, its executor key and its registration. */
    private final class Listener implements Registration {
        final ResourceEventHandler<T> handler;
        final String handlerKey;
        final CompletableFuture<Void> handlerSynced = new CompletableFuture<>();
        volatile boolean removed;

        Listener(ResourceEventHandler<T> handler, String handlerKey) {
            this.handler = handler;
            this.handlerKey = handlerKey;
        }

        void deliver(java.util.function.Consumer<ResourceEventHandler<T>> call) {
            executor.execute(handlerKey, () -> {
                if (removed || stopped) {
                    return;
                }
                try {
                    call.accept(handler);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, name + ": event handler failed", e);
                }
            });
        }

        /** Queued after the adds of the first list (or of the cache, for a late handler). */
        void markSynced() {
            executor.execute(handlerKey, () -> handlerSynced.complete(null));
        }

        @Override
        public boolean hasSynced() {
            return handlerSynced.isDone();
        }

        @Override
        public CompletionStage<Void> synced() {
            return handlerSynced.minimalCompletionStage();
        }

        @Override
        public void close() {
            synchronized (SharedIndexInformer.this) {
                removed = true;
                listeners.remove(this);
            }
        }
    }

    /** The events of one watch; stale once a newer watch started or the informer stopped. */
    private final class Events implements WatchHandler<T> {
        private final long gen;

        Events(long gen) {
            this.gen = gen;
        }

        @Override
        public void onEvent(String type, T object) {
            synchronized (SharedIndexInformer.this) {
                if (!stopped && gen == generation) {
                    apply(type, object);
                }
            }
        }

        @Override
        public void onClosed(RuntimeException cause) {
            boolean gone = cause instanceof ApiException.Gone;
            synchronized (SharedIndexInformer.this) {
                if (stopped || gen != generation) {
                    return;
                }
                generation++;
                watch = null;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": watch ended (" + cause + ")");
            executor.execute(key, gone ? SharedIndexInformer.this::listAndWatch : SharedIndexInformer.this::startWatch);
        }
    }

    /** A handler's registration. */
    public interface Registration extends AutoCloseable {

        /** Whether the handler has been called for every object of the first list (client-go's handler HasSynced). */
        boolean hasSynced();

        /** Completes once {@link #hasSynced()}. */
        CompletionStage<Void> synced();

        /** Removes the handler; idempotent. */
        @Override
        void close();
    }
}
