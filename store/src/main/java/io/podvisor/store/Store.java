package io.podvisor.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A revisioned key-value store, shaped like etcd's: every successful write takes the next value of
 * one store-wide revision counter; an entry remembers the revision that created it and the one that
 * last modified it. Keys are strings such as {@code /registry/pods/default/web}; values are opaque
 * bytes (the API server stores JSON).
 *
 * <p>Every write is atomic and durable once it returns (implementations that persist must survive
 * {@code kill -9} of the process for every acknowledged write). A failed write changes nothing.
 *
 * <p>Thread-safety: implementations are safe for concurrent use; writes are serialised, so the
 * revision order is the commit order. Watch events are delivered in revision order.
 */
public interface Store extends AutoCloseable {

    /** A stored value and its revisions. {@code value} must not be modified by callers. */
    record Entry(String key, byte[] value, long createRevision, long modRevision) {}

    /**
     * One page of a prefix listing. {@code revision} is the store revision the page was read at;
     * {@code more} says whether keys after the last entry exist under the prefix.
     */
    record Page(List<Entry> entries, long revision, boolean more) {}

    /** What happened to a key. {@code PUT} covers create and update. */
    enum EventType { PUT, DELETE }

    /**
     * One change. For {@code PUT}, {@code entry} is the new entry and {@code previous} the old one
     * (null on create). For {@code DELETE}, {@code entry} carries the last value with
     * {@code modRevision} set to the revision of the deletion, and {@code previous} the entry as it
     * was before.
     */
    record Event(EventType type, Entry entry, Entry previous) {
        public long revision() {
            return entry.modRevision();
        }
    }

    /** A running watch; closing it stops delivery (idempotent). */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** The revision of the latest write (0 for an empty, never-written store). */
    long currentRevision();

    /** The entry at {@code key}, if any. */
    Optional<Entry> get(String key);

    /**
     * Entries whose key starts with {@code prefix}, in key order, starting strictly after
     * {@code startAfter} (null = from the beginning), at most {@code limit} of them ({@code limit <= 0}
     * = all). All entries of one page are read at one revision.
     */
    Page list(String prefix, String startAfter, int limit);

    /**
     * Creates {@code key}.
     *
     * @throws KeyExistsException if the key exists
     */
    Entry create(String key, byte[] value);

    /**
     * Replaces the value at {@code key}, if its current {@code modRevision} equals
     * {@code expectedModRevision} ({@code 0} = whatever it is).
     *
     * @throws KeyNotFoundException if the key does not exist
     * @throws RevisionConflictException if the precondition fails
     */
    Entry update(String key, byte[] value, long expectedModRevision);

    /**
     * Removes {@code key} under the same precondition as {@link #update}.
     *
     * @return the removed entry, with {@code modRevision} set to the revision of the deletion
     * @throws KeyNotFoundException if the key does not exist
     * @throws RevisionConflictException if the precondition fails
     */
    Entry delete(String key, long expectedModRevision);

    /**
     * Delivers every change under {@code prefix} with a revision greater than {@code afterRevision},
     * in order, on a thread of the store's choosing (never the caller's during this call). History
     * older than the store's window cannot be replayed.
     *
     * @throws RevisionCompactedException if {@code afterRevision} is older than the oldest revision
     *     the store can still replay
     */
    Watch watch(String prefix, long afterRevision, Consumer<Event> listener);

    /** The oldest revision {@link #watch} can start after. */
    long oldestWatchableRevision();

    /**
     * Why the store cannot serve now, if it cannot: for a persistent store, its last write failed
     * for a reason of its own (I/O, a full disk, a corrupt file) and no write succeeded since.
     * Preconditions that fail are no such reason.
     */
    default Optional<String> healthProblem() {
        return Optional.empty();
    }

    @Override
    void close();
}
