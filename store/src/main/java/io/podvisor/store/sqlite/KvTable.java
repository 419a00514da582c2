package io.podvisor.store.sqlite;

import io.podvisor.store.Store.Entry;
import io.podvisor.store.Store.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of {@link SqliteStore}: the {@code kv} table (one row per live key) and the {@code meta}
 * table holding the store revision. Callers own transactions and locking.
 */
final class KvTable {

    private static final String COLUMNS = "key, value, create_revision, mod_revision";

    private KvTable() {}

    static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, "
                    + "create_revision INTEGER NOT NULL, mod_revision INTEGER NOT NULL) WITHOUT ROWID");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)");
            s.executeUpdate("INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0)");
        }
    }

    static long revision(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE name = 'revision'");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("meta table has no revision row");
            }
            return rs.getLong(1);
        }
    }

    static void setRevision(Connection c, long revision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE name = 'revision'")) {
            ps.setLong(1, revision);
            expectOneRow(ps.executeUpdate(), "revision");
        }
    }

    static Optional<Entry> select(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    static void insert(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv (" + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
            ps.setString(1, e.key());
            ps.setBytes(2, e.value());
            ps.setLong(3, e.createRevision());
            ps.setLong(4, e.modRevision());
            expectOneRow(ps.executeUpdate(), e.key());
        }
    }

    static void replace(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET value = ?, mod_revision = ? WHERE key = ?")) {
            ps.setBytes(1, e.value());
            ps.setLong(2, e.modRevision());
            ps.setString(3, e.key());
            expectOneRow(ps.executeUpdate(), e.key());
        }
    }

    static void remove(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM kv WHERE key = ?")) {
            ps.setString(1, key);
            expectOneRow(ps.executeUpdate(), key);
        }
    }

    /**
     * One page of keys under {@code prefix}. Keys sharing a prefix are contiguous in key order, so
     * the scan starts at the prefix (or after {@code startAfter}) and stops at the first key outside it.
     * Run it inside a read transaction together with {@link #revision} for a consistent page.
     */
    static Page list(Connection c, String prefix, String startAfter, int limit, long revision) throws SQLException {
        boolean after = startAfter != null && startAfter.compareTo(prefix) >= 0;
        String sql = "SELECT " + COLUMNS + " FROM kv WHERE key " + (after ? ">" : ">=") + " ? ORDER BY key"
                + (limit > 0 ? " LIMIT ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, after ? startAfter : prefix);
            if (limit > 0) {
                ps.setLong(2, (long) limit + 1);
            }
            List<Entry> page = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    if (!key.startsWith(prefix)) {
                        break;
                    }
                    if (limit > 0 && page.size() == limit) {
                        more = true;
                        break;
                    }
                    page.add(entry(rs));
                }
            }
            return new Page(List.copyOf(page), revision, more);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getLong(4));
    }

    private static void expectOneRow(int rows, String what) throws SQLException {
        if (rows != 1) {
            throw new SQLException("expected one row changed for " + what + ", got " + rows);
        }
    }
}
