package io.podvisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300), clock);

    @Test
    void firstAttemptIsFreeThenDelaysDoubleToTheCap() {
        assertThat(backoff.isInBackOffSince("k", clock.now())).isFalse();
        long[] expected = {10, 20, 40, 80, 160, 300, 300};
        for (long e : expected) {
            backoff.next("k", clock.now());
            assertThat(backoff.delay("k")).isEqualTo(Duration.ofSeconds(e));
            Instant failedAt = clock.now();
            assertThat(backoff.isInBackOffSince("k", failedAt)).isTrue();
            clock.advance(Duration.ofSeconds(e - 1));
            assertThat(backoff.isInBackOffSince("k", failedAt)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(backoff.isInBackOffSince("k", failedAt)).isFalse();
            assertThat(backoff.releaseTime("k", failedAt)).isEqualTo(failedAt.plusSeconds(e));
        }
    }

    @Test
    void entryIsStaleAfterTwiceTheCapAndStartsOver() {
        backoff.next("k", clock.now());
        backoff.next("k", clock.now());
        assertThat(backoff.delay("k")).isEqualTo(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(601));
        Instant failedAt = clock.now();
        assertThat(backoff.isInBackOffSince("k", failedAt)).isFalse();
        backoff.next("k", failedAt);
        assertThat(backoff.delay("k")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void keysAreIndependentAndResetByPrefix() {
        backoff.next("pod1/a", clock.now());
        backoff.next("pod1/a", clock.now());
        backoff.next("pod2/a", clock.now());
        backoff.resetPrefix("pod1/");
        assertThat(backoff.delay("pod1/a")).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay("pod2/a")).isEqualTo(Duration.ofSeconds(10));
    }
}
