package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deletion through the API: graceful pod deletion carried out by the kubelet, and owner references
 * carried out by the garbage collector.
 */
class DeletionScenarioTest {

    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              terminationGracePeriodSeconds: %d
              containers:
              - name: app
                image: nginx
            """;

    private static final String WORKER_JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: crunch
            spec:
              parallelism: 2
              completions: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox
            """;

    private final ClusterHarness h = new ClusterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void deletedPodTerminatesGracefullyAndLeavesTheRegistry() {
        h.script("app", ContainerScript.runForever().exitOnSigterm(Duration.ofSeconds(5), 0));
        h.apply(WEB.formatted(30));
        h.advanceSeconds(10);

        boolean gone = h.delete(ResourceTypes.PODS, "web");
        assertThat(gone).isFalse();
        Pod deleting = h.pod("web");
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:40Z");
        assertThat(deleting.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 10s");

        h.advanceSeconds(3);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 13s");

        h.advanceSeconds(3);
        assertThat(h.pod("web")).isNull();
        assertThat(h.kubectlGet("pods")).isEmpty();
        assertThat(h.runtimeLog()).contains("10 SIGTERM app timeout 30s", "15 exit app code 0",
                "15 sandbox web stopped");
        assertThat(h.events("web")).contains("Normal Killing Stopping container app");
    }

    @Test
    void containerIgnoringSigtermIsKilledWhenTheGracePeriodEnds() {
        h.script("app", ContainerScript.runForever().ignoreSigterm());
        h.apply(WEB.formatted(8));
        h.advanceSeconds(2);

        h.delete(ResourceTypes.PODS, "web");
        h.advanceSeconds(7);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Terminating 0 9s");

        h.advanceSeconds(2);
        assertThat(h.pod("web")).isNull();
        assertThat(h.runtimeLog()).contains("2 SIGTERM app timeout 8s", "10 SIGKILL app");
    }

    @Test
    void deletingAJobDeletesItsPods() {
        h.script("work", ContainerScript.runForever());
        h.apply(WORKER_JOB);
        h.advanceSeconds(5);
        assertThat(h.jobPods("crunch")).hasSize(2);
        assertThat(h.kubectlGet("pods")).allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Running 0 5s"));

        assertThat(h.delete(ResourceTypes.JOBS, "crunch")).isTrue();
        h.runUntilIdle();
        assertThat(h.kubectlGet("pods")).allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Terminating 0 5s"));

        h.advanceSeconds(2);
        assertThat(h.job("crunch")).isNull();
        assertThat(h.kubectlGet("pods")).isEmpty();
        assertThat(h.runtimeLog()).filteredOn(l -> l.contains("SIGTERM work")).hasSize(2);
    }

    @Test
    void orphaningDeleteLeavesThePodsRunningWithoutOwner() {
        h.script("work", ContainerScript.runForever());
        h.apply(WORKER_JOB);
        h.advanceSeconds(5);

        DeleteOptions orphan = new DeleteOptions();
        orphan.setPropagationPolicy("Orphan");
        h.delete(ResourceTypes.JOBS, "crunch", orphan);
        h.advanceSeconds(5);

        assertThat(h.job("crunch")).isNull();
        assertThat(h.kubectlGet("pods")).hasSize(2)
                .allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Running 0 10s"));
        assertThat(h.jobPods("crunch")).allSatisfy(p -> {
            assertThat(p.getMetadata().getOwnerReferences()).isEmpty();
            assertThat(p.getMetadata().getFinalizers()).isEmpty();
        });

        // without the Job's tracking finalizer an orphan is deleted like any pod
        String first = h.jobPods("crunch").getFirst().getMetadata().getName();
        h.delete(ResourceTypes.PODS, first);
        h.advanceSeconds(1);
        assertThat(h.pod(first)).isNull();
    }
}
