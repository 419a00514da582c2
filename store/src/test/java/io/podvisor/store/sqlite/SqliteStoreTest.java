package io.podvisor.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.store.RecordingListener;
import io.podvisor.store.RevisionCompactedException;
import io.podvisor.store.Store;
import io.podvisor.store.StoreContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;

    private int files;

    @Override
    protected Store newStore(KeyedExecutor executor, int historySize, long historyBytes) {
        return SqliteStore.open(dir.resolve("store-" + ++files + ".db"), executor, historySize, historyBytes);
    }

    @Test
    void reopenKeepsEverythingAndRevisionsContinue() {
        Path file = dir.resolve("reopen.db");
        try (SqliteStore first = SqliteStore.open(file, executor)) {
            first.create("/a", bytes("1"));
            first.create("/b", bytes("2"));
            first.update("/a", bytes("3"), 1);
            first.delete("/b", 0);
        }

        DeterministicExecutor later = new DeterministicExecutor();
        try (SqliteStore second = SqliteStore.open(file, later)) {
            assertThat(second.currentRevision()).isEqualTo(4);
            Store.Entry a = second.get("/a").orElseThrow();
            assertThat(text(a)).isEqualTo("3");
            assertThat(a.createRevision()).isEqualTo(1);
            assertThat(a.modRevision()).isEqualTo(3);
            assertThat(second.get("/b")).isEmpty();
            assertThat(second.oldestWatchableRevision()).isEqualTo(4);
            assertThatThrownBy(() -> second.watch("", 3, e -> {}))
                    .isInstanceOf(RevisionCompactedException.class)
                    .hasMessage("too old resource version: 3 (4)");
            RecordingListener events = new RecordingListener();
            second.watch("", 4, events);

            assertThat(second.create("/b", bytes("4")).modRevision()).isEqualTo(5);
            later.runUntilIdle();
            assertThat(events.revisions()).containsExactly(5L);
        }
    }

    @Test
    void fileIsInWriteAheadLogMode() throws Exception {
        Path file = dir.resolve("wal.db");
        SqliteStore.open(file).close();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aWriteThatFailsInSqliteIsAHealthProblemUntilAWriteSucceeds() {
        // a database that may not grow past 64 pages of 4 KiB: a full disk, as SQLite sees one
        try (SqliteStore s = SqliteStore.open(dir.resolve("full.db"), new DeterministicExecutor(), 100, 1_000_000,
                c -> c.setMaxPageCount(64))) {
            s.create("/small", "1".getBytes(UTF_8));
            s.create("/big", new byte[128 * 1024]);
            assertThat(s.healthProblem()).isEmpty();

            assertThatThrownBy(() -> s.create("/bigger", new byte[512 * 1024])).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("SQLITE_FULL");
            assertThat(s.healthProblem()).hasValueSatisfying(p -> assertThat(p).startsWith("write failed: ")
                    .contains("SQLITE_FULL"));
            assertThat(s.currentRevision()).isEqualTo(2);
            assertThat(s.get("/bigger")).isEmpty();

            assertThat(s.update("/small", "2".getBytes(UTF_8), 0).modRevision()).isEqualTo(3);
            assertThat(s.healthProblem()).isEmpty();
        }
        try (SqliteStore reopened = SqliteStore.open(dir.resolve("full.db"), new DeterministicExecutor())) {
            assertThat(reopened.currentRevision()).isEqualTo(3);
            assertThat(new String(reopened.get("/small").orElseThrow().value(), UTF_8)).isEqualTo("2");
            assertThat(reopened.get("/bigger")).isEmpty();
        }
    }

    @Test
    void writesAreSyncedToDiskBeforeTheyAreAcknowledged() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("sync.db"), new DeterministicExecutor())) {
            // 2 = FULL: in WAL mode the log is synced at every commit, so a power loss keeps it
            assertThat(s.writerPragma("synchronous")).isEqualTo("2");
            assertThat(s.writerPragma("journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void unopenableFileFails() {
        assertThatThrownBy(() -> SqliteStore.open(dir)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        Path file = dir.resolve("crash.db");
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"),
                        CrashingWriter.class.getName(), file.toString())
                .redirectError(stderr.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(child, lines));

        List<String> acked = new ArrayList<>();
        try {
            awaitAcks(lines, acked, 300, stderr);
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(reader.join(Duration.ofSeconds(30))).isTrue();
        lines.drainTo(acked);
        List<String> keys = acked.stream().filter(SqliteStoreTest::isWholeKey).toList();

        try (SqliteStore reopened = SqliteStore.open(file)) {
            for (String key : keys) {
                assertThat(reopened.get(key)).as(key).isPresent();
                assertThat(new String(reopened.get(key).orElseThrow().value(), UTF_8)).isEqualTo(key);
            }
            long revision = reopened.currentRevision();
            assertThat(revision).isGreaterThanOrEqualTo(keys.size());
            assertThat(reopened.create("/after", bytes("x")).modRevision()).isEqualTo(revision + 1);
        }
    }

    private static boolean isWholeKey(String line) {
        return line.matches("/crash/\\d{7}");
    }

    private static void readLines(Process child, BlockingQueue<String> lines) {
        try (BufferedReader r = child.inputReader(UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }

    private static void awaitAcks(BlockingQueue<String> lines, List<String> acked, int count, Path stderr)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos() * 3;
        while (acked.size() < count) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child acknowledged " + acked.size() + " writes before the deadline; stderr: "
                        + (Files.exists(stderr) ? Files.readString(stderr) : ""));
            }
            acked.add(line);
        }
    }
}
