package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.fake.ContainerScript;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed kubectl against a running node (HTTPS, token, SQLite store, fake runtime): the
 * everyday commands a user types, with kubectl's own output checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlEndToEndTest {

    @TempDir
    static Path tmp;

    static RunningNode node;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws IOException {
        node = new RunningNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        node.runtime.script("web", ContainerScript.runForever()
                .stdout(Duration.ZERO, "web starting")
                .stdout(Duration.ofMillis(200), "web ready")
                .exec(List.of("sh", "-c", "exit 3"), t -> ExecResult.exited(3, ""))
                .exec(List.of("echo"), t -> ExecResult.exited(0, "hello from exec\n")));
        node.runtime.script("side", ContainerScript.runForever().stdout(Duration.ZERO, "side says hi"));
        node.runtime.script("crash", n -> ContainerScript.script()
                .stdout(Duration.ZERO, "attempt " + n)
                .exitAfter(Duration.ofMillis(300), 1));
        node.runtime.script("work", ContainerScript.script().stdout(Duration.ZERO, "working").exitAfter(Duration.ofMillis(500), 0));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static Path manifest(String name, String yaml) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports:
                - containerPort: 80
              - name: side
                image: busybox:1.36
            """;

    @Test
    @Order(1)
    void versionReportsTheServer() {
        var r = kubectl.run("version").assertOk();
        assertThat(r.out()).contains("Server Version: v1.33.0");
    }

    @Test
    @Order(2)
    void apiResourcesListsTheServedTypes() {
        var r = kubectl.run("api-resources").assertOk();
        assertThat(r.out()).containsPattern("(?m)^pods\\s+po\\s+v1\\s+true\\s+Pod$");
        assertThat(r.out()).containsPattern("(?m)^jobs\\s+batch/v1\\s+true\\s+Job$");
        assertThat(r.out()).containsPattern("(?m)^endpointslices\\s+discovery.k8s.io/v1\\s+true\\s+EndpointSlice$");
    }

    @Test
    @Order(3)
    void applyCreatesThenConfiguresThenLeavesUnchanged() throws IOException {
        Path f = manifest("web.yaml", WEB);
        assertThat(kubectl.run("apply", "-f", f.toString()).assertOk().out()).contains("pod/web created");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("get", "pods").out(),
                out -> out.matches("(?s).*\\nweb\\s+2/2\\s+Running\\s+0\\s+\\S+\\n.*"));
        String changed = WEB.replace("app: web", "app: web\n    tier: front");
        Files.writeString(f, changed);
        assertThat(kubectl.run("apply", "-f", f.toString()).assertOk().out()).contains("pod/web configured");
        assertThat(kubectl.run("apply", "-f", f.toString()).assertOk().out()).contains("pod/web unchanged");
        String labels = kubectl.run("get", "pod", "web", "-o", "jsonpath={.metadata.labels.tier}").assertOk().out();
        assertThat(labels).isEqualTo("front");
        String lastApplied = kubectl.run("get", "pod", "web", "-o",
                "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}").assertOk().out();
        assertThat(lastApplied).contains("\"tier\":\"front\"").startsWith("{\"apiVersion\":\"v1\"");
    }

    @Test
    @Order(4)
    void getPodsWideAndYaml() {
        var wide = kubectl.run("get", "pods", "-o", "wide").assertOk().out();
        assertThat(wide.lines().findFirst().orElseThrow())
                .matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES");
        assertThat(wide).containsPattern("web\\s+2/2\\s+Running\\s+0\\s+\\S+\\s+10\\.88\\.\\d+\\.\\d+\\s+" + RunningNode.NODE
                + "\\s+<none>\\s+<none>");
        var yaml = kubectl.run("get", "pod", "web", "-o", "yaml").assertOk().out();
        assertThat(yaml).contains("qosClass: BestEffort", "phase: Running", "nodeName: " + RunningNode.NODE,
                "restartPolicy: Always", "terminationGracePeriodSeconds: 30");
    }

    @Test
    @Order(5)
    void describeShowsStateAndEvents() {
        var out = kubectl.run("describe", "pod", "web").assertOk().out();
        assertThat(out).containsPattern("Status:\\s+Running");
        assertThat(out).containsPattern("Node:\\s+" + RunningNode.NODE + "/127.0.0.1");
        assertThat(out).contains("Events:");
        assertThat(out).containsPattern("Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/web to "
                + RunningNode.NODE);
        assertThat(out).containsPattern("Normal\\s+Started\\s+\\S+\\s+kubelet\\s+Started container web");
    }

    @Test
    @Order(6)
    void logsByContainerTailAndPrevious() throws IOException {
        var first = kubectl.run("logs", "web").assertOk();
        assertThat(first.err()).contains("Defaulted container \"web\" out of: web, side");
        assertThat(first.out()).isEqualTo("web starting\nweb ready\n");
        assertThat(kubectl.run("logs", "web", "-c", "side").assertOk().out()).isEqualTo("side says hi\n");
        assertThat(kubectl.run("logs", "web", "-c", "web", "--tail=1").assertOk().out()).isEqualTo("web ready\n");
        var prev = kubectl.run("logs", "web", "-c", "web", "--previous");
        assertThat(prev.exitCode()).isEqualTo(1);
        assertThat(prev.err()).contains("previous terminated container \"web\" in pod \"web\" not found");

        kubectl.run("apply", "-f", manifest("crash.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: crash
                spec:
                  containers:
                  - name: crash
                    image: busybox:1.36
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "pod", "crash").out(),
                out -> out.matches("(?s).*crash\\s+0/1\\s+(CrashLoopBackOff|Error|Running|Completed)\\s+[1-9].*"));
        var previous = kubectl.run("logs", "crash", "--previous").assertOk().out();
        assertThat(previous).matches("attempt \\d+\\n");
    }

    @Test
    @Order(7)
    void logsFollowStreamsUntilTheContainerEnds() throws Exception {
        kubectl.run("apply", "-f", manifest("worker.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worker
                spec:
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox:1.36
                """).toString()).assertOk();
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("get", "pod", "worker").out(),
                out -> out.contains("Completed") || out.contains("Running"));
        var r = kubectl.run(null, 30, "logs", "-f", "worker").assertOk();
        assertThat(r.out()).isEqualTo("working\n");
    }

    @Test
    @Order(8)
    void execCarriesOutputAndExitCode() {
        var ok = kubectl.run("exec", "web", "-c", "web", "--", "echo", "hi").assertOk();
        assertThat(ok.out()).isEqualTo("hello from exec\n");
        var failing = kubectl.run("exec", "web", "-c", "web", "--", "sh", "-c", "exit 3");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.err()).contains("command terminated with exit code 3");
    }

    @Test
    @Order(9)
    void waitForReady() {
        var r = kubectl.run(null, 60, "wait", "--for=condition=Ready", "pod/web", "--timeout=30s").assertOk();
        assertThat(r.out()).contains("pod/web condition met");
    }

    @Test
    @Order(10)
    void getEventsListsKubeletEvents() {
        var r = kubectl.run("get", "events").assertOk().out();
        assertThat(r.lines().findFirst().orElseThrow()).matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
        assertThat(r).containsPattern("Normal\\s+Scheduled\\s+pod/web\\s+Successfully assigned default/web to " + RunningNode.NODE);
        assertThat(r).containsPattern("Normal\\s+Started\\s+pod/web\\s+Started container web");
    }

    @Test
    @Order(11)
    void getWatchPrintsChanges() throws Exception {
        Process w = kubectl.start("get", "pods", "-w", "--no-headers");
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> readUntil(w.getInputStream(), "labelled"));
        try {
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(500)).until(() -> true);
            kubectl.run("run", "labelled", "--image=nginx", "--restart=Never").assertOk();
            assertThat(seen.get(30, java.util.concurrent.TimeUnit.SECONDS)).contains("labelled");
        } finally {
            w.destroyForcibly();
        }
    }

    @Test
    @Order(12)
    void runCreatesAndDryRunPrints() {
        assertThat(kubectl.run("run", "nginx", "--image=nginx").assertOk().out()).contains("pod/nginx created");
        var dry = kubectl.run("run", "x", "--image=nginx", "--dry-run=client", "-o", "yaml").assertOk().out();
        assertThat(dry).contains("name: x", "image: nginx");
        assertThat(kubectl.run("get", "pod", "x").exitCode()).isEqualTo(1);
    }

    @Test
    @Order(13)
    void applyServerSide() throws IOException {
        Path f = manifest("ssa.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: fast
                """);
        assertThat(kubectl.run("apply", "--server-side", "-f", f.toString()).assertOk().out())
                .contains("configmap/settings serverside-applied");
        Files.writeString(f, Files.readString(f).replace("fast", "slow"));
        assertThat(kubectl.run("apply", "--server-side", "-f", f.toString()).assertOk().out())
                .contains("configmap/settings serverside-applied");
        assertThat(kubectl.run("get", "cm", "settings", "-o", "jsonpath={.data.mode}").assertOk().out()).isEqualTo("slow");
    }

    @Test
    @Order(14)
    void jobRunsToCompletion() throws IOException {
        kubectl.run("apply", "-f", manifest("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: batch
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: work
                        image: busybox:1.36
                """).toString()).assertOk();
        String out = await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "jobs").out(),
                o -> o.matches("(?s).*batch\\s+Complete\\s+1/1\\s+\\S+\\s+\\S+\\n.*"));
        assertThat(out.lines().findFirst().orElseThrow()).matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE");
        var wait = kubectl.run(null, 60, "wait", "--for=condition=complete", "job/batch", "--timeout=30s").assertOk();
        assertThat(wait.out()).contains("job.batch/batch condition met");
    }

    @Test
    @Order(15)
    void endpointsListReadyPods() throws IOException {
        kubectl.run("apply", "-f", manifest("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                  - port: 8080
                    targetPort: 80
                """).toString()).assertOk();
        String out = await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("get", "endpoints", "web").out(),
                o -> o.matches("(?s).*web\\s+10\\.88\\.\\d+\\.\\d+:80\\s+\\S+\\n.*"));
        assertThat(out.lines().findFirst().orElseThrow()).matches("NAME\\s+ENDPOINTS\\s+AGE");
        assertThat(kubectl.run("get", "svc", "kubernetes").assertOk().out())
                .containsPattern("kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+<none>\\s+443/TCP");
        assertThat(kubectl.run("get", "endpoints", "kubernetes").assertOk().out())
                .containsPattern("kubernetes\\s+127\\.0\\.0\\.1:" + node.server.port());
        assertThat(kubectl.run("get", "svc", "web").assertOk().out())
                .containsPattern("web\\s+ClusterIP\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+8080/TCP");
    }

    @Test
    @Order(16)
    void errorsReadLikeKubectlAgainstARealCluster() throws IOException {
        var invalid = kubectl.run("apply", "-f", manifest("bad.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: bad
                spec:
                  containers:
                  - name: app
                    image: busybox:1.36
                    restartPolicy: Always
                """).toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains(
                "The Pod \"bad\" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers");

        var unknown = kubectl.run("create", "-f", manifest("unknown.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unknown
                spec:
                  foo: bar
                  containers:
                  - name: app
                    image: busybox:1.36
                """).toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("Error from server (BadRequest): error when creating")
                .contains("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"");

        var missing = kubectl.run("get", "pod", "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");

        var exists = kubectl.run("create", "-f", tmp.resolve("web.yaml").toString());
        assertThat(exists.err()).contains("Error from server (AlreadyExists): error when creating")
                .contains("pods \"web\" already exists");

        String stale = kubectl.run("get", "cm", "settings", "-o", "yaml").assertOk().out();
        kubectl.run("label", "cm", "settings", "touched=yes").assertOk();
        Path stalePath = manifest("stale.yaml", stale);
        var conflict = kubectl.run("replace", "-f", stalePath.toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.err()).contains("Error from server (Conflict)")
                .contains("Operation cannot be fulfilled on configmaps \"settings\": the object has been modified; "
                        + "please apply your changes to the latest version and try again");
    }

    @Test
    @Order(17)
    void typedCreatesSentAsProtobuf() {
        assertThat(kubectl.run("create", "configmap", "typed", "--from-literal=mode=fast").assertOk().out())
                .contains("configmap/typed created");
        assertThat(kubectl.run("get", "cm", "typed", "-o", "jsonpath={.data.mode}").assertOk().out()).isEqualTo("fast");
        assertThat(kubectl.run("create", "secret", "generic", "creds", "--from-literal=password=s3cret").assertOk().out())
                .contains("secret/creds created");
        assertThat(kubectl.run("get", "secret", "creds", "-o", "jsonpath={.type}").assertOk().out()).isEqualTo("Opaque");
        assertThat(kubectl.run("create", "namespace", "team").assertOk().out()).contains("namespace/team created");
        assertThat(kubectl.run("get", "serviceaccounts", "-n", "team", "-o", "name").assertOk().out())
                .isEqualTo("serviceaccount/default\n");
        var again = kubectl.run("create", "configmap", "typed");
        assertThat(again.err()).contains("error: failed to create configmap: configmaps \"typed\" already exists");
    }

    @Test
    @Order(18)
    void podThatDoesNotFitStaysPending() throws IOException {
        kubectl.run("apply", "-f", manifest("huge.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: huge
                spec:
                  containers:
                  - name: app
                    image: busybox:1.36
                    resources:
                      requests:
                        memory: 100Ti
                """).toString()).assertOk();
        String out = await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("describe", "pod", "huge").out(),
                o -> o.contains("FailedScheduling"));
        assertThat(out).containsPattern("Status:\\s+Pending");
        assertThat(out).contains("0/1 nodes are available: 1 Insufficient memory.");
        assertThat(kubectl.run("get", "pod", "huge").assertOk().out()).containsPattern("huge\\s+0/1\\s+Pending\\s+0");
    }

    @Test
    @Order(19)
    void deleteWaitsUntilThePodIsGone() {
        var r = kubectl.run(null, 60, "delete", "pod", "nginx").assertOk();
        assertThat(r.out()).contains("pod \"nginx\" deleted");
        var after = kubectl.run("get", "pod", "nginx");
        assertThat(after.err()).contains("pods \"nginx\" not found");
    }

    @Test
    @Order(20)
    void authCanIAnswersYesForTheAdmin() {
        assertThat(kubectl.run("auth", "can-i", "create", "pods").assertOk().out()).isEqualTo("yes\n");
        assertThat(kubectl.run("auth", "can-i", "get", "/logs").assertOk().out()).isEqualTo("yes\n");
        var list = kubectl.run("auth", "can-i", "--list").assertOk().out();
        assertThat(list).containsPattern("(?m)^\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]$");
        assertThat(list).containsPattern("(?m)^selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]$");
    }

    @Test
    @Order(21)
    void authWhoamiPrintsTheUserAndGroups() {
        var out = kubectl.run("auth", "whoami").assertOk().out();
        assertThat(out).containsPattern("(?m)^ATTRIBUTE\\s+VALUE$");
        assertThat(out).containsPattern("(?m)^Username\\s+podvisor-admin$");
        assertThat(out).containsPattern("(?m)^Groups\\s+\\[system:masters system:authenticated\\]$");
    }

    @Test
    @Order(22)
    void createTokenPrintsATokenTheServerTakesAsTheServiceAccount() {
        String token = kubectl.run("create", "token", "default").assertOk().out().trim();
        assertThat(token.split("\\.")).hasSize(3);
        var out = kubectl.run("auth", "whoami", "--token=" + token).assertOk().out();
        assertThat(out).containsPattern("(?m)^Username\\s+system:serviceaccount:default:default$");
        assertThat(out).containsPattern("(?m)^Groups\\s+\\[system:serviceaccounts system:serviceaccounts:default system:authenticated\\]$");
        var tooShort = kubectl.run("create", "token", "default", "--duration=5m");
        assertThat(tooShort.err()).contains("spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes");
    }

    private static String readUntil(InputStream in, String marker) {
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (b.indexOf(marker) >= 0 && c == '\n') {
                    return b.toString();
                }
            }
        } catch (IOException e) {
            b.append("<").append(e.getMessage()).append(">");
        }
        return b.toString();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
