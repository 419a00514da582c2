package io.podvisor.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.podvisor.cli.run.Progress.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static Job job(String condition) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("j").withNamespace("default").endMetadata();
        if (condition != null) {
            b.withNewStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
        }
        return b.build();
    }

    private static Pod pod(String phase, boolean ready) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    @Test
    void completeWaitsForEveryJobAndBarePodAndReportsFailures() {
        Progress p = new Progress(Until.Mode.COMPLETE);
        p.expect(List.of("default/p"), List.of("default/j"));
        p.job("default/j", job(null));
        p.pod("default/p", pod("Running", true));
        assertThat(p.done()).isNotDone();
        p.job("default/j", job("Complete"));
        assertThat(p.done()).isNotDone();
        p.pod("default/p", pod("Succeeded", false));
        assertThat(p.done()).isCompletedWithValue(Outcome.HELD);

        Progress failed = new Progress(Until.Mode.COMPLETE);
        failed.expect(List.of(), List.of("default/j"));
        failed.job("default/j", job("Failed"));
        assertThat(failed.done()).isCompletedWithValue(Outcome.FAILED);
    }

    @Test
    void readyNeedsEveryExpectedPodReadyOrSucceeded() {
        Progress p = new Progress(Until.Mode.READY);
        p.pod("default/p", pod("Running", true));
        assertThat(p.done()).as("not armed before the files are applied").isNotDone();
        p.expect(List.of("default/p", "default/q"), List.of());
        assertThat(p.done()).isNotDone();
        p.pod("default/q", pod("Running", false));
        assertThat(p.done()).isNotDone();
        p.pod("default/q", pod("Succeeded", false));
        assertThat(p.done()).isCompletedWithValue(Outcome.HELD);
    }
}
