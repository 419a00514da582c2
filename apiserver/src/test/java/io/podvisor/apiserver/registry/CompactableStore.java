package io.podvisor.apiserver.registry;

import io.podvisor.core.KeyedExecutor;
import io.podvisor.store.MemoryStore;
import io.podvisor.store.RevisionCompactedException;
import io.podvisor.store.Store;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link MemoryStore} (the store contract's in-memory implementation, delivering watch events
 * through the given executor) whose watch history can be cut short with {@link #compact}, for
 * tests of expired resource versions and continue tokens.
 */
final class CompactableStore implements Store {

    private final MemoryStore store;
    private volatile long compacted;

    CompactableStore(KeyedExecutor executor) {
        this.store = new MemoryStore(executor);
    }

    /** Forgets history up to {@code rev}: watches must start after it. */
    void compact(long rev) {
        compacted = rev;
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public Optional<Entry> get(String key) {
        return store.get(key);
    }

    @Override
    public Page list(String prefix, String startAfter, int limit) {
        return store.list(prefix, startAfter, limit);
    }

    @Override
    public Entry create(String key, byte[] value) {
        return store.create(key, value);
    }

    @Override
    public Entry update(String key, byte[] value, long expectedModRevision) {
        return store.update(key, value, expectedModRevision);
    }

    @Override
    public Entry delete(String key, long expectedModRevision) {
        return store.delete(key, expectedModRevision);
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<Event> listener) {
        if (afterRevision < compacted) {
            throw new RevisionCompactedException("required revision " + afterRevision + " has been compacted");
        }
        return store.watch(prefix, afterRevision, listener);
    }

    @Override
    public long oldestWatchableRevision() {
        return Math.max(compacted, store.oldestWatchableRevision());
    }

    @Override
    public void close() {
        store.close();
    }
}
