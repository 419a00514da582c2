package io.podvisor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.podvisor.api.Times;
import io.podvisor.controllers.TestCluster;
import io.podvisor.controllers.gc.GarbageCollector;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobControllerTest {

    private TestCluster c;
    private JobController jobs;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        jobs = new JobController(c.api, c.informers, c.clock, c.executor, c.events, c.random);
        jobs.start();
        c.startInformers();
    }

    private static String job(String name, String spec, String restartPolicy) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s, namespace: default}
                spec:
                %s
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      restartPolicy: %s
                      containers: [{name: main, image: busybox}]
                """.formatted(name, spec.indent(2).stripTrailing(), name, restartPolicy);
    }

    private Job job(String name) {
        return c.api.get(Job.class, "default", name);
    }

    private static List<String> conditions(Job job) {
        return job.getStatus().getConditions().stream().map(JobCondition::getType).toList();
    }

    private List<String> activePods() {
        return c.pods().stream().filter(p -> "Pending".equals(p.getStatus().getPhase())
                || "Running".equals(p.getStatus().getPhase())).filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void completionsThreeParallelismTwoRunsToComplete() {
        c.apply(job("pi", "completions: 3\nparallelism: 2", "Never"), Job.class);

        List<Pod> pods = c.pods();
        assertThat(pods).hasSize(2);
        Pod first = pods.getFirst();
        assertThat(first.getMetadata().getName()).matches("pi-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(first.getMetadata().getGenerateName()).isEqualTo("pi-");
        assertThat(first.getMetadata().getFinalizers()).containsExactly("batch.kubernetes.io/job-tracking");
        assertThat(first.getMetadata().getLabels()).containsEntry("app", "pi")
                .containsEntry("batch.kubernetes.io/job-name", "pi").containsEntry("job-name", "pi")
                .containsEntry("batch.kubernetes.io/controller-uid", job("pi").getMetadata().getUid());
        var owner = first.getMetadata().getOwnerReferences().getFirst();
        assertThat(owner.getKind()).isEqualTo("Job");
        assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
        assertThat(owner.getUid()).isEqualTo(job("pi").getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isTrue();
        assertThat(job("pi").getStatus().getActive()).isEqualTo(2);
        assertThat(job("pi").getStatus().getStartTime()).isEqualTo(Times.format(TestCluster.START));

        c.run(first.getMetadata().getName(), "node-1", "10.0.0.1", true);
        assertThat(job("pi").getStatus().getReady()).isEqualTo(1);

        c.advance(5);
        c.finish(first.getMetadata().getName(), "Succeeded");
        assertThat(c.pods()).hasSize(3);
        assertThat(c.pod(first.getMetadata().getName()).getMetadata().getFinalizers()).isEmpty();
        Job mid = job("pi");
        assertThat(mid.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(mid.getStatus().getActive()).isEqualTo(2);
        assertThat(mid.getStatus().getUncountedTerminatedPods().getSucceeded()).isEmpty();
        assertThat(mid.getStatus().getConditions()).isEmpty();

        for (String name : activePods()) {
            c.finish(name, "Succeeded");
        }
        Job done = job("pi");
        assertThat(conditions(done)).containsExactly("SuccessCriteriaMet", "Complete");
        for (JobCondition cond : done.getStatus().getConditions()) {
            assertThat(cond.getStatus()).isEqualTo("True");
            assertThat(cond.getReason()).isEqualTo("CompletionsReached");
            assertThat(cond.getMessage()).isEqualTo("Reached expected number of succeeded pods");
        }
        assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
        assertThat(done.getStatus().getFailed()).isZero();
        assertThat(done.getStatus().getActive()).isZero();
        assertThat(done.getStatus().getTerminating()).isZero();
        assertThat(done.getStatus().getCompletionTime()).isEqualTo(Times.format(TestCluster.START.plusSeconds(5)));
        assertThat(c.pods()).hasSize(3).allMatch(p -> p.getMetadata().getFinalizers().isEmpty());

        List<String> events = c.eventLines("pi");
        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 3)).allMatch(e -> e.matches("Normal SuccessfulCreate Created pod: pi-\\w{5}"));
        assertThat(events.getLast()).isEqualTo("Normal Completed Job completed");
    }

    @Test
    void workQueueJobStopsReplacingPodsAfterTheFirstSuccessAndCompletesWhenNoneIsActive() {
        c.apply(job("queue", "parallelism: 2", "Never"), Job.class);
        List<String> names = c.podNames();
        assertThat(names).hasSize(2);

        c.finish(names.get(0), "Succeeded");
        Job mid = job("queue");
        assertThat(c.pods()).as("no replacement after a success").hasSize(2);
        assertThat(mid.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(mid.getStatus().getActive()).isEqualTo(1);
        assertThat(mid.getStatus().getConditions()).isEmpty();

        c.finish(names.get(1), "Succeeded");
        Job done = job("queue");
        assertThat(conditions(done)).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(c.pods()).hasSize(2);
    }

    @Test
    void neverPolicyFailsPastBackoffLimitAfterFailureTargetAndDeletesActivePods() {
        c.apply(job("fail", "completions: 2\nparallelism: 2\nbackoffLimit: 1", "Never"), Job.class);
        List<String> names = c.podNames();
        c.run(names.get(0), "node-1", "10.0.0.1", true);
        c.run(names.get(1), "node-1", "10.0.0.2", false);

        c.finish(names.get(0), "Failed");
        assertThat(job("fail").getStatus().getFailed()).isEqualTo(1);
        assertThat(c.pods()).hasSize(2);
        c.advance(9);
        assertThat(c.pods()).as("pod failure back-off: 10 s").hasSize(2);
        c.advance(1);
        assertThat(c.pods()).hasSize(3);

        String third = activePods().stream().filter(n -> !names.contains(n)).findFirst().orElseThrow();
        c.run(third, "node-1", "10.0.0.3", false);
        c.finish(third, "Failed");

        Job target = job("fail");
        assertThat(conditions(target)).containsExactly("FailureTarget");
        JobCondition ft = target.getStatus().getConditions().getFirst();
        assertThat(ft.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(ft.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        Pod deleted = c.pod(names.get(1));
        // as upstream: a graceful delete sets the deletion time to when the grace period ends
        assertThat(deleted.getMetadata().getDeletionTimestamp()).as("active pod deleted")
                .isEqualTo(Times.format(c.clock.now().plusSeconds(30)));
        assertThat(deleted.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        assertThat(deleted.getMetadata().getFinalizers()).isEmpty();
        assertThat(target.getStatus().getTerminating()).isEqualTo(1);
        assertThat(target.getStatus().getActive()).isZero();

        c.terminate(names.get(1));
        Job failed = job("fail");
        assertThat(conditions(failed)).containsExactly("FailureTarget", "Failed");
        JobCondition f = failed.getStatus().getConditions().getLast();
        assertThat(f.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(f.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        assertThat(failed.getStatus().getFailed()).isEqualTo(3);
        assertThat(failed.getStatus().getTerminating()).isZero();
        assertThat(failed.getStatus().getCompletionTime()).isNull();
        assertThat(c.eventLines("fail")).contains("Normal SuccessfulDelete Deleted pod: " + names.get(1))
                .endsWith("Warning BackoffLimitExceeded Job has reached the specified backoff limit");
        c.advance(600);
        assertThat(c.pods()).as("no more pods after failure").hasSize(2);
    }

    @Test
    void onFailureCountsContainerRestarts() {
        c.apply(job("retry", "backoffLimit: 2", "OnFailure"), Job.class);
        String pod = c.podNames().getFirst();
        c.run(pod, "node-1", "10.0.0.1", true);

        c.restarts(pod, 1);
        assertThat(job("retry").getStatus().getConditions()).isEmpty();
        c.restarts(pod, 2);
        assertThat(conditions(job("retry"))).containsExactly("FailureTarget");
        assertThat(c.pod(pod).getMetadata().getDeletionTimestamp()).isNotNull();

        c.terminate(pod);
        Job failed = job("retry");
        assertThat(conditions(failed)).containsExactly("FailureTarget", "Failed");
        assertThat(failed.getStatus().getConditions().getLast().getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getStatus().getFailed()).isEqualTo(1);
        assertThat(c.pods()).isEmpty();
    }

    @Test
    void activeDeadlineSecondsFailsTheJob() {
        c.apply(job("slow", "activeDeadlineSeconds: 30", "Never"), Job.class);
        String pod = c.podNames().getFirst();
        c.run(pod, "node-1", "10.0.0.1", true);

        c.advance(29);
        assertThat(job("slow").getStatus().getConditions()).isEmpty();
        c.advance(1);
        Job target = job("slow");
        assertThat(conditions(target)).containsExactly("FailureTarget");
        assertThat(target.getStatus().getConditions().getFirst().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(target.getStatus().getConditions().getFirst().getMessage())
                .isEqualTo("Job was active longer than specified deadline");

        c.terminate(pod);
        assertThat(conditions(job("slow"))).containsExactly("FailureTarget", "Failed");
        assertThat(c.eventLines("slow")).containsExactly(
                "Normal SuccessfulCreate Created pod: " + pod,
                "Normal SuccessfulDelete Deleted pod: " + pod,
                "Warning DeadlineExceeded Job was active longer than specified deadline");
    }

    @Test
    void ttlSecondsAfterFinishedDeletesJobInTheForegroundAfterItsPods() {
        GarbageCollector gc = new GarbageCollector(c.api, c.informers, c.clock, c.executor);
        gc.start();
        c.apply(job("once", "ttlSecondsAfterFinished: 60", "Never"), Job.class);
        String pod = c.podNames().getFirst();
        c.run(pod, "node-1", "10.0.0.1", true);
        c.advance(3);
        c.finish(pod, "Succeeded");
        assertThat(conditions(job("once"))).containsExactly("SuccessCriteriaMet", "Complete");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.api.watch(Job.class, "default", (type, j) -> seen.add(type + " Job " + j.getMetadata().getFinalizers()));
        c.api.watch(Pod.class, "default", (type, p) -> seen.add(type + " Pod"));
        seen.clear();

        c.advance(59);
        assertThat(job("once")).isNotNull();
        assertThat(c.pods()).hasSize(1);
        c.advance(1);
        assertThat(job("once")).isNull();
        assertThat(c.pods()).isEmpty();
        // as upstream, taking the last finalizer off removes the object without writing that change:
        // the DELETED event carries the last stored state, finalizer included
        assertThat(seen).as("the Job waits with foregroundDeletion until its pod is gone")
                .contains("MODIFIED Job [foregroundDeletion]")
                .containsSubsequence("MODIFIED Job [foregroundDeletion]", "DELETED Pod", "DELETED Job [foregroundDeletion]");
    }

    @Test
    void podsOrphanedByTheJobsDeletionLoseTheTrackingFinalizer() {
        c.apply(job("orphans", "completions: 2\nparallelism: 2", "Never"), Job.class);
        assertThat(c.pods()).hasSize(2);
        // an orphaning delete: owner references stripped first, then the Job goes
        for (Pod p : c.pods()) {
            p.getMetadata().setOwnerReferences(List.of());
            c.api.update(p);
        }
        c.api.delete(Job.class, "default", "orphans", null);
        c.settle();

        assertThat(job("orphans")).isNull();
        assertThat(c.pods()).hasSize(2).allMatch(p -> p.getMetadata().getFinalizers().isEmpty());
    }

    @Test
    void jobWithNativeSidecarCompletesWhenPodSucceeds() {
        c.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: side, namespace: default}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      initContainers: [{name: proxy, image: envoy, restartPolicy: Always}]
                      containers: [{name: main, image: busybox}]
                """, Job.class);
        Pod pod = c.pods().getFirst();
        assertThat(pod.getSpec().getInitContainers().getFirst().getRestartPolicy()).isEqualTo("Always");
        c.run(pod.getMetadata().getName(), "node-1", "10.0.0.1", true);
        c.advance(30);
        c.finish(pod.getMetadata().getName(), "Succeeded");

        Job done = job("side");
        assertThat(conditions(done)).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(c.eventLines("side")).last().isEqualTo("Normal Completed Job completed");
    }

    @Test
    void suspendedJobCreatesNoPodsUntilResumed() {
        c.apply(job("later", "suspend: true", "Never"), Job.class);
        assertThat(c.pods()).isEmpty();
        Job j = job("later");
        assertThat(j.getStatus().getStartTime()).isNull();
        assertThat(conditions(j)).containsExactly("Suspended");

        j.getSpec().setSuspend(false);
        c.api.update(j);
        c.settle();
        assertThat(c.pods()).hasSize(1);
        assertThat(job("later").getStatus().getConditions().getFirst().getStatus()).isEqualTo("False");
        assertThat(c.eventLines("later")).startsWith("Normal Suspended Job suspended").contains("Normal Resumed Job resumed");
    }
}
