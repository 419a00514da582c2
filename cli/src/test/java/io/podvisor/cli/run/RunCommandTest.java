package io.podvisor.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.cli.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class RunCommandTest {

    @TempDir
    Path dir;

    private static CliRun.Output run(String... args) {
        return CliRun.run(args);
    }

    private String file(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f.toString();
    }

    private static final String WEB = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: demo}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: app
                image: busybox
            """;

    @Test
    void aPodBecomesReadyAndTheSummaryShowsItRunning() throws IOException {
        CliRun.Output r = run("run", file("web.yaml", WEB), "--runtime", "fake");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("configmap/settings created", "pod/web created")
                .containsPattern("\\[\\s*\\d+\\.\\ds\\] pod/web 0/1 (Pending|ContainerCreating) 0")
                .containsPattern("\\[\\s*\\d+\\.\\ds\\] pod/web 1/1 Running 0")
                .contains("condition met: every pod ready")
                .contains("Pod default/web: Running", "    app: Running, Ready: true, Restarts: 0")
                .containsPattern("Normal\\s+Started\\s+\\S+\\s+kubelet\\s+Started container app");
        assertThat(r.out().indexOf("1/1 Running")).isLessThan(r.out().indexOf("Pod default/web: Running"));
    }

    @Test
    void aJobRunsToCompletionOnTheProcessRuntime() throws IOException {
        String job = file("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once}
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: work
                        image: busybox
                        command: ["sh", "-c", "echo done"]
                """);

        CliRun.Output r = run("run", job, "--runtime", "process", "--timeout", "20s");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("job/once created")
                .containsPattern("pod/once-\\S+ 0/1 Completed 0")
                .containsPattern("job/once Complete 1/1")
                .contains("condition met: every Job and pod finished")
                .containsPattern("work: Terminated \\(Completed, exit code 0\\)")
                .containsPattern("job/once\\s+Complete\\s+1/1");
    }

    @Test
    void aJobPastItsDeadlineFailsTheRun() throws IOException {
        String job = file("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: slow}
                spec:
                  activeDeadlineSeconds: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: work
                        image: busybox
                """);

        CliRun.Output r = run("run", job, "--runtime", "fake", "--timeout", "20s");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("job/slow created")
                .containsPattern("pod/slow-\\S+ 1/1 Running 0")
                .containsPattern("job/slow Failed 0/1")
                .contains("finished, with failures")
                .containsPattern("Normal\\s+Started\\s+.*Started container work")
                .containsPattern("job/slow\\s+Failed\\s+0/1");
    }

    @Test
    void anInvalidPodIsRefusedWithKubectlsWording() throws IOException {
        String bad = file("bad.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: bad}
                spec:
                  containers:
                  - name: app
                """);

        CliRun.Output r = run("run", bad, "--runtime", "fake");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("The Pod \"bad\" is invalid: spec.containers[0].image: Required value");
        assertThat(r.out()).doesNotContain("pod/bad created");
    }

    private static final String NEVER_READY = """
            apiVersion: v1
            kind: Pod
            metadata: {name: shy}
            spec:
              containers:
              - name: app
                image: busybox
                readinessProbe:
                  tcpSocket: {port: 8080}
                  periodSeconds: 1
            """;

    @Test
    void untilADurationRunsThatLongAndSucceeds() throws IOException {
        CliRun.Output r = run("run", file("shy.yaml", NEVER_READY), "--runtime", "fake", "--until", "2s");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(12));
        assertThat(r.out()).containsPattern("pod/shy 0/1 Running 0").contains("ran for 2s")
                .containsPattern("\\[\\s*\\d+\\.\\ds\\] Normal Scheduled pod/shy: Successfully assigned default/shy to ")
                .containsPattern("\\[\\s*\\d+\\.\\ds\\] Normal Started pod/shy: Started container app")
                .doesNotContain("pod/shy 1/1");
    }

    @Test
    void aReadinessProbeThatFailsTimesOut() throws IOException {
        CliRun.Output r = run("run", file("shy.yaml", NEVER_READY), "--runtime", "fake", "--until", "ready", "--timeout", "3s");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(r.out()).contains("timed out after 3s waiting for every pod ready")
                .containsPattern("Warning\\s+Unhealthy\\s+.*Readiness probe failed")
                .contains("    app: Running, Ready: false, Restarts: 0");
    }

    @Test
    void whatARunCreatedIsGoneAfterwards() throws IOException {
        String data = dir.resolve("data").toString();
        assertThat(run("run", file("web.yaml", WEB), "--runtime", "fake", "--data-dir", data).code()).isZero();

        String other = file("other.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: other}
                spec:
                  containers:
                  - name: app
                    image: busybox
                """);
        CliRun.Output second = run("run", other, "--runtime", "fake", "--data-dir", data);

        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("Pod default/other: Running").doesNotContain("pod/web", "Pod default/web");
        assertThat(Files.exists(Path.of(data, "state.db"))).isTrue();
    }

    @org.junit.jupiter.api.AfterAll
    static void logQuietlyAgain() {
        io.podvisor.cli.logging.NodeLog.reset();
    }

    @Test
    void theLogGoesToTheDataDirsFileAndTheTerminalKeepsTheTimeline() throws IOException {
        Path data = dir.resolve("data");
        CliRun.Output r = run("run", file("web.yaml", WEB), "--runtime", "fake", "--data-dir", data.toString(), "-v=6");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContainPattern("(?m)^[IWEDT]\\d{4} \\d\\d:");
        assertThat(Files.readString(data.resolve("logs/podvisor.log"))).containsPattern("(?m)^I\\d{4} .*listening on");
        assertThat(run("run", file("web.yaml", WEB), "--v", "-1").err()).isEqualTo("podvisor run: -v must be 0 or more, not -1\n");
    }

    @Test
    void aBadUntilIsAUsageError() throws IOException {
        assertThat(run("run", file("web.yaml", WEB), "--until", "soon").code()).isEqualTo(2);
        assertThat(run("run", file("web.yaml", WEB), "--runtime", "nope").code()).isEqualTo(2);
    }

    @Test
    void durationsParseLikeGo() {
        assertThat(Until.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Until.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Until.parse("Ready").mode()).isEqualTo(Until.Mode.READY);
        assertThat(Timeline.prefix(Duration.ofMillis(2100))).isEqualTo("[  2.1s]");
    }
}
