package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cases of the user's articles, in virtual time. */
class SeedScenariosTest {

    static final String NATIVE_SIDECAR_JOB_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: batch-native}
            spec:
              restartPolicy: Never
              initContainers:
              - name: log-shipper
                image: busybox
                restartPolicy: Always
                command: ["sh", "-c", "while true; do sleep 1; done"]
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "sleep 10"]
            """;

    @Test
    void nativeSidecarIgnoringSigtermIsKilledAfterGraceAndPodSucceeds() {
        NodeHarness h = new NodeHarness();
        h.script("main", script().exitAfter(ofSeconds(10), 0));
        h.script("log-shipper", script().ignoreSigterm());
        h.apply(NATIVE_SIDECAR_JOB_POD);

        assertThat(h.kubectl("batch-native")).isEqualTo("2/2 Running 0");
        h.advanceSeconds(10);
        // the main container's exit is noticed at once; the sidecar gets the pod's whole grace period
        assertThat(h.runtimeLog()).contains("10 exit main code 0", "10 SIGTERM log-shipper timeout 30s");
        assertThat(h.events("batch-native")).contains("Normal Killing Stopping container log-shipper");
        assertThat(h.pod("batch-native").getStatus().getPhase()).isEqualTo("Running");

        h.advanceSeconds(29);
        assertThat(h.pod("batch-native").getStatus().getPhase()).isEqualTo("Running");
        assertThat(h.kubectl("batch-native")).isEqualTo("1/2 Completed 0");
        h.advanceSeconds(1);
        assertThat(h.runtimeLog()).contains("40 SIGKILL log-shipper");
        Pod pod = h.pod("batch-native");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        ContainerStatus sidecar = pod.getStatus().getInitContainerStatuses().getFirst();
        assertThat(sidecar.getState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(sidecar.getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(h.kubectl("batch-native")).isEqualTo("0/2 Completed 0");
    }

    @Test
    void traditionalSidecarKeepsJobPodRunningNotReady() {
        NodeHarness h = new NodeHarness();
        h.script("main", script().exitAfter(ofSeconds(10), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: batch-traditional}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox
                  - name: log-shipper
                    image: busybox
                """);
        h.advanceSeconds(400);
        assertThat(h.pod("batch-traditional").getStatus().getPhase()).isEqualTo("Running");
        assertThat(h.kubectl("batch-traditional")).isEqualTo("1/2 NotReady 0");
    }

    @Test
    void sidecarOomKilledOverAndOverBesideHealthyMain() {
        NodeHarness h = new NodeHarness();
        h.script("sidecar-mem-hog", script().oomKilledAfter(ofSeconds(1)));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: sidecar-oom-demo}
                spec:
                  containers:
                  - name: main-app
                    image: nginx
                    resources: {limits: {memory: 128Mi}, requests: {memory: 64Mi}}
                  - name: sidecar-mem-hog
                    image: busybox
                    resources: {limits: {memory: 32Mi}, requests: {memory: 16Mi}}
                """);
        h.advanceSeconds(3);
        // killed at 1 (restarted at once) and 2: the sync of the kill shows OOMKilled, the next the back-off
        assertThat(h.kubectl("sidecar-oom-demo")).isEqualTo("1/2 OOMKilled 1 (2s ago)");
        assertThat(h.lastSteps("sidecar-oom-demo")).containsExactly("Start sidecar-mem-hog: CrashLoopBackOff");
        ContainerStatus hog = h.pod("sidecar-oom-demo").getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals("sidecar-mem-hog")).findFirst().orElseThrow();
        assertThat(hog.getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(hog.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(hog.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        h.advanceSeconds(20); // restarted at 12, killed at 13: the retry at 23 shows the 20 s back-off
        assertThat(h.kubectl("sidecar-oom-demo")).isEqualTo("1/2 CrashLoopBackOff 2 (10s ago)");
        hog = h.pod("sidecar-oom-demo").getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals("sidecar-mem-hog")).findFirst().orElseThrow();
        assertThat(hog.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(hog.getState().getWaiting().getMessage())
                .startsWith("back-off 20s restarting failed container=sidecar-mem-hog pod=sidecar-oom-demo_default(");
        h.advanceSeconds(1200);
        List<String> starts = h.runtimeLog().stream().filter(l -> l.endsWith("start sidecar-mem-hog")).toList();
        assertThat(starts.subList(0, 9)).containsExactly("0 start sidecar-mem-hog", "1 start sidecar-mem-hog",
                "12 start sidecar-mem-hog", "33 start sidecar-mem-hog", "74 start sidecar-mem-hog",
                "155 start sidecar-mem-hog", "316 start sidecar-mem-hog", "617 start sidecar-mem-hog",
                "918 start sidecar-mem-hog");
        assertThat(h.pod("sidecar-oom-demo").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void execLivenessLabRestartsContainerWithArticleEvents() {
        NodeHarness h = new NodeHarness();
        h.script("liveness", script().exec(List.of("cat", "/tmp/healthy"), since -> since.getSeconds() < 15
                ? ExecResult.exited(0, "")
                : ExecResult.exited(1, "cat: can't open '/tmp/healthy': No such file or directory\n")));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness-exec}
                spec:
                  containers:
                  - name: liveness
                    image: busybox
                    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 15; rm -f /tmp/healthy; sleep 600"]
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/healthy"]}
                      initialDelaySeconds: 5
                      periodSeconds: 3
                """);
        h.advanceSeconds(30);
        assertThat(h.events("liveness-exec", "Unhealthy"))
                .containsExactly("3x Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
        assertThat(h.events("liveness-exec", "Killing"))
                .containsExactly("1x Container liveness failed liveness probe, will be restarted");
        assertThat(h.kubectl("liveness-exec")).startsWith("1/1 Running 1 (");
    }

    @Test
    void initZeroOfOneWhileSidecarStartupProbeHasNotPassed() {
        NodeHarness h = new NodeHarness();
        h.script("proxy", script().tcp(15000, since -> since.getSeconds() >= 20));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: myapp}
                spec:
                  initContainers:
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    startupProbe:
                      tcpSocket: {port: 15000}
                      periodSeconds: 5
                      failureThreshold: 10
                  containers:
                  - name: app
                    image: app
                """);
        h.advanceSeconds(10);
        assertThat(h.kubectl("myapp")).isEqualTo("0/2 Init:0/1 0");
        assertThat(h.pod("myapp").getStatus().getPhase()).isEqualTo("Pending");
        h.advanceSeconds(15);
        assertThat(h.kubectl("myapp")).isEqualTo("2/2 Running 0");
    }
}
