package io.podvisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    static final Instant T0 = FakeClockTest.T0;

    @Test
    void runsEveryPeriodFromStartUntilStopped() {
        FakeClock clock = new FakeClock(T0);
        List<Long> runs = new ArrayList<>();
        Periodic p = new Periodic(clock, Duration.ofSeconds(3), () -> runs.add(Duration.between(T0, clock.now()).toSeconds()));
        p.start();
        clock.advance(Duration.ofSeconds(10));
        assertThat(runs).containsExactly(3L, 6L, 9L);
        p.stop();
        clock.advance(Duration.ofSeconds(10));
        assertThat(runs).containsExactly(3L, 6L, 9L);
        assertThat(clock.pendingTimers()).isZero();
        p.start();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void aFailingRunDoesNotEndTheLoop() {
        FakeClock clock = new FakeClock(T0);
        int[] runs = {0};
        Periodic p = new Periodic(clock, Duration.ofSeconds(1), () -> {
            runs[0]++;
            throw new IllegalStateException("boom");
        });
        p.start();
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1))).hasMessage("boom");
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1))).hasMessage("boom");
        assertThat(runs[0]).isEqualTo(2);
        assertThat(clock.pendingTimers()).isEqualTo(1);
    }
}
