package io.podvisor.apiserver.registry;

import io.podvisor.core.KeyedExecutor;
import io.podvisor.store.KeyExistsException;
import io.podvisor.store.KeyNotFoundException;
import io.podvisor.store.RevisionCompactedException;
import io.podvisor.store.RevisionConflictException;
import io.podvisor.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A map-backed {@link Store} for registry tests: one revision counter, the full history of events
 * (until {@link #compact}), watch delivery through a {@link KeyedExecutor}. Counts writes so tests
 * can assert that a failed call wrote nothing.
 */
final class TestStore implements Store {

    private final KeyedExecutor executor;
    private final TreeMap<String, Entry> data = new TreeMap<>();
    private final List<Event> history = new ArrayList<>();
    private final List<TestWatch> watches = new ArrayList<>();
    private long revision;
    private long oldest;
    private int writes;

    TestStore(KeyedExecutor executor) {
        this.executor = executor;
    }

    private final class TestWatch implements Watch {
        final String prefix;
        final Consumer<Event> listener;
        volatile boolean closed;
        final String key;

        TestWatch(String prefix, Consumer<Event> listener, int id) {
            this.prefix = prefix;
            this.listener = listener;
            this.key = "store-watch-" + id;
        }

        void offer(Event e) {
            if (e.entry().key().startsWith(prefix)) {
                executor.execute(key, () -> {
                    if (!closed) {
                        listener.accept(e);
                    }
                });
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Forgets history up to {@code rev}: watches must start after it. */
    synchronized void compact(long rev) {
        oldest = rev;
        history.removeIf(e -> e.revision() <= rev);
    }

    synchronized int writes() {
        return writes;
    }

    @Override
    public synchronized long currentRevision() {
        return revision;
    }

    @Override
    public synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(data.get(key));
    }

    @Override
    public synchronized Page list(String prefix, String startAfter, int limit) {
        List<Entry> out = new ArrayList<>();
        Map<String, Entry> tail = startAfter == null ? data.tailMap(prefix, true) : data.tailMap(startAfter, false);
        boolean more = false;
        for (Entry e : tail.values()) {
            if (!e.key().startsWith(prefix)) {
                if (e.key().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (limit > 0 && out.size() >= limit) {
                more = true;
                break;
            }
            out.add(e);
        }
        return new Page(out, revision, more);
    }

    @Override
    public synchronized Entry create(String key, byte[] value) {
        if (data.containsKey(key)) {
            throw new KeyExistsException(key);
        }
        Entry e = new Entry(key, value.clone(), ++revision, revision);
        data.put(key, e);
        publish(new Event(EventType.PUT, e, null));
        return e;
    }

    @Override
    public synchronized Entry update(String key, byte[] value, long expectedModRevision) {
        Entry old = check(key, expectedModRevision);
        Entry e = new Entry(key, value.clone(), old.createRevision(), ++revision);
        data.put(key, e);
        publish(new Event(EventType.PUT, e, old));
        return e;
    }

    @Override
    public synchronized Entry delete(String key, long expectedModRevision) {
        Entry old = check(key, expectedModRevision);
        data.remove(key);
        Entry gone = new Entry(key, old.value(), old.createRevision(), ++revision);
        publish(new Event(EventType.DELETE, gone, old));
        return gone;
    }

    private Entry check(String key, long expected) {
        Entry old = data.get(key);
        if (old == null) {
            throw new KeyNotFoundException(key);
        }
        if (expected != 0 && old.modRevision() != expected) {
            throw new RevisionConflictException(key + " is at " + old.modRevision() + ", not " + expected);
        }
        return old;
    }

    private void publish(Event e) {
        writes++;
        history.add(e);
        watches.forEach(w -> w.offer(e));
    }

    @Override
    public synchronized Watch watch(String prefix, long afterRevision, Consumer<Event> listener) {
        if (afterRevision < oldest) {
            throw new RevisionCompactedException("required revision " + afterRevision + " has been compacted");
        }
        TestWatch w = new TestWatch(prefix, listener, watches.size());
        history.stream().filter(e -> e.revision() > afterRevision).forEach(w::offer);
        watches.add(w);
        return w;
    }

    @Override
    public synchronized long oldestWatchableRevision() {
        return oldest;
    }

    @Override
    public void close() {}
}
