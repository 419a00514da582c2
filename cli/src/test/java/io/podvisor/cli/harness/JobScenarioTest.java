package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs end to end: controller creates pods, scheduler binds them, kubelet runs them, the job counts them. */
class JobScenarioTest {

    /** A job whose pod has a native sidecar ({@code proxy}) next to the work container. */
    private static final String NATIVE_SIDECAR_JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: report
            spec:
              template:
                spec:
                  restartPolicy: Never
                  initContainers:
                  - name: proxy
                    image: envoyproxy/envoy
                    restartPolicy: Always
                  containers:
                  - name: work
                    image: busybox
            """;

    /** The same job, with the sidecar as a second regular container. */
    private static final String TRADITIONAL_SIDECAR_JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: report
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox
                  - name: proxy
                    image: envoyproxy/envoy
            """;

    private final ClusterHarness h = new ClusterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void nativeSidecarThatExitsOnSigtermLetsTheJobCompleteRightAway() {
        h.script("work", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 0));
        h.script("proxy", ContainerScript.runForever().exitOnSigterm(Duration.ZERO, 0));
        h.apply(NATIVE_SIDECAR_JOB);
        Pod pod = onlyPod("report");
        String name = pod.getMetadata().getName();
        assertThat(name).matches("report-[a-z0-9]{5}");

        h.advanceSeconds(2);
        assertThat(h.kubectlGet("jobs")).containsExactly("report Running 0/1 2s 2s");
        assertThat(h.kubectlGet("pods")).containsExactly(name + " 2/2 Running 0 2s");

        h.advanceSeconds(8);
        assertThat(h.kubectlGet("pods")).containsExactly(name + " 0/2 Completed 0 10s");
        assertThat(h.kubectlGet("jobs")).singleElement().asString().matches("report Complete 1/1 5s 10s");
        assertThat(conditions(h.job("report"))).contains("SuccessCriteriaMet=True CompletionsReached",
                "Complete=True CompletionsReached");
        // the kubelet sees the exit at once and stops the sidecar in the same second
        assertThat(h.runtimeLog()).contains("5 exit work code 0", "5 SIGTERM proxy timeout 30s");
        assertThat(h.events("report")).containsExactly(
                "Normal SuccessfulCreate Created pod: " + name,
                "Normal Completed Job completed");
    }

    @Test
    void nativeSidecarThatIgnoresSigtermDelaysCompletionByTheGracePeriod() {
        h.script("work", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 0));
        h.script("proxy", ContainerScript.runForever().ignoreSigterm());
        h.apply(NATIVE_SIDECAR_JOB);
        String name = onlyPod("report").getMetadata().getName();

        h.advanceSeconds(20);
        assertThat(h.kubectlGet("jobs")).containsExactly("report Running 0/1 20s 20s");
        assertThat(h.events(name)).contains("Normal Killing Stopping container proxy");

        h.advanceSeconds(20);
        assertThat(h.kubectlGet("pods")).containsExactly(name + " 0/2 Completed 0 40s");
        assertThat(h.kubectlGet("jobs")).singleElement().asString().matches("report Complete 1/1 35s 40s");
        assertThat(h.runtimeLog()).contains("5 SIGTERM proxy timeout 30s", "35 SIGKILL proxy");
        assertThat(h.pod(name).getStatus().getInitContainerStatuses()).singleElement()
                .satisfies(s -> assertThat(s.getState().getTerminated().getExitCode()).isEqualTo(137));
        assertThat(h.events("report")).containsExactly(
                "Normal SuccessfulCreate Created pod: " + name,
                "Normal Completed Job completed");
    }

    @Test
    void traditionalSidecarKeepsThePodAndTheJobRunning() {
        h.script("work", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 0));
        h.script("proxy", ContainerScript.runForever().exitOnSigterm(Duration.ZERO, 0));
        h.apply(TRADITIONAL_SIDECAR_JOB);
        String name = onlyPod("report").getMetadata().getName();

        h.advanceSeconds(120);
        assertThat(h.kubectlGet("pods")).containsExactly(name + " 1/2 NotReady 0 2m");
        assertThat(h.kubectlGet("jobs")).containsExactly("report Running 0/1 2m 2m");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("SIGTERM"));
        assertThat(h.events("report")).containsExactly("Normal SuccessfulCreate Created pod: " + name);
    }

    @Test
    void backoffLimitFailsTheJobAfterThreeFailedPods() {
        h.script("work", ContainerScript.script().exitAfter(Duration.ofSeconds(1), 1));
        h.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: flaky
                spec:
                  backoffLimit: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: work
                        image: busybox
                """);
        h.advanceSeconds(120);

        List<Pod> pods = h.jobPods("flaky");
        assertThat(pods).hasSize(3).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
        assertThat(h.kubectlGet("pods")).allSatisfy(row -> assertThat(row).matches("flaky-[a-z0-9]{5} 0/1 Error 0 .*"));
        Job job = h.job("flaky");
        assertThat(conditions(job)).containsExactly("FailureTarget=True BackoffLimitExceeded",
                "Failed=True BackoffLimitExceeded");
        assertThat(job.getStatus().getFailed()).isEqualTo(3);
        // a failed job has no completionTime: its DURATION keeps growing with its age
        assertThat(h.kubectlGet("jobs")).containsExactly("flaky Failed 0/1 2m 2m");
        // re-creation waits 10 s, then 20 s; the third failure (> backoffLimit) fails the job at once
        assertThat(h.runtimeLog()).filteredOn(l -> l.contains(" start work"))
                .containsExactly("0 start work", "11 start work", "32 start work");
        assertThat(job.getStatus().getConditions()).allSatisfy(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:33Z");
            assertThat(c.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        });
        assertThat(h.events("flaky")).endsWith(
                "Warning BackoffLimitExceeded Job has reached the specified backoff limit");
        assertThat(h.events("flaky")).filteredOn(e -> e.contains("SuccessfulCreate")).hasSize(3);
    }

    private Pod onlyPod(String job) {
        List<Pod> pods = h.jobPods(job);
        assertThat(pods).hasSize(1);
        return pods.getFirst();
    }

    private static List<String> conditions(Job job) {
        return job.getStatus().getConditions().stream()
                .map((JobCondition c) -> c.getType() + "=" + c.getStatus() + " " + c.getReason()).toList();
    }
}
