package io.podvisor.store.sqlite;

import io.podvisor.core.KeyedExecutor;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.store.KeyExistsException;
import io.podvisor.store.Preconditions;
import io.podvisor.store.Store;
import io.podvisor.store.WatchHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link Store}: one SQLite file in WAL mode with {@code synchronous=NORMAL}.
 *
 * <p>Durability: a write returns after its transaction committed to the write-ahead log, so it
 * survives {@code kill -9} of the process (the log is in the operating system's hands); it may be
 * lost on a power failure or kernel crash, which would need {@code synchronous=FULL}.
 *
 * <p>Each write is one transaction on the single write connection, taken under a lock: it checks
 * the precondition, changes the {@code kv} row and stores the next revision in the {@code meta}
 * table, commits, then publishes its watch event before releasing the lock. Reads use a second
 * connection (under its own lock) and do not wait for writers. A reopened file keeps its objects
 * and continues its revision; its watch history starts at that revision.
 *
 * <p>SQL failures surface as {@link UncheckedIOException}; the failed write changes nothing.
 */
public final class SqliteStore implements Store {

    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final WatchHub hub;
    private volatile long revision;
    private volatile boolean closed;

    private SqliteStore(Connection writer, Connection reader, KeyedExecutor executor, int historySize)
            throws SQLException {
        this.writer = writer;
        this.reader = reader;
        this.revision = KvTable.revision(writer);
        this.hub = new WatchHub(executor, historySize, revision);
    }

    /** Opens (or creates) the store in {@code file}; watch events are delivered on virtual threads. */
    public static SqliteStore open(Path file) {
        return open(file, new VirtualThreadKeyedExecutor());
    }

    /**
     * Loads SQLite's native library now (it is unpacked and loaded on first use, tens of milliseconds),
     * so that a caller can do it on another thread while it starts up. Never throws: a failure shows
     * again when the store is opened.
     */
    public static void preload() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // reported by open()
        }
    }

    /** Opens (or creates) the store in {@code file}, delivering watch events through {@code executor}. */
    public static SqliteStore open(Path file, KeyedExecutor executor) {
        return open(file, executor, WatchHub.DEFAULT_HISTORY_SIZE);
    }

    /** As {@link #open(Path, KeyedExecutor)}, keeping {@code historySize} events for watch replay. */
    public static SqliteStore open(Path file, KeyedExecutor executor, int historySize) {
        Objects.requireNonNull(executor, "executor");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection writer = null;
        try {
            writer = config(SQLiteConfig.TransactionMode.IMMEDIATE).createConnection(url);
            KvTable.createSchema(writer);
            writer.setAutoCommit(false);
            Connection reader = config(SQLiteConfig.TransactionMode.DEFERRED).createConnection(url);
            try {
                return new SqliteStore(writer, reader, executor, historySize);
            } catch (SQLException | RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (SQLException e) {
            closeQuietly(writer);
            throw failure("cannot open " + file, e);
        }
    }

    private static SQLiteConfig config(SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(mode);
        return config;
    }

    @Override
    public long currentRevision() {
        return revision;
    }

    @Override
    public Optional<Entry> get(String key) {
        Objects.requireNonNull(key, "key");
        return read(() -> KvTable.select(reader, key));
    }

    @Override
    public Page list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        return read(() -> {
            reader.setAutoCommit(false);
            try {
                // One read transaction: the revision and the rows come from the same snapshot.
                return KvTable.list(reader, prefix, startAfter, limit, KvTable.revision(reader));
            } finally {
                reader.commit();
                reader.setAutoCommit(true);
            }
        });
    }

    @Override
    public Entry create(String key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return write(next -> {
            if (KvTable.select(writer, key).isPresent()) {
                throw new KeyExistsException("key exists: " + key);
            }
            Entry created = new Entry(key, value.clone(), next, next);
            KvTable.insert(writer, created);
            return new Event(EventType.PUT, created, null);
        }).entry();
    }

    @Override
    public Entry update(String key, byte[] value, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return write(next -> {
            Entry old = Preconditions.existing(key, KvTable.select(writer, key).orElse(null), expectedModRevision);
            Entry updated = new Entry(key, value.clone(), old.createRevision(), next);
            KvTable.replace(writer, updated);
            return new Event(EventType.PUT, updated, old);
        }).entry();
    }

    @Override
    public Entry delete(String key, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        return write(next -> {
            Entry old = Preconditions.existing(key, KvTable.select(writer, key).orElse(null), expectedModRevision);
            KvTable.remove(writer, key);
            return new Event(EventType.DELETE, new Entry(key, old.value(), old.createRevision(), next), old);
        }).entry();
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
        writeLock.lock();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            hub.closeAll();
            closeQuietly(reader);
            closeQuietly(writer);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private interface SqlAction<T> {
        T run() throws SQLException;
    }

    private interface Change {
        /** Applies one change at revision {@code next} and describes it; throws to change nothing. */
        Event apply(long next) throws SQLException;
    }

    private Event write(Change change) {
        writeLock.lock();
        try {
            ensureOpen();
            long next = revision + 1;
            Event event;
            try {
                event = change.apply(next);
                KvTable.setRevision(writer, next);
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                rollback();
                if (e instanceof SQLException sql) {
                    throw failure("write failed", sql);
                }
                throw (RuntimeException) e;
            }
            revision = next;
            hub.publish(event);
            return event;
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T read(SqlAction<T> action) {
        readLock.lock();
        try {
            ensureOpen();
            return action.run();
        } catch (SQLException e) {
            throw failure("read failed", e);
        } finally {
            readLock.unlock();
        }
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            throw failure("rollback failed", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private static UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException(new IOException(what + ": " + e.getMessage(), e));
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure or at shutdown: nothing more to do with this connection
        }
    }
}
