package io.podvisor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Yaml;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDecisionsTest {

    private static JobParams params(Integer completions, int parallelism, int backoffLimit, String policy) {
        return new JobParams(completions, parallelism, backoffLimit, policy, null, null, false);
    }

    @ParameterizedTest(name = "completions={0} parallelism={1} succeeded={2} active={3} -> {4}")
    @CsvSource(nullValues = "null", value = {
            "3, 2, 0, 0, 2",
            "3, 2, 2, 1, 1",
            "3, 2, 3, 0, 0",
            "3, 5, 0, 0, 3",
            "1, 1, 2, 0, 0",
            "null, 4, 0, 1, 4",
            "null, 4, 1, 2, 2",
    })
    void wantActive(Integer completions, int parallelism, int succeeded, int active, int want) {
        assertThat(JobDecisions.wantActive(params(completions, parallelism, 6, "Never"), succeeded, active)).isEqualTo(want);
    }

    @ParameterizedTest(name = "backoffLimit={0} failed={1} -> {2}")
    @CsvSource({"6, 6, false", "6, 7, true", "1, 2, true", "0, 1, true", "0, 0, false"})
    void neverCountsFailedPods(int limit, int failed, boolean exceeded) {
        assertThat(JobDecisions.exceedsBackoffLimit(params(1, 1, limit, "Never"), failed)).isEqualTo(exceeded);
    }

    @ParameterizedTest(name = "{0}: limit={1} restarts={2}/{3} phase={4} -> {5}")
    @CsvSource({
            "OnFailure, 2, 1, 0, Running, false",
            "OnFailure, 2, 1, 1, Running, true",
            "OnFailure, 2, 2, 0, Pending, true",
            "OnFailure, 0, 0, 1, Running, true",
            "OnFailure, 0, 0, 0, Running, false",
            "OnFailure, 1, 5, 0, Failed, false",
            "Never, 1, 5, 0, Running, false",
    })
    void onFailureCountsRestartsOfLivePods(String policy, int limit, int mainRestarts, int initRestarts, String phase,
            boolean past) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase(phase)
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withRestartCount(mainRestarts).build())
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("init").withRestartCount(initRestarts).build())
                .endStatus().build();
        assertThat(JobDecisions.pastBackoffLimitOnFailure(params(1, 1, limit, policy), List.of(pod))).isEqualTo(past);
    }

    @ParameterizedTest(name = "deadline={0} elapsed={1} suspended={2} -> {3}")
    @CsvSource(nullValues = "null", value = {"30, 29, false, false", "30, 30, false, true", "30, 31, true, false",
            "null, 1000, false, false"})
    void activeDeadline(Long deadline, long elapsed, boolean suspend, boolean past) {
        JobParams p = new JobParams(1, 1, 6, "Never", deadline, null, suspend);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(JobDecisions.pastActiveDeadline(p, start, start.plusSeconds(elapsed))).isEqualTo(past);
    }

    @ParameterizedTest(name = "completions={0} succeeded={1} active={2} -> {3}")
    @CsvSource(nullValues = "null", value = {"3, 3, 0, true", "3, 3, 1, false", "3, 2, 0, false", "null, 1, 0, true",
            "null, 0, 0, false", "null, 1, 1, false"})
    void complete(Integer completions, int succeeded, int active, boolean complete) {
        assertThat(JobDecisions.complete(params(completions, 1, 6, "Never"), succeeded, active)).isEqualTo(complete);
    }

    @ParameterizedTest(name = "phase={0} deleting={1} -> {2}")
    @CsvSource({"Failed, false, true", "Running, true, true", "Succeeded, true, false", "Running, false, false",
            "Pending, true, true"})
    void failedPods(String phase, boolean deleting, boolean failed) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p")
                .withDeletionTimestamp(deleting ? "2025-01-01T00:00:00Z" : null).endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build();
        assertThat(JobDecisions.isFailed(pod)).isEqualTo(failed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "'{}', 1, 1, 6",
            "'{parallelism: 3}', null, 3, 6",
            "'{completions: 5}', 5, 1, 6",
            "'{completions: 2, parallelism: 4, backoffLimit: 0}', 2, 4, 0",
    })
    void defaults(String spec, Integer completions, int parallelism, int backoffLimit) {
        Job job = Yaml.read("{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: " + spec + "}", Job.class);
        JobParams p = JobParams.of(job);
        assertThat(p.completions()).isEqualTo(completions);
        assertThat(p.parallelism()).isEqualTo(parallelism);
        assertThat(p.backoffLimit()).isEqualTo(backoffLimit);
    }
}
