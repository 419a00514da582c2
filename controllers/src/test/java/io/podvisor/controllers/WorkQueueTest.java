package io.podvisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A step that fails is logged with the key and its cause, then retried after the back-off. */
class WorkQueueTest {

    private final Logger jul = Logger.getLogger(WorkQueue.class.getName());
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopRecording() {
        jul.setFilter(null);
    }

    @Test
    void aFailingStepIsLoggedWithItsKeyAndCauseAndRetried() {
        jul.setFilter(r -> {
            logged.add(r.getLevel() + " " + r.getMessage() + " / " + r.getThrown());
            return false;
        });
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        DeterministicExecutor executor = new DeterministicExecutor();
        List<String> runs = new CopyOnWriteArrayList<>();
        WorkQueue queue = new WorkQueue("job", executor, clock, key -> {
            runs.add(key);
            if (runs.size() == 1) {
                throw new IllegalStateException("conflict on write");
            }
        });

        queue.add("shop/nightly");
        executor.runUntilIdle();
        clock.advance(Duration.ofSeconds(1));
        executor.runUntilIdle();

        assertThat(runs).containsExactly("shop/nightly", "shop/nightly");
        assertThat(logged).containsExactly(
                "SEVERE Error syncing job \"shop/nightly\", retrying in 1s / java.lang.IllegalStateException: conflict on write");
    }
}
