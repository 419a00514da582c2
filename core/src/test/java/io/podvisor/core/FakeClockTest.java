package io.podvisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void advanceFiresDueTimersInOrderAtTheirOwnInstants() {
        FakeClock clock = new FakeClock(T0);
        List<String> fired = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(5), () -> fired.add("b@" + clock.now().getEpochSecond() % 100));
        clock.schedule(Duration.ofSeconds(2), () -> fired.add("a@" + clock.now().getEpochSecond() % 100));
        clock.schedule(Duration.ofSeconds(9), () -> fired.add("c"));
        clock.advance(Duration.ofSeconds(6));
        assertThat(fired).containsExactly("a@2", "b@5");
        assertThat(clock.now()).isEqualTo(T0.plusSeconds(6));
        assertThat(clock.pendingTimers()).isEqualTo(1);
    }

    @Test
    void timersScheduledByTimersFireWithinTheSameAdvance() {
        FakeClock clock = new FakeClock(T0);
        List<Long> fired = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            fired.add(Duration.between(T0, clock.now()).toSeconds());
            clock.schedule(Duration.ofSeconds(3), tick[0]);
        };
        clock.schedule(Duration.ZERO, tick[0]);
        clock.advance(Duration.ofSeconds(10));
        assertThat(fired).containsExactly(0L, 3L, 6L, 9L);
    }

    @Test
    void cancelledTimersDoNotFireAndTiesKeepSchedulingOrder() {
        FakeClock clock = new FakeClock(T0);
        List<String> fired = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(1), () -> fired.add("first"));
        Clock.Timer t = clock.schedule(Duration.ofSeconds(1), () -> fired.add("cancelled"));
        clock.schedule(Duration.ofSeconds(1), () -> fired.add("second"));
        t.cancel();
        clock.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly("first", "second");
    }

    @Test
    void afterEachTimerHookRunsAfterEveryFiredTimer() {
        FakeClock clock = new FakeClock(T0);
        List<String> seen = new ArrayList<>();
        clock.afterEachTimer(() -> seen.add("hook"));
        clock.schedule(Duration.ofSeconds(1), () -> seen.add("t1"));
        clock.schedule(Duration.ofSeconds(2), () -> seen.add("t2"));
        clock.advance(Duration.ofSeconds(3));
        assertThat(seen).containsExactly("t1", "hook", "t2", "hook");
    }
}
