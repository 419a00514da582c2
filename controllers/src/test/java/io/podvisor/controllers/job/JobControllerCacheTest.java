package io.podvisor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CountingClient;
import io.podvisor.controllers.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Job controller reads from the informers' caches: no reads of the API per sync, correct after a re-list. */
class JobControllerCacheTest {

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: calc, namespace: default}
            spec:
              completions: %d
              parallelism: 2
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox}]
            """;

    private TestCluster c;
    private CountingClient counting;
    private SharedInformerFactory informers;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        counting = new CountingClient(c.api);
        informers = new SharedInformerFactory(counting.client(), c.clock, c.executor, Duration.ZERO);
        new JobController(counting.client(), informers, c.clock, c.executor, c.events, c.random).start();
    }

    private Job job() {
        return c.api.get(Job.class, "default", "calc");
    }

    private List<String> conditions() {
        return job().getStatus().getConditions().stream().map(JobCondition::getType).toList();
    }

    private List<String> running() {
        return c.pods().stream().filter(p -> !"Succeeded".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void actsOnlyOnceTheInformersListedAndThenNeverReadsTheApi() {
        c.apply(JOB.formatted(3), Job.class);
        c.advance(600);
        assertThat(c.pods()).as("nothing before the caches are synced").isEmpty();

        informers.start();
        c.settle();
        assertThat(c.pods()).hasSize(2);
        for (int round = 0; round < 2; round++) {
            for (String pod : running()) {
                c.run(pod, "node-1", "10.0.0." + round, true);
                c.finish(pod, "Succeeded");
            }
        }
        assertThat(conditions()).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(job().getStatus().getSucceeded()).isEqualTo(3);
        assertThat(c.pods()).hasSize(3).allMatch(p -> p.getMetadata().getFinalizers().isEmpty());

        assertThat(counting.count("listWithVersion")).as("one list per informer: jobs and pods").isEqualTo(2);
        assertThat(counting.count("list")).isZero();
        assertThat(counting.count("get")).isZero();
        assertThat(counting.count("create")).isEqualTo(3);
    }

    @Test
    void aReListAfterGoneBringsChangesMissedMeanwhileWithoutDuplicatePods() {
        informers.start();
        c.apply(JOB.formatted(2), Job.class);
        List<String> first = c.podNames();
        assertThat(first).hasSize(2);

        c.watches.expireWatches();
        c.finish(first.get(0), "Succeeded");
        // the other pod is removed outright while nobody watches: its delete is never seen as an event
        Pod lost = c.pod(first.get(1));
        lost.getMetadata().setFinalizers(new ArrayList<>());
        c.api.update(lost);
        c.api.delete(Pod.class, "default", first.get(1), 0L);
        c.settle();

        assertThat(counting.count("listWithVersion")).as("listed again after 410").isEqualTo(4);
        List<String> now = c.podNames();
        assertThat(now).as("the lost pod replaced once").hasSize(2).contains(first.get(0)).doesNotContain(first.get(1));
        assertThat(job().getStatus().getSucceeded()).isEqualTo(1);
        assertThat(job().getStatus().getActive()).isEqualTo(1);
        assertThat(c.pod(first.get(0)).getMetadata().getFinalizers()).as("the success was counted").isEmpty();

        String replacement = now.stream().filter(n -> !n.equals(first.get(0))).findFirst().orElseThrow();
        c.finish(replacement, "Succeeded");
        assertThat(conditions()).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(job().getStatus().getSucceeded()).isEqualTo(2);
        assertThat(job().getStatus().getFailed()).isZero();
        assertThat(c.eventLines("calc")).filteredOn(e -> e.startsWith("Normal SuccessfulCreate")).hasSize(3);
    }

    @Test
    void waitsForItsOwnWritesToReachTheCachesBeforeSyncingAgain() {
        informers.start();
        c.settle();
        c.watches.holdEvents(Pod.class);
        c.apply(JOB.formatted(2), Job.class);
        assertThat(c.podNames()).hasSize(2);
        c.api.update(job()); // another change of the Job queues it while the pod cache still lacks both pods
        c.settle();
        assertThat(c.podNames()).as("no pods created twice on a cache behind the controller's writes").hasSize(2);

        c.watches.releaseEvents();
        c.settle();
        assertThat(c.podNames()).hasSize(2);
        assertThat(job().getStatus().getActive()).isEqualTo(2);
        c.advance(Duration.ofMinutes(10).toSeconds());
        assertThat(c.podNames()).hasSize(2);
    }
}
