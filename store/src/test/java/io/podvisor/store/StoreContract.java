package io.podvisor.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.store.Store.Entry;
import io.podvisor.store.Store.Event;
import io.podvisor.store.Store.EventType;
import io.podvisor.store.Store.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} must show. Extend it and supply {@link #newStore}. Most watch
 * tests deliver through a {@link DeterministicExecutor} so delivery happens exactly at
 * {@code runUntilIdle()}; the concurrency tests use real threads and wait with deadlines.
 */
public abstract class StoreContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<Store> opened = new ArrayList<>();
    protected DeterministicExecutor executor;
    protected Store store;

    /**
     * A new, empty store delivering through {@code executor} and replaying at most
     * {@code historySize} events holding at most {@code historyBytes}.
     */
    protected abstract Store newStore(KeyedExecutor executor, int historySize, long historyBytes);

    /** Opens a store through {@link #newStore} that is closed after the test. */
    protected final Store open(KeyedExecutor keyedExecutor, int historySize) {
        return open(keyedExecutor, historySize, WatchHub.DEFAULT_HISTORY_BYTES);
    }

    /** Opens a store through {@link #newStore} that is closed after the test. */
    protected final Store open(KeyedExecutor keyedExecutor, int historySize, long historyBytes) {
        Store s = newStore(keyedExecutor, historySize, historyBytes);
        opened.add(s);
        return s;
    }

    @BeforeEach
    void openStore() {
        executor = new DeterministicExecutor();
        store = open(executor, 10_000);
    }

    @AfterEach
    void closeStores() {
        opened.forEach(Store::close);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(Entry e) {
        return new String(e.value(), UTF_8);
    }

    @Test
    void freshStoreIsEmptyAtRevisionZero() {
        assertThat(store.currentRevision()).isZero();
        assertThat(store.oldestWatchableRevision()).isZero();
        assertThat(store.get("/a")).isEmpty();
        assertThat(store.list("", null, 0)).isEqualTo(new Page(List.of(), 0, false));
    }

    @Test
    void createThenGetReturnsValueAndRevisions() {
        Entry created = store.create("/registry/pods/default/web", bytes("v1"));

        assertThat(created.createRevision()).isEqualTo(1).isEqualTo(created.modRevision());
        assertThat(store.currentRevision()).isEqualTo(1);
        Entry read = store.get("/registry/pods/default/web").orElseThrow();
        assertThat(read.key()).isEqualTo("/registry/pods/default/web");
        assertThat(text(read)).isEqualTo("v1");
        assertThat(read.createRevision()).isEqualTo(1);
        assertThat(read.modRevision()).isEqualTo(1);
    }

    @Test
    void emptyValueRoundTrips() {
        store.create("/empty", new byte[0]);

        assertThat(store.get("/empty").orElseThrow().value()).isEmpty();
    }

    @Test
    void createOfExistingKeyFailsAndChangesNothing() {
        store.create("/a", bytes("first"));

        assertThatThrownBy(() -> store.create("/a", bytes("second"))).isInstanceOf(KeyExistsException.class);
        assertThat(text(store.get("/a").orElseThrow())).isEqualTo("first");
        assertThat(store.currentRevision()).isEqualTo(1);
    }

    @Test
    void updateReplacesValueAndKeepsCreateRevision() {
        store.create("/a", bytes("v1"));
        store.create("/b", bytes("other"));

        Entry updated = store.update("/a", bytes("v2"), 1);

        assertThat(updated.createRevision()).isEqualTo(1);
        assertThat(updated.modRevision()).isEqualTo(3);
        Entry read = store.get("/a").orElseThrow();
        assertThat(text(read)).isEqualTo("v2");
        assertThat(read.modRevision()).isEqualTo(3);
        assertThat(text(store.update("/a", bytes("v3"), 0))).isEqualTo("v3");
    }

    @Test
    void updateWithStalePreconditionConflicts() {
        store.create("/a", bytes("v1"));
        store.update("/a", bytes("v2"), 1);

        assertThatThrownBy(() -> store.update("/a", bytes("v3"), 1)).isInstanceOf(RevisionConflictException.class);
        assertThat(text(store.get("/a").orElseThrow())).isEqualTo("v2");
    }

    @Test
    void updateOfMissingKeyFails() {
        assertThatThrownBy(() -> store.update("/missing", bytes("v"), 0)).isInstanceOf(KeyNotFoundException.class);
        assertThat(store.get("/missing")).isEmpty();
    }

    @Test
    void deleteRemovesKeyAndReportsDeletionRevision() {
        store.create("/a", bytes("v1"));
        store.update("/a", bytes("v2"), 0);

        Entry deleted = store.delete("/a", 2);

        assertThat(text(deleted)).isEqualTo("v2");
        assertThat(deleted.createRevision()).isEqualTo(1);
        assertThat(deleted.modRevision()).isEqualTo(3);
        assertThat(store.get("/a")).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(3);
        assertThat(store.create("/a", bytes("again")).createRevision()).isEqualTo(4);
    }

    @Test
    void deleteChecksPreconditions() {
        store.create("/a", bytes("v1"));

        assertThatThrownBy(() -> store.delete("/a", 7)).isInstanceOf(RevisionConflictException.class);
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(KeyNotFoundException.class);
        assertThat(store.get("/a")).isPresent();
        assertThat(store.delete("/a", 0).modRevision()).isEqualTo(2);
    }

    @Test
    void revisionsIncreaseAcrossKeysAndOperations() {
        List<Long> revisions = new ArrayList<>();
        revisions.add(store.create("/x/1", bytes("a")).modRevision());
        revisions.add(store.create("/y/1", bytes("b")).modRevision());
        revisions.add(store.update("/x/1", bytes("c"), 0).modRevision());
        revisions.add(store.delete("/y/1", 0).modRevision());
        revisions.add(store.create("/y/1", bytes("d")).modRevision());

        assertThat(revisions).isSorted().doesNotHaveDuplicates();
        assertThat(revisions.getFirst()).isPositive();
        assertThat(store.currentRevision()).isEqualTo(revisions.getLast());
    }

    @Test
    void failedWritesChangeNothing() {
        store.create("/a", bytes("v1"));
        RecordingListener events = new RecordingListener();
        store.watch("", store.currentRevision(), events);
        long before = store.currentRevision();

        assertThatThrownBy(() -> store.create("/a", bytes("x"))).isInstanceOf(KeyExistsException.class);
        assertThatThrownBy(() -> store.update("/a", bytes("x"), 99)).isInstanceOf(RevisionConflictException.class);
        assertThatThrownBy(() -> store.update("/b", bytes("x"), 0)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/a", 99)).isInstanceOf(RevisionConflictException.class);
        assertThatThrownBy(() -> store.delete("/b", 0)).isInstanceOf(KeyNotFoundException.class);
        executor.runUntilIdle();

        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(events.events()).isEmpty();
        assertThat(store.list("", null, 0).entries()).extracting(Entry::key).containsExactly("/a");
        assertThat(store.create("/b", bytes("y")).modRevision()).isEqualTo(before + 1);
    }

    @Test
    void listReturnsKeysUnderPrefixInKeyOrder() {
        for (String key : List.of("/a/2", "/ab/1", "/a/1", "/a", "/b/1", "/a/3", "/0")) {
            store.create(key, bytes(key));
        }

        Page page = store.list("/a/", null, 0);

        assertThat(page.entries()).extracting(Entry::key).containsExactly("/a/1", "/a/2", "/a/3");
        assertThat(page.entries()).extracting(StoreContract::text).containsExactly("/a/1", "/a/2", "/a/3");
        assertThat(page.more()).isFalse();
        assertThat(store.list("/c/", null, 0).entries()).isEmpty();
        assertThat(store.list("", null, 0).entries()).hasSize(7);
    }

    @Test
    void listPagesWithStartAfterAndLimit() {
        for (int i = 1; i <= 5; i++) {
            store.create("/p/" + i, bytes("v" + i));
        }
        store.create("/q/1", bytes("other"));

        Page first = store.list("/p/", null, 2);
        Page second = store.list("/p/", "/p/2", 2);
        Page third = store.list("/p/", "/p/4", 2);

        assertThat(first.entries()).extracting(Entry::key).containsExactly("/p/1", "/p/2");
        assertThat(first.more()).isTrue();
        assertThat(second.entries()).extracting(Entry::key).containsExactly("/p/3", "/p/4");
        assertThat(second.more()).isTrue();
        assertThat(third.entries()).extracting(Entry::key).containsExactly("/p/5");
        assertThat(third.more()).isFalse();
        assertThat(store.list("/p/", "/p/3", 2).more()).as("exactly two left").isFalse();
        assertThat(store.list("/p/", "/p/5", 2)).isEqualTo(new Page(List.of(), 6, false));
        assertThat(store.list("/p/", "/a", 1).entries()).extracting(Entry::key).containsExactly("/p/1");
    }

    @Test
    void listReportsTheRevisionItWasReadAt() {
        store.create("/p/1", bytes("a"));
        store.create("/other", bytes("b"));
        store.update("/p/1", bytes("c"), 0);

        Page page = store.list("/p/", null, 0);

        assertThat(page.revision()).isEqualTo(3).isEqualTo(store.currentRevision());
        assertThat(page.entries().getFirst().modRevision()).isEqualTo(3);
    }

    @Test
    void watchReplaysHistoryThenDeliversLiveEvents() {
        store.create("/w/a", bytes("1"));
        store.update("/w/a", bytes("2"), 0);
        store.create("/w/b", bytes("3"));
        RecordingListener events = new RecordingListener();

        store.watch("/w/", 1, events);
        executor.runUntilIdle();
        store.delete("/w/a", 0);
        executor.runUntilIdle();

        List<Event> got = events.events();
        assertThat(got).extracting(Event::revision).containsExactly(2L, 3L, 4L);
        assertThat(got).extracting(Event::type).containsExactly(EventType.PUT, EventType.PUT, EventType.DELETE);
        assertThat(text(got.get(0).entry())).isEqualTo("2");
        assertThat(text(got.get(0).previous())).isEqualTo("1");
        assertThat(got.get(1).previous()).isNull();
        Event delete = got.get(2);
        assertThat(delete.entry().key()).isEqualTo("/w/a");
        assertThat(text(delete.entry())).isEqualTo("2");
        assertThat(delete.entry().createRevision()).isEqualTo(1);
        assertThat(delete.previous().modRevision()).isEqualTo(2);
    }

    @Test
    void watchDeliversNothingDuringTheWatchCall() {
        store.create("/w/a", bytes("1"));
        RecordingListener events = new RecordingListener();

        store.watch("/w/", 0, events);
        store.create("/w/b", bytes("2"));

        assertThat(events.events()).isEmpty();
        executor.runUntilIdle();
        assertThat(events.revisions()).containsExactly(1L, 2L);
    }

    @Test
    void watchFiltersByPrefix() {
        RecordingListener pods = new RecordingListener();
        store.create("/pods/a", bytes("x"));
        store.watch("/pods/", 0, pods);
        store.create("/podsx/b", bytes("x"));
        store.create("/services/a", bytes("x"));
        store.create("/pods/b", bytes("x"));
        executor.runUntilIdle();

        assertThat(pods.events()).extracting(e -> e.entry().key()).containsExactly("/pods/a", "/pods/b");
    }

    @Test
    void watchOlderThanTheHistoryWindowIsCompacted() {
        Store small = open(executor, 3);
        for (int i = 1; i <= 10; i++) {
            small.create("/k/" + i, bytes("v"));
        }

        assertThat(small.oldestWatchableRevision()).isEqualTo(7);
        assertThatThrownBy(() -> small.watch("/k/", 6, e -> {}))
                .isInstanceOf(RevisionCompactedException.class)
                .hasMessage("too old resource version: 6 (7)");
        RecordingListener events = new RecordingListener();
        small.watch("/k/", 7, events);
        executor.runUntilIdle();
        assertThat(events.revisions()).containsExactly(8L, 9L, 10L);
    }

    @Test
    void historyIsBoundedByBytesAsWellAsCount() {
        int size = 100_000;
        Store small = open(executor, 10_000, 5L * size);
        small.create("/big/x", new byte[size]);
        for (int i = 0; i < 20; i++) {
            small.update("/big/x", new byte[size], 0);
        }

        // an update holds its value and the one it replaced: two events fit in five values' bytes
        assertThat(small.currentRevision()).isEqualTo(21);
        assertThat(small.oldestWatchableRevision()).isEqualTo(19);
        assertThatThrownBy(() -> small.watch("/big/", 18, e -> {}))
                .isInstanceOf(RevisionCompactedException.class)
                .hasMessage("too old resource version: 18 (19)");
        RecordingListener events = new RecordingListener();
        small.watch("/big/", 19, events);
        small.create("/big/y", bytes("small"));
        executor.runUntilIdle();
        assertThat(events.revisions()).containsExactly(20L, 21L, 22L);
    }

    @Test
    void anEventLargerThanTheByteBoundIsNotKeptButWatchesFromNowWork() {
        Store small = open(executor, 10_000, 1000);
        small.create("/a", bytes("1"));
        small.create("/b", new byte[5000]);

        assertThat(small.oldestWatchableRevision()).isEqualTo(2);
        RecordingListener events = new RecordingListener();
        small.watch("", 2, events);
        small.create("/c", bytes("3"));
        executor.runUntilIdle();
        assertThat(events.revisions()).containsExactly(3L);
    }

    @Test
    void closedWatchReceivesNothingMore() {
        RecordingListener events = new RecordingListener();
        Store.Watch watch = store.watch("", 0, events);
        store.create("/a", bytes("1"));
        executor.runUntilIdle();

        store.create("/b", bytes("2"));
        watch.close();
        store.create("/c", bytes("3"));
        executor.runUntilIdle();
        watch.close();

        assertThat(events.revisions()).containsExactly(1L);
    }

    @Test
    void throwingListenerDoesNotBreakOtherWatches() {
        List<Long> seenByThrower = new ArrayList<>();
        store.watch("", 0, e -> {
            seenByThrower.add(e.revision());
            throw new IllegalStateException("listener failure (expected by the test)");
        });
        RecordingListener healthy = new RecordingListener();
        store.watch("", 0, healthy);

        store.create("/a", bytes("1"));
        store.create("/b", bytes("2"));
        executor.runUntilIdle();

        assertThat(healthy.revisions()).containsExactly(1L, 2L);
        assertThat(seenByThrower).containsExactly(1L, 2L);
    }

    @Test
    void concurrentWritersGetUniqueIncreasingRevisions() throws Exception {
        Store shared = open(new VirtualThreadKeyedExecutor(), 10_000);
        RecordingListener all = new RecordingListener();
        shared.watch("/c/", 0, all);
        int writers = 4;
        int perWriter = 50;
        ConcurrentLinkedQueue<Long> revisions = new ConcurrentLinkedQueue<>();
        AtomicReference<RecordingListener> midway = new AtomicReference<>();
        AtomicReference<Long> midwayStart = new AtomicReference<>();

        runConcurrently(writers, w -> {
            long last = 0;
            for (int i = 0; i < perWriter; i++) {
                String key = "/c/" + w + "/" + i;
                long created = shared.create(key, bytes("v")).modRevision();
                long updated = shared.update(key, bytes("w"), created).modRevision();
                assertThat(created).isGreaterThan(last);
                assertThat(updated).isGreaterThan(created);
                last = updated;
                revisions.add(created);
                revisions.add(updated);
                if (w == 0 && i == perWriter / 2) {
                    RecordingListener late = new RecordingListener();
                    long start = shared.currentRevision();
                    shared.watch("/c/", start, late);
                    midwayStart.set(start);
                    midway.set(late);
                }
            }
        });

        int total = writers * perWriter * 2;
        assertThat(new HashSet<>(revisions)).hasSize(total);
        assertThat(shared.currentRevision()).isEqualTo(total);
        assertThat(all.awaitCount(total, TIMEOUT)).extracting(Event::revision)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        long start = midwayStart.get();
        assertThat(midway.get().awaitCount((int) (total - start), TIMEOUT)).extracting(Event::revision)
                .as("no gap and no duplicate between replay and live")
                .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, total).boxed().toList());
        assertThat(all.threads()).doesNotContain(Thread.currentThread());
    }

    @Test
    void concurrentWritersThatConflictFailAloneAndChangeNothing() throws Exception {
        Store shared = open(new VirtualThreadKeyedExecutor(), 10_000);
        RecordingListener all = new RecordingListener();
        shared.watch("/r/", 0, all);
        int writers = 8;
        int keys = 40;
        ConcurrentLinkedQueue<Entry> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> refused = new ConcurrentLinkedQueue<>();

        // every writer creates the same keys, then updates each with the revision it saw: for each key
        // one create and, per observed revision, one update win; the others are refused
        runConcurrently(writers, w -> {
            for (int k = 0; k < keys; k++) {
                String key = "/r/" + k;
                try {
                    acknowledged.add(shared.create(key, bytes("c" + w)));
                } catch (KeyExistsException e) {
                    refused.add(e);
                }
                long seen = shared.get(key).orElseThrow().modRevision();
                try {
                    acknowledged.add(shared.update(key, bytes("u" + w), seen));
                } catch (RevisionConflictException e) {
                    refused.add(e);
                }
            }
        });

        int done = acknowledged.size();
        assertThat(done + refused.size()).isEqualTo(writers * keys * 2);
        assertThat(acknowledged.stream().filter(e -> e.createRevision() == e.modRevision())).hasSize(keys);
        assertThat(acknowledged).extracting(Entry::modRevision).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, done).boxed().toList());
        assertThat(shared.currentRevision()).isEqualTo(done);
        assertThat(all.awaitCount(done, TIMEOUT)).extracting(Event::revision)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, done).boxed().toList());
        for (int k = 0; k < keys; k++) {
            Entry now = shared.get("/r/" + k).orElseThrow();
            Entry last = acknowledged.stream().filter(e -> e.key().equals(now.key()))
                    .max(java.util.Comparator.comparingLong(Entry::modRevision)).orElseThrow();
            assertThat(text(now)).isEqualTo(text(last));
            assertThat(now.modRevision()).isEqualTo(last.modRevision());
        }
    }

    /** A task run by one of several concurrent writers; {@code writer} numbers them from 0. */
    protected interface WriterTask {
        void run(int writer) throws Exception;
    }

    /** Runs {@code task} on {@code writers} threads at once and waits (with a deadline) for all. */
    protected static void runConcurrently(int writers, WriterTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    task.run(writer);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void valuesInEventsAndReadsAreTheWrittenBytes() {
        RecordingListener events = new RecordingListener();
        store.watch("", 0, events);
        byte[] binary = {0, 1, (byte) 0xff, 42};
        store.create("/bin", binary);
        executor.runUntilIdle();

        assertThat(store.get("/bin").orElseThrow().value()).containsExactly(0, 1, 0xff, 42);
        assertThat(events.events().getFirst().entry().value()).containsExactly(0, 1, 0xff, 42);
        Set<String> keys = new HashSet<>();
        store.list("", null, 0).entries().forEach(e -> keys.add(e.key()));
        assertThat(keys).containsExactly("/bin");
    }
}
