package io.podvisor.store;

import io.podvisor.core.KeyedExecutor;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A {@link Store} held in a sorted map, for tests and the virtual-time harness. Nothing survives
 * the process. Reads share a read lock; writes take the write lock and publish their event before
 * releasing it, so revision order is commit order. Values are copied on the way in.
 */
public final class MemoryStore implements Store {

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final WatchHub hub;
    private long revision;
    private boolean closed;

    /** A store delivering watch events on virtual threads, keeping the default history window. */
    public MemoryStore() {
        this(new VirtualThreadKeyedExecutor());
    }

    /** A store delivering watch events through {@code executor}, keeping the default history window. */
    public MemoryStore(KeyedExecutor executor) {
        this(executor, WatchHub.DEFAULT_HISTORY_SIZE);
    }

    /** A store delivering watch events through {@code executor}, keeping {@code historySize} events. */
    public MemoryStore(KeyedExecutor executor, int historySize) {
        this(executor, historySize, WatchHub.DEFAULT_HISTORY_BYTES);
    }

    /**
     * A store delivering watch events through {@code executor}, keeping at most {@code historySize}
     * events holding at most {@code historyBytes}.
     */
    public MemoryStore(KeyedExecutor executor, int historySize, long historyBytes) {
        this.hub = new WatchHub(executor, historySize, historyBytes, 0);
    }

    @Override
    public long currentRevision() {
        return read(() -> revision);
    }

    @Override
    public Optional<Entry> get(String key) {
        Objects.requireNonNull(key, "key");
        return read(() -> Optional.ofNullable(entries.get(key)));
    }

    @Override
    public Page list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        return read(() -> {
            NavigableMap<String, Entry> tail = startAfter == null || startAfter.compareTo(prefix) < 0
                    ? entries.tailMap(prefix, true)
                    : entries.tailMap(startAfter, false);
            List<Entry> page = new ArrayList<>();
            boolean more = false;
            for (Map.Entry<String, Entry> e : tail.entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                if (limit > 0 && page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(e.getValue());
            }
            return new Page(List.copyOf(page), revision, more);
        });
    }

    @Override
    public Entry create(String key, byte[] value) {
        Objects.requireNonNull(key, "key");
        byte[] copy = value.clone();
        return write(() -> {
            if (entries.containsKey(key)) {
                throw new KeyExistsException("key exists: " + key);
            }
            long next = revision + 1;
            Entry created = new Entry(key, copy, next, next);
            commit(next, new Event(EventType.PUT, created, null));
            return created;
        });
    }

    @Override
    public Entry update(String key, byte[] value, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        byte[] copy = value.clone();
        return write(() -> {
            Entry old = Preconditions.existing(key, entries.get(key), expectedModRevision);
            long next = revision + 1;
            Entry updated = new Entry(key, copy, old.createRevision(), next);
            commit(next, new Event(EventType.PUT, updated, old));
            return updated;
        });
    }

    @Override
    public Entry delete(String key, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        return write(() -> {
            Entry old = Preconditions.existing(key, entries.get(key), expectedModRevision);
            long next = revision + 1;
            Entry deleted = new Entry(key, old.value(), old.createRevision(), next);
            commit(next, new Event(EventType.DELETE, deleted, old));
            return deleted;
        });
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<Event> listener) {
        return hub.watch(prefix, afterRevision, listener);
    }

    @Override
    public long oldestWatchableRevision() {
        return hub.oldestWatchableRevision();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            hub.closeAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void commit(long next, Event event) {
        if (event.type() == EventType.DELETE) {
            entries.remove(event.entry().key());
        } else {
            entries.put(event.entry().key(), event.entry());
        }
        revision = next;
        hub.publish(event);
    }

    private interface Action<T> {
        T run();
    }

    private <T> T read(Action<T> action) {
        return locked(lock.readLock(), action);
    }

    private <T> T write(Action<T> action) {
        return locked(lock.writeLock(), action);
    }

    private <T> T locked(Lock l, Action<T> action) {
        l.lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            return action.run();
        } finally {
            l.unlock();
        }
    }
}
