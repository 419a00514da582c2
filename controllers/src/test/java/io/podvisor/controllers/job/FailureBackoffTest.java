package io.podvisor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureBackoffTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(10);

    @ParameterizedTest(name = "failures={0}, {1}s after the last -> wait {2}s")
    @CsvSource({"0, 0, 0", "1, 0, 10", "1, 4, 6", "1, 10, 0", "2, 0, 20", "3, 5, 35", "6, 0, 320", "7, 0, 600",
            "12, 0, 600", "12, 601, 0"})
    void delayDoublesFromTenSecondsToTenMinutes(int failures, long since, long wait) {
        var record = new FailureBackoff.Record(failures, failures == 0 ? null : T0);
        assertThat(FailureBackoff.remaining(record, T0.plusSeconds(since), INITIAL, MAX)).isEqualTo(Duration.ofSeconds(wait));
    }

    private static Pod finished(long at) {
        return new PodBuilder().withNewMetadata().withName("p" + at).endMetadata().withNewStatus()
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewTerminated()
                        .withFinishedAt(Times.format(T0.plusSeconds(at))).endTerminated().endState().build())
                .endStatus().build();
    }

    @Test
    void failuresAccumulateAndSuccessResetsToLaterFailures() {
        var r = FailureBackoff.next(FailureBackoff.Record.EMPTY, List.of(), List.of(finished(5), finished(3)), T0);
        assertThat(r).isEqualTo(new FailureBackoff.Record(2, T0.plusSeconds(5)));
        r = FailureBackoff.next(r, List.of(), List.of(finished(20)), T0);
        assertThat(r).isEqualTo(new FailureBackoff.Record(3, T0.plusSeconds(20)));
        assertThat(FailureBackoff.next(r, List.of(finished(30)), List.of(), T0)).isEqualTo(FailureBackoff.Record.EMPTY);
        assertThat(FailureBackoff.next(r, List.of(finished(30)), List.of(finished(25), finished(40)), T0))
                .isEqualTo(new FailureBackoff.Record(1, T0.plusSeconds(40)));
        assertThat(FailureBackoff.next(r, List.of(), List.of(), T0)).isSameAs(r);
    }

    @Test
    void podWithoutTerminatedContainersFinishesNow() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().endStatus().build();
        assertThat(FailureBackoff.finishTime(pod, T0.plusSeconds(7))).isEqualTo(T0.plusSeconds(7));
    }
}
