package io.podvisor.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The physical limit of the store's medium: raw sqlite-jdbc inserts of the same bytes into a fresh
 * database file (WAL, immediate transactions), one row per committed transaction on one write
 * connection taken under a lock (SQLite serializes writers), from the same number of concurrent
 * senders. It keeps {@code synchronous=NORMAL} (no sync per commit), as the store had before it
 * synced every acknowledged write, so the figure stays comparable across rounds: the store's
 * group commit is measured against SQLite without any sync cost.
 */
final class SqliteBaseline {

    private SqliteBaseline() {}

    /**
     * Inserts {@code warmup} rows unmeasured, then {@code count} measured ones, from {@code senders}
     * virtual threads; returns rows per second of the measured part.
     */
    static double insertsPerSecond(Path file, byte[] value, int warmup, int count, int senders) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            ReentrantLock lock = new ReentrantLock();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO kv (key, value) VALUES (?, ?)")) {
                run(c, insert, lock, value, "w", warmup, senders);
                long t0 = System.nanoTime();
                run(c, insert, lock, value, "m", count, senders);
                return count / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static void run(Connection c, PreparedStatement insert, ReentrantLock lock, byte[] value, String prefix,
                            int count, int senders) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < senders; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        insertOne(c, insert, lock, "/registry/pods/default/" + prefix + i, value);
                    } catch (SQLException | RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("raw insert failed", failures.getFirst());
        }
    }

    private static void insertOne(Connection c, PreparedStatement insert, ReentrantLock lock, String key, byte[] value)
            throws SQLException {
        lock.lock();
        try {
            insert.setString(1, key);
            insert.setBytes(2, value);
            insert.executeUpdate();
            c.commit();
        } finally {
            lock.unlock();
        }
    }
}
