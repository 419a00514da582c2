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
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link Store}: one SQLite file in WAL mode with {@code synchronous=FULL}.
 *
 * <p>Durability: a write returns after its transaction committed and the write-ahead log was
 * synced to disk, so an acknowledged write survives {@code kill -9} of the process and a power
 * loss or kernel crash alike, as etcd's fsynced WAL does.
 *
 * <p>Group commit: writers queue their change; whichever takes the write lock first applies every
 * queued change in one transaction (each under a savepoint, at the next revision, so a change that
 * fails its precondition changes nothing and the others go on), stores the last revision in the
 * {@code meta} table, commits with one sync and publishes the watch events in revision order before
 * releasing the lock. Writers that queued while a sync was running find their result ready when
 * they get the lock. So concurrent writers share one sync, and a lone writer waits for just its
 * own. Reads use a second connection (under its own lock) and do not wait for writers. A reopened
 * file keeps its objects and continues its revision; its watch history starts at that revision.
 *
 * <p>SQL failures surface as {@link UncheckedIOException}; the failed write changes nothing. The
 * last such failure is reported by {@link #healthProblem()} until a later write succeeds.
 */
public final class SqliteStore implements Store {

    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final WatchHub hub;
    /** Changes waiting for the next group commit, in arrival order. */
    private final Queue<PendingWrite> pending = new ConcurrentLinkedQueue<>();
    /** At most this many changes go into one transaction. */
    private static final int MAX_BATCH = 512;
    private volatile long revision;
    private volatile boolean closed;
    private volatile String writeFailure;

    private SqliteStore(Connection writer, Connection reader, KeyedExecutor executor, int historySize, long historyBytes)
            throws SQLException {
        this.writer = writer;
        this.reader = reader;
        this.revision = KvTable.revision(writer);
        this.hub = new WatchHub(executor, historySize, historyBytes, revision);
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
        return open(file, executor, historySize, WatchHub.DEFAULT_HISTORY_BYTES);
    }

    /**
     * As {@link #open(Path, KeyedExecutor)}, keeping at most {@code historySize} events holding at
     * most {@code historyBytes} for watch replay.
     */
    public static SqliteStore open(Path file, KeyedExecutor executor, int historySize, long historyBytes) {
        return open(file, executor, historySize, historyBytes, c -> {});
    }

    /** As {@link #open(Path, KeyedExecutor, int, long)}, with {@code writerSettings} applied to the write connection's. */
    static SqliteStore open(Path file, KeyedExecutor executor, int historySize, long historyBytes,
            Consumer<SQLiteConfig> writerSettings) {
        Objects.requireNonNull(executor, "executor");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection writer = null;
        try {
            SQLiteConfig writerConfig = config(SQLiteConfig.TransactionMode.IMMEDIATE);
            writerSettings.accept(writerConfig);
            writer = writerConfig.createConnection(url);
            KvTable.createSchema(writer);
            writer.setAutoCommit(false);
            Connection reader = config(SQLiteConfig.TransactionMode.DEFERRED).createConnection(url);
            try {
                return new SqliteStore(writer, reader, executor, historySize, historyBytes);
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
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
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

    /** A {@code PRAGMA} of the write connection (tests check the durability settings writes run with). */
    String writerPragma(String name) {
        writeLock.lock();
        try (Statement st = writer.createStatement(); java.sql.ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw failure("read failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<String> healthProblem() {
        String failure = writeFailure;
        return failure == null ? Optional.empty() : Optional.of(failure);
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

    /** One queued change and, once its group committed or it failed, its outcome. Guarded by the write lock. */
    private static final class PendingWrite {
        final Change change;
        boolean done;
        Event event;
        RuntimeException failure;

        PendingWrite(Change change) {
            this.change = change;
        }

        void fail(RuntimeException e) {
            event = null;
            failure = e;
            done = true;
        }
    }

    private Event write(Change change) {
        PendingWrite mine = new PendingWrite(change);
        pending.add(mine);
        writeLock.lock();
        try {
            if (!mine.done) {
                commitGroup(mine);
            }
        } finally {
            writeLock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.event;
    }

    /** Applies and commits the queued changes (at least {@code mine}); call holding the write lock. */
    private void commitGroup(PendingWrite mine) {
        List<PendingWrite> group = new ArrayList<>();
        for (PendingWrite p = pending.poll(); p != null; p = group.size() < MAX_BATCH ? pending.poll() : null) {
            group.add(p);
        }
        if (!group.contains(mine)) {
            // taken by a group that failed without an answer for it (an Error): fail it alone
            mine.fail(new IllegalStateException("write abandoned by a failed commit"));
        }
        List<PendingWrite> committed = commit(group);
        // in revision order, before the lock is released: a watch registered later replays them
        for (PendingWrite p : committed) {
            hub.publish(p.event);
        }
    }

    /** Applies the group in one transaction and commits it; returns the changes committed, answered. */
    private List<PendingWrite> commit(List<PendingWrite> group) {
        try {
            if (closed) {
                group.forEach(p -> p.fail(new IllegalStateException("store is closed")));
                return List.of();
            }
            List<PendingWrite> applied = apply(group);
            if (applied.isEmpty()) {
                rollback();
                return List.of();
            }
            long last = applied.getLast().event.revision();
            try {
                KvTable.setRevision(writer, last);
                writer.commit();
            } catch (SQLException e) {
                rollback();
                UncheckedIOException failure = failure("write failed", e);
                writeFailure = failure.getCause().getMessage();
                applied.forEach(p -> p.fail(failure));
                return List.of();
            }
            writeFailure = null;
            revision = last;
            applied.forEach(p -> p.done = true);
            return applied;
        } catch (RuntimeException e) {
            abandon(group, e);
            return List.of();
        } catch (Error e) {
            abandon(group, new IllegalStateException("write failed: " + e, e));
            throw e;
        }
    }

    /** Rolls the group's transaction back and answers every change not answered yet with {@code failure}. */
    private void abandon(List<PendingWrite> group, RuntimeException failure) {
        try {
            rollback();
        } catch (RuntimeException ignored) {
            // the original failure is the one to report
        }
        for (PendingWrite p : group) {
            if (!p.done) {
                p.fail(failure);
            }
        }
    }

    /**
     * Applies each change of the group at the next revision under a savepoint of its own; a change
     * that throws is rolled back alone and answered with its failure. Returns those applied.
     */
    private List<PendingWrite> apply(List<PendingWrite> group) {
        List<PendingWrite> applied = new ArrayList<>();
        long next = revision;
        for (PendingWrite p : group) {
            Savepoint savepoint;
            try {
                savepoint = writer.setSavepoint();
            } catch (SQLException e) {
                p.fail(noteFailure(e));
                continue;
            }
            try {
                p.event = p.change.apply(next + 1);
                writer.releaseSavepoint(savepoint);
                next++;
                applied.add(p);
            } catch (SQLException | RuntimeException e) {
                RuntimeException failure = e instanceof SQLException sql ? noteFailure(sql) : (RuntimeException) e;
                if (!rolledBackTo(savepoint)) {
                    // SQLite ended the whole transaction itself (a full disk, an I/O error): the changes
                    // applied before this one are gone too, so the whole group fails with this failure
                    throw failure;
                }
                p.fail(failure);
            }
        }
        return applied;
    }

    private UncheckedIOException noteFailure(SQLException e) {
        UncheckedIOException failure = failure("write failed", e);
        writeFailure = failure.getCause().getMessage();
        return failure;
    }

    /** Undoes what was done since {@code savepoint}; false when the savepoint is gone with its transaction. */
    private boolean rolledBackTo(Savepoint savepoint) {
        try {
            writer.rollback(savepoint);
            writer.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            return false;
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

    /**
     * Rolls the write transaction back and opens the next one (the write connection always has one
     * open). After a full disk or an I/O error SQLite may have rolled it back itself; then the
     * driver's rollback fails and the next transaction is begun here, so that a later savepoint
     * cannot start (and its release commit) a transaction of its own.
     */
    private void rollback() {
        try {
            writer.rollback();
            return;
        } catch (SQLException e) {
            // no transaction left to roll back: begin the next one below
        }
        try (Statement begin = writer.createStatement()) {
            begin.execute("BEGIN IMMEDIATE");
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
