package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.testing.CliRun;
import io.podvisor.runtime.image.HostBusybox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest under {@code examples/} on a runc node (as root) with the installed kubectl,
 * checked for what its seed article shows: the READY/STATUS/RESTARTS strings of {@code kubectl get
 * pod} (also as {@code kubectl get pods -w} printed them on the way), {@code kubectl describe}'s
 * Last State / Reason / Exit Code lines and its events with {@code (xN over …)}, {@code kubectl
 * get jobs}, {@code kubectl logs --previous}, the probe events and the 422 message. All examples
 * are applied at once and progress side by side; each test waits for its own lab's point.
 *
 * <p>Where runc cannot run the suite is skipped, unless {@code PODVISOR_ACCEPTANCE=required} (as
 * in CI), which turns that into a failure.
 */
class SeedLabsAcceptanceTest {

    private static final Duration LONG = Duration.ofSeconds(180);
    private static final Duration SHORT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    static Path examples;
    static RealNode node;
    static Kubectl kubectl;
    static Process watch;
    static Path watchLog;
    static final List<String> applied = new ArrayList<>();
    static Kubectl.Result refused;

    @BeforeAll
    static void applyEveryExample() throws IOException {
        boolean usable = RealNode.runcUsable();
        if (!usable && "required".equals(System.getenv("PODVISOR_ACCEPTANCE"))) {
            fail("PODVISOR_ACCEPTANCE=required, but runc cannot run here (needs root, runc, ip and a static /bin/busybox)");
        }
        assumeTrue(usable, "needs root, runc, ip and a static busybox");
        examples = findExamples();
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        assertThat(node.images.status(HostBusybox.REFERENCE)).as("the node's built-in image").isPresent();

        watchLog = tmp.resolve("watch.txt");
        kubectl.run("get", "pods").assertOk(); // warms the discovery cache before the watch starts
        ProcessBuilder watchBuilder = new ProcessBuilder("kubectl", "--kubeconfig=" + node.server.kubeconfig(), "get", "pods", "-w")
                .redirectErrorStream(true).redirectOutput(watchLog.toFile())
                .directory(tmp.toFile());
        watchBuilder.environment().put("HOME", tmp.resolve("home").toString());
        watch = watchBuilder.start();
        List<Path> files;
        try (Stream<Path> s = Files.walk(examples)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            Kubectl.Result r = kubectl.run("apply", "-f", f.toString());
            if (f.getFileName().toString().equals("regular-container-restart-policy.yaml")) {
                refused = r;
            } else {
                r.assertOk();
                applied.add(examples.relativize(f).toString());
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (watch != null) {
            watch.destroy();
        }
        if (node != null) {
            kubectl.run(null, 120, "delete", "jobs,pods", "--all", "--grace-period=1", "--wait=true");
            node.close();
            assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
        }
    }

    // ---- Day 2: sidecar OOM (000) and Day 1 OOMKilled ----

    @Test
    void onlyTheSidecarIsOomKilledAndThePodShowsOneOfTwoReady() {
        awaitPod("sidecar-oom-demo", "1/2\\s+CrashLoopBackOff\\s+[1-9]");
        String hog = container(describe("sidecar-oom-demo"), "sidecar-mem-hog");
        assertThat(hog).containsPattern("Last State:\\s+Terminated\\n\\s+Reason:\\s+OOMKilled\\n\\s+Exit Code:\\s+137");
        assertThat(jsonpath("sidecar-oom-demo", "{.status.containerStatuses[?(@.name==\"main-app\")].restartCount}"
                + " {.status.containerStatuses[?(@.name==\"main-app\")].state.running.startedAt}"))
                .matches("0 \\S+");
        assertThat(jsonpath("sidecar-oom-demo", "{.status.phase}")).isEqualTo("Running");
        assertThat(kubectl.run("logs", "sidecar-oom-demo", "-c", "sidecar-mem-hog").assertOk().out())
                .isEqualTo("Start sidecar memory hog\n");
    }

    @Test
    void aSingleContainerOverItsLimitIsOomKilledAndItsLogEndsAtTheFirstLine() {
        awaitPod("oomkilled", "0/1\\s+CrashLoopBackOff\\s+[1-9]");
        assertThat(container(describe("oomkilled"), "hog"))
                .containsPattern("Last State:\\s+Terminated\\n\\s+Reason:\\s+OOMKilled\\n\\s+Exit Code:\\s+137");
        assertThat(kubectl.run("logs", "oomkilled", "--previous").assertOk().out())
                .isEqualTo("allocating 64 MiB under a 24Mi limit\n");
    }

    // ---- native sidecars (001) ----

    @Test
    void theNativeSidecarJobCompletesWhileTheTraditionalOneNeverDoes() {
        await().atMost(LONG).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("get", "jobs").out(),
                        out -> out.matches("(?s).*\\nbatch-job-native\\s+Complete\\s+1/1\\s.*"));
        String jobs = kubectl.run("get", "jobs").assertOk().out();
        assertThat(jobs).containsPattern("(?m)^NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE$")
                .containsPattern("(?m)^batch-job-traditional\\s+Running\\s+0/1\\s");
        String traditional = podOf("batch-job-traditional");
        String nativePod = podOf("batch-job-native");
        assertThat(kubectl.run("get", "pod", traditional).assertOk().out())
                .containsPattern("(?m)^" + traditional + "\\s+1/2\\s+NotReady\\s+0\\s");
        assertThat(kubectl.run("get", "pod", nativePod).assertOk().out())
                .containsPattern("(?m)^" + nativePod + "\\s+0/2\\s+Completed\\s+0\\s");
        assertThat(jsonpath(traditional, "{.status.containerStatuses[?(@.name==\"main\")].state.terminated.reason}"
                + " {.status.containerStatuses[?(@.name==\"sidecar\")].state.running.startedAt}"))
                .matches("Completed \\S+");
        assertThat(jsonpath(nativePod, "{.status.initContainerStatuses[0].state.terminated.exitCode}"
                + " {.status.initContainerStatuses[0].state.terminated.reason}"
                + " {.status.containerStatuses[0].state.terminated.exitCode}"
                + " {.status.containerStatuses[0].state.terminated.reason}"))
                .isEqualTo("137 Error 0 Completed");
        assertThat(kubectl.run("logs", nativePod, "-c", "main").assertOk().out())
                .startsWith("Main container started\nProcessing... 1/5\n").endsWith("Main container completed\n");
    }

    @Test
    void theReadmeJobCompletesOnItsOwnNodeThroughPodvisorRun() {
        CliRun.Output r = CliRun.run("run", examples.resolve("native-sidecar-job.yaml").toString(), "--runtime", "runc", "--timeout", "3m");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("runc runtime", "job/native-sidecar-job created")
                .containsPattern("pod/native-sidecar-job-\\S+ 0/2 Init:0/1 0")
                .containsPattern("pod/native-sidecar-job-\\S+ 2/2 Running 0")
                .containsPattern("Normal Killing pod/native-sidecar-job-\\S+: Stopping container sidecar")
                .containsPattern("job/native-sidecar-job Complete 1/1")
                .contains("condition met: every Job and pod finished")
                .containsPattern("Pod default/native-sidecar-job-\\S+: Succeeded")
                .contains("sidecar: Terminated (Error, exit code 137)", "main: Terminated (Completed, exit code 0)");
    }

    @Test
    void aTcpStartupProbeHoldsTheAppBackUntilTheProxyListens() {
        awaitPod("proxy-startup-probe", "2/2\\s+Running\\s+0");
        assertThat(kubectl.run("logs", "proxy-startup-probe", "-c", "app").assertOk().out())
                .isEqualTo("app: connecting to localhost:5432\nrows: 42\napp: connected on the first try\n");
        assertThat(watched("proxy-startup-probe")).containsSubsequence("0/2 Init:0/1", "2/2 Running");
    }

    @Test
    void threeSidecarsStartInOrderBeforeTheApp() {
        awaitPod("production-app", "4/4\\s+Running\\s+0");
        String events = events(describe("production-app"));
        List<Integer> started = Stream.of("vault-agent", "cloud-sql-proxy", "otel-collector", "app")
                .map(c -> events.indexOf("Started container " + c)).toList();
        assertThat(started).doesNotContain(-1).isSorted();
        assertThat(kubectl.run("logs", "production-app", "-c", "app").assertOk().out())
                .isEqualTo("app: secret is 7 bytes\napp: database proxy answers\napp: collector answers\n");
        assertThat(watched("production-app")).containsSubsequence("0/4 Init:0/3", "4/4 Running");
    }

    @Test
    void aStartupProbeThatNeverPassesLeavesThePodAtInit() {
        awaitPod("stuck-startup-probe", "0/2\\s+Init:0/1\\s+0");
        String d = describe("stuck-startup-probe");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1)).until(() -> describe("stuck-startup-probe"),
                s -> Pattern.compile("Warning\\s+Unhealthy\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Startup probe failed: "
                        + "dial tcp [0-9.]+:8080: connect: connection refused").matcher(s).find());
        assertThat(container(d, "app")).containsPattern("State:\\s+Waiting\\n\\s+Reason:\\s+PodInitializing");
        assertThat(jsonpath("stuck-startup-probe", "{.spec.initContainers[0].restartPolicy}")).isEqualTo("Always");
    }

    @Test
    void restartPolicyOnARegularContainerIsRefused() {
        assertThat(refused).isNotNull();
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("The Pod \"misplaced-restart-policy\" is invalid: "
                + "spec.containers[1].restartPolicy: Forbidden: may not be set for non-init containers");
        assertThat(kubectl.run("get", "pod", "misplaced-restart-policy").err())
                .contains("pods \"misplaced-restart-policy\" not found");
    }

    // ---- probe labs (004) and the pod lifecycle article (002) ----

    @Test
    void execLivenessRestartsTheContainerWithTheArticlesEvents() {
        awaitPod("exec-liveness", "1/1\\s+Running\\s+[1-9] \\(\\S+ ago\\)");
        String events = events(describe("exec-liveness"));
        assertThat(events)
                .containsPattern("Warning\\s+Unhealthy\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Liveness probe failed: "
                        + "cat: can't open '/tmp/healthy': No such file or directory")
                .containsPattern("Normal\\s+Killing\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Container liveness failed liveness probe, will be restarted")
                .containsPattern("Normal\\s+Started\\s+\\S+ \\(x[2-9] over \\S+\\)\\s+kubelet\\s+Started container liveness")
                .containsPattern("Normal\\s+Pulled\\s+\\S+ \\(x[2-9] over \\S+\\)\\s+kubelet\\s+Container image "
                        + "\"localhost/busybox:host\" already present on machine");
    }

    @Test
    void httpLivenessRestartsOnceTheServerAnswers500() {
        awaitPod("http-liveness", "1/1\\s+Running\\s+[2-9] \\(\\S+ ago\\)|0/1\\s+CrashLoopBackOff\\s+[2-9]");
        assertThat(events(describe("http-liveness")))
                .containsPattern("Warning\\s+Unhealthy\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+"
                        + "Liveness probe failed: HTTP probe failed with statuscode: 500")
                .containsPattern("Normal\\s+Killing\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+"
                        + "Container liveness failed liveness probe, will be restarted");
        assertThat(kubectl.run("logs", "http-liveness", "--previous").assertOk().out())
                .isEqualTo("serving /healthz on :8080 (200 for 10 s, then 500)\nstopping\n");
    }

    @Test
    void tcpLivenessOnAClosedPortRestartsWhileReadinessPasses() {
        String ip = await().atMost(SHORT).until(() -> jsonpath("tcp-liveness", "{.status.podIP}"), s -> !s.isEmpty());
        awaitPod("tcp-liveness", "[01]/1\\s+Running\\s+[1-9] \\(\\S+ ago\\)");
        assertThat(events(describe("tcp-liveness")))
                .containsPattern("Warning\\s+Unhealthy\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Liveness probe failed: dial tcp "
                        + Pattern.quote(ip) + ":8081: connect: connection refused")
                .containsPattern("Normal\\s+Killing\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Container goproxy failed liveness probe, will be restarted");
        assertThat(watched("tcp-liveness")).containsSubsequence("0/1 Running", "1/1 Running");
    }

    @Test
    void livenessAndReadinessBothPassing() {
        awaitPod("probe-demo", "1/1\\s+Running\\s+0");
        assertThat(watched("probe-demo")).containsSubsequence("0/1 Running", "1/1 Running");
    }

    @Test
    void aFailingReadinessProbeLeavesThePodRunningButNotReady() {
        awaitPod("readiness-fails", "1/2\\s+Running\\s+0");
        assertThat(jsonpath("readiness-fails", "{.status.conditions[?(@.type==\"Ready\")].status}"
                + " {.status.conditions[?(@.type==\"Ready\")].message}"))
                .isEqualTo("False containers with unready status: [auth-agent]");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1)).until(() -> events(describe("readiness-fails")),
                s -> s.matches("(?s).*Warning\\s+Unhealthy\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Readiness probe failed: "
                        + "cat: can't open '/tmp/token': No such file or directory\\n.*"));
    }

    // ---- init containers (002, 004) ----

    @Test
    void initContainersRunInOrderAndHandTheConfigOver() {
        awaitPod("app-with-init", "1/1\\s+Running\\s+0");
        assertThat(watched("app-with-init")).containsSubsequence("0/1 Init:0/2", "0/1 Init:1/2", "1/1 Running");
        assertThat(kubectl.run("logs", "app-with-init", "-c", "myapp").assertOk().out()).isEqualTo("myapp: config loaded\n");
        assertThat(kubectl.run("logs", "app-with-init", "-c", "wait-for-db").assertOk().out())
                .isEqualTo("waiting for mydb (3)\nwaiting for mydb (2)\nwaiting for mydb (1)\nmydb is up\n");
    }

    @Test
    void anInitContainerWaitingForAServiceKeepsThePodAtInit() {
        awaitPod("init-demo", "0/1\\s+Init:0/1\\s+0");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("logs", "init-demo", "-c", "wait-for-service").out(),
                        out -> out.startsWith("waiting for myservice\nwaiting for myservice\n"));
        assertThat(jsonpath("init-demo", "{.status.phase} {.status.containerStatuses[0].state.waiting.reason}"))
                .isEqualTo("Pending PodInitializing");
    }

    @Test
    void aFailingInitContainerFailsThePodWhenRestartPolicyIsNever() {
        awaitPod("never-failing-init", "0/1\\s+Init:Error\\s+0");
        assertThat(jsonpath("never-failing-init", "{.status.phase}")).isEqualTo("Failed");
        String d = describe("never-failing-init");
        assertThat(d).containsPattern("(?m)^Status:\\s+Failed$");
        assertThat(container(d, "migrate"))
                .containsPattern("State:\\s+Terminated\\n\\s+Reason:\\s+Error\\n\\s+Exit Code:\\s+1\\n");
        assertThat(container(d, "app")).containsPattern("State:\\s+Waiting\\n\\s+Reason:\\s+PodInitializing");
        assertThat(kubectl.run("logs", "never-failing-init", "-c", "migrate").assertOk().out())
                .isEqualTo("migrate: schema version mismatch\n");
    }

    // ---- resources and QoS (002, 004) ----

    @Test
    void qosClassesFollowFromRequestsAndLimits() {
        for (String[] c : new String[][] {{"qos-guaranteed", "Guaranteed"}, {"qos-burstable", "Burstable"},
                {"qos-besteffort", "BestEffort"}}) {
            awaitPod(c[0], "1/1\\s+Running\\s+0");
            assertThat(jsonpath(c[0], "{.status.qosClass}")).isEqualTo(c[1]);
            assertThat(describe(c[0])).containsPattern("(?m)^QoS Class:\\s+" + c[1] + "$");
        }
    }

    @Test
    void requestsAndLimitsShowInDescribe() {
        awaitPod("pod-resource", "1/1\\s+Running\\s+0");
        assertThat(container(describe("pod-resource"), "web"))
                .containsPattern("Limits:\\n\\s+cpu:\\s+1\\n\\s+memory:\\s+500Mi\\n\\s+Requests:\\n\\s+cpu:\\s+200m\\n\\s+memory:\\s+250Mi");
        assertThat(jsonpath("pod-resource", "{.status.qosClass}")).isEqualTo("Burstable");
    }

    @Test
    void requestsNoNodeCanHoldLeaveThePodPending() {
        awaitPod("requests-too-big", "0/1\\s+Pending\\s+0");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1)).until(() -> events(describe("requests-too-big")),
                s -> s.matches("(?s).*Warning\\s+FailedScheduling\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+default-scheduler\\s+"
                        + "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory\\..*"));
        assertThat(jsonpath("requests-too-big", "{.spec.nodeName}")).isEmpty();
    }

    // ---- multi-container patterns (002, 004) ----

    @Test
    void aLogShipperReadsTheAppsLogFromTheSharedVolume() {
        awaitPod("app-with-sidecar", "2/2\\s+Running\\s+0");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("logs", "app-with-sidecar", "-c", "log-shipper").out(),
                        out -> out.contains(" request 1 handled\n") && out.contains(" request 2 handled\n"));
    }

    @Test
    void theAdapterTurnsTopOutputIntoAStatusPage() {
        awaitPod("adapter", "3/3\\s+Running\\s+0");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("exec", "adapter", "-c", "viewer", "--", "wget", "-q", "-O", "-", "http://localhost/status.html").out(),
                        out -> out.startsWith("<pre>\n") && out.contains("\nMem: ") && out.contains("\nCPU: ") && out.endsWith("</pre>\n"));
    }

    @Test
    void theAmbassadorRelaysLocalhostToTheBackend() {
        awaitPod("app-with-ambassador", "3/3\\s+Running\\s+0");
        await().atMost(SHORT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("logs", "app-with-ambassador", "-c", "app").out(),
                        out -> out.contains("app: answer from the backend\n"));
    }

    @Test
    void theGeneratedPageIsServedOnThePodIp() throws Exception {
        awaitPod("multi-container", "2/2\\s+Running\\s+0");
        String ip = jsonpath("multi-container", "{.status.podIP}");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = await().atMost(SHORT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://" + ip + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body(), b -> b.matches("\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}\\n"));
        assertThat(body).endsWith("\n");
    }

    // ---- troubleshooting (003) ----

    @Test
    void crashLoopBackOffIsDebuggedWithDescribeAndPreviousLogs() {
        awaitPod("crashloop", "0/1\\s+CrashLoopBackOff\\s+[2-9] \\(\\S+ ago\\)");
        String d = describe("crashloop");
        assertThat(container(d, "app"))
                .containsPattern("State:\\s+Waiting\\n\\s+Reason:\\s+CrashLoopBackOff\\n\\s+Last State:\\s+Terminated\\n"
                        + "\\s+Reason:\\s+Error\\n\\s+Exit Code:\\s+1\\n");
        assertThat(events(d)).containsPattern("Warning\\s+BackOff\\s+\\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+"
                + "Back-off restarting failed container app in pod crashloop_default\\([0-9a-f-]{36}\\)");
        assertThat(kubectl.run("logs", "crashloop", "--previous").assertOk().out())
                .isEqualTo("connecting to db.internal:5432\nfatal: database unreachable\n");
        // as upstream's kubelet publishes them: each exit as Error, the back-off only from the retry after it
        assertThat(watchedWithRestarts("crashloop")).containsSubsequence("0/1 Error 1", "0/1 CrashLoopBackOff 1",
                "0/1 Error 2", "0/1 CrashLoopBackOff 2");
    }

    @Test
    void everyExampleWasAppliedAndOnlyTheMisplacedRestartPolicyRefused() {
        assertThat(applied).hasSize(23).contains("native-sidecar-job.yaml", "probes/http-liveness.yaml");
    }

    // ---- helpers ----

    private static Path findExamples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/README.md"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }

    /** Waits until {@code kubectl get pod NAME} shows READY, STATUS and RESTARTS matching {@code columns}. */
    private static void awaitPod(String name, String columns) {
        Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(" + columns + ")");
        try {
            await().atMost(LONG).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.run("get", "pod", name).out(), out -> p.matcher(out).find());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("pod " + name + " never showed " + columns + "; now:\n"
                    + kubectl.run("get", "pod", name).out() + describe(name), e);
        }
    }

    private static String describe(String pod) {
        return kubectl.run("describe", "pod", pod).assertOk().out();
    }

    private static String jsonpath(String pod, String expr) {
        return kubectl.run("get", "pod", pod, "-o", "jsonpath=" + expr).assertOk().out();
    }

    private static String podOf(String job) {
        return kubectl.run("get", "pods", "-l", "job-name=" + job, "-o", "jsonpath={.items[0].metadata.name}").assertOk().out();
    }

    /** The part of a describe output about one container, from its name line to the next container's. */
    private static String container(String describe, String name) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(name) + ":\\n").matcher(describe);
        assertThat(m.find()).as("describe has a container " + name + ":\n" + describe).isTrue();
        Matcher next = Pattern.compile("(?m)^(  \\S[^\\n]*:\\n|\\S)").matcher(describe);
        int end = next.find(m.end()) ? next.start() : describe.length();
        return describe.substring(m.start(), end);
    }

    private static String events(String describe) {
        int at = describe.indexOf("\nEvents:");
        assertThat(at).as("describe has events").isNotNegative();
        return describe.substring(at);
    }

    /** "READY STATUS RESTARTS" (the count without its age) {@code kubectl get pods -w} printed for a pod, in order. */
    private static List<String> watchedWithRestarts(String pod) {
        return watchLines(Pattern.compile("(?m)^" + Pattern.quote(pod) + "\\s+(\\d+/\\d+)\\s+(\\S+)\\s+(\\d+)\\s"));
    }

    /** "READY STATUS" pairs {@code kubectl get pods -w} printed for a pod, in order. */
    private static List<String> watched(String pod) {
        return watchLines(Pattern.compile("(?m)^" + Pattern.quote(pod) + "\\s+(\\d+/\\d+)\\s+(\\S+)\\s"));
    }

    /** The groups of each match of {@code line} in the watch's output, joined by spaces, in order. */
    private static List<String> watchLines(Pattern line) {
        try {
            Matcher m = line.matcher(Files.readString(watchLog));
            List<String> seen = new ArrayList<>();
            while (m.find()) {
                List<String> groups = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) {
                    groups.add(m.group(g));
                }
                seen.add(String.join(" ", groups));
            }
            return seen;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
