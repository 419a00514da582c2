package io.podvisor.store;

import io.podvisor.core.KeyedExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The watch half of a {@link Store} implementation: a bounded window of recent events and the
 * running watches they fan out to.
 *
 * <p>The window is bounded by a number of events and by the bytes their values hold (an event
 * counts its new value and, when it is a distinct array, its previous one), whichever is reached
 * first; the oldest events are dropped and a watch starting before them is refused with
 * {@link RevisionCompactedException}. So a few updates of a large object cannot fill the heap.
 *
 * <p>The owning store calls {@link #publish} once per committed write, in revision order, while it
 * still holds its write lock. Registering a watch and publishing an event exclude each other, so
 * every event after a watch's start revision reaches it exactly once: either in its replay or
 * live. Each watch delivers through the {@link KeyedExecutor} under its own key, hence in order
 * and never on the thread that called {@link #watch}. A listener that throws is logged and keeps
 * receiving later events; other watches are unaffected. After {@link Store.Watch#close()} a watch
 * receives nothing more (an event already being handed to the listener finishes).
 *
 * <p>Thread-safe.
 */
public final class WatchHub {

    /** The default number of events kept for replay. */
    public static final int DEFAULT_HISTORY_SIZE = 10_000;
    /** The default bound of the bytes the kept events hold (their values and keys). */
    public static final long DEFAULT_HISTORY_BYTES = 48L * 1024 * 1024;
    /** What an event costs besides its values: the event, entries and key, roughly. */
    private static final int EVENT_OVERHEAD = 128;

    private static final System.Logger LOG = System.getLogger(WatchHub.class.getName());
    private static final AtomicLong WATCH_IDS = new AtomicLong();

    private final KeyedExecutor executor;
    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<Store.Event> history = new ArrayDeque<>();
    private long bytes;
    private final Set<Subscription> subscriptions = new LinkedHashSet<>();
    private long oldest;
    private long latest;
    private boolean closed;

    /** As {@link #WatchHub(KeyedExecutor, int, long, long)} with {@link #DEFAULT_HISTORY_BYTES}. */
    public WatchHub(KeyedExecutor executor, int capacity, long currentRevision) {
        this(executor, capacity, DEFAULT_HISTORY_BYTES, currentRevision);
    }

    /**
     * @param executor delivers events, one key per watch
     * @param capacity how many events to keep for replay (at least 1)
     * @param maxBytes how many bytes the kept events may hold (at least 1); the newest event is
     *     dropped too when it alone is larger
     * @param currentRevision the store's revision now; replay can start after it, not before
     */
    public WatchHub(KeyedExecutor executor, int capacity, long maxBytes, long currentRevision) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history size must be at least 1: " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("history bytes must be at least 1: " + maxBytes);
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.oldest = currentRevision;
        this.latest = currentRevision;
    }

    /** Records a committed change and hands it to every matching watch. Call in revision order. */
    public synchronized void publish(Store.Event event) {
        if (event.revision() <= latest) {
            throw new IllegalStateException("event revision " + event.revision() + " not after " + latest);
        }
        latest = event.revision();
        history.addLast(event);
        bytes += size(event);
        while (history.size() > capacity || bytes > maxBytes) {
            Store.Event dropped = history.removeFirst();
            bytes -= size(dropped);
            oldest = dropped.revision();
        }
        for (Subscription s : subscriptions) {
            if (s.matches(event)) {
                s.enqueue(List.of(event));
            }
        }
    }

    /** The bytes an event holds, as the window counts them. */
    static long size(Store.Event event) {
        byte[] value = event.entry().value();
        long n = EVENT_OVERHEAD + 2L * event.entry().key().length() + value.length;
        Store.Entry previous = event.previous();
        if (previous != null && previous.value() != value) {
            n += previous.value().length;
        }
        return n;
    }

    /** The bytes the kept events hold now. */
    public synchronized long historyBytes() {
        return bytes;
    }

    /** The oldest revision a watch can start after. */
    public synchronized long oldestWatchableRevision() {
        return oldest;
    }

    /** See {@link Store#watch}. */
    public synchronized Store.Watch watch(String prefix, long afterRevision, Consumer<Store.Event> listener) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        if (afterRevision < oldest) {
            throw new RevisionCompactedException(
                    "too old resource version: " + afterRevision + " (" + oldest + ")");
        }
        Subscription s = new Subscription(prefix, afterRevision, listener);
        List<Store.Event> replay = replay(s);
        subscriptions.add(s);
        if (!replay.isEmpty()) {
            s.enqueue(replay);
        }
        return s;
    }

    /** Closes every watch; later {@link #watch} calls fail. */
    public synchronized void closeAll() {
        closed = true;
        for (Subscription s : subscriptions) {
            s.closed = true;
        }
        subscriptions.clear();
    }

    private List<Store.Event> replay(Subscription s) {
        List<Store.Event> newestFirst = new ArrayList<>();
        Iterator<Store.Event> it = history.descendingIterator();
        while (it.hasNext()) {
            Store.Event e = it.next();
            if (e.revision() <= s.afterRevision) {
                break;
            }
            if (s.matches(e)) {
                newestFirst.add(e);
            }
        }
        return newestFirst.reversed();
    }

    private synchronized void remove(Subscription s) {
        subscriptions.remove(s);
    }

    private final class Subscription implements Store.Watch {
        private final String key = "watch-" + WATCH_IDS.incrementAndGet();
        private final String prefix;
        private final long afterRevision;
        private final Consumer<Store.Event> listener;
        private volatile boolean closed;

        Subscription(String prefix, long afterRevision, Consumer<Store.Event> listener) {
            this.prefix = prefix;
            this.afterRevision = afterRevision;
            this.listener = listener;
        }

        boolean matches(Store.Event e) {
            return e.revision() > afterRevision && e.entry().key().startsWith(prefix);
        }

        void enqueue(List<Store.Event> events) {
            executor.execute(key, () -> deliver(events));
        }

        private void deliver(List<Store.Event> events) {
            for (Store.Event e : events) {
                if (closed) {
                    return;
                }
                try {
                    listener.accept(e);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "watch listener on " + prefix + " failed at revision "
                            + e.revision(), ex);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            remove(this);
        }
    }
}
