package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.logging.NodeLog;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.HostInstances;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes, joined over HTTPS: a {@code podvisor server} and a {@code podvisor agent} on
 * another data dir given the server's kubeconfig, on runc (as root with runc) and on the process
 * runtime. Both nodes show Ready; a pod bound to the agent's node runs in the agent's runtime;
 * the real {@code kubectl logs} and {@code exec} (stdin and an exit code included) reach it
 * through the server, and on runc {@code kubectl top} shows its usage from the agent's kubelet; killing the agent's process leaves the server serving, which answers a
 * log request for that pod with kube-apiserver's dial error; the agent started again on its
 * data dir runs the pod again, and stopped with SIGTERM leaves nothing on the host; its log
 * never shows the token; nothing of the server is left once it stops.
 */
class AgentJoinsServerTest {

    @TempDir
    Path tmp;

    private static final String JOINED = "podvisor: node \"agent-node\" joined";

    /** A ConfigMap and a pod on the agent's node whose environment reads it (through the agent's informers). */
    static final String POD = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: greeting
            data:
              text: hello from the agent
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: on-agent
            spec:
              nodeName: agent-node
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: localhost/busybox:host
                command: ["sh", "-c", "echo $GREETING; exec sleep 3600"]
                env:
                - name: GREETING
                  valueFrom:
                    configMapKeyRef: {name: greeting, key: text}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"runc", "process"})
    void anAgentJoinsAServerAndItsPodIsReachedThroughTheServer(String runtime) throws Exception {
        assumeTrue(runtime.equals("process") || RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        Path serverData = tmp.resolve("server");
        Path agentData = tmp.resolve("agent");
        Process server = start(List.of("server", "--data-dir", serverData.toString(), "--port", "0",
                "--node-name", "server-node", "--runtime", runtime), "export KUBECONFIG=");
        Process agent = null;
        try {
            Kubectl kubectl = new Kubectl(serverData.resolve("kubeconfig"), tmp.resolve("home"));
            List<String> agentArgs = List.of("agent", "--kubeconfig", serverData.resolve("kubeconfig").toString(),
                    "--data-dir", agentData.toString(), "--node-name", "agent-node", "--runtime", runtime,
                    "--kubelet-port", "0", "-v=4");
            agent = start(agentArgs, JOINED);
            Optional<HostInstances.Entry> serverInstance = InstanceObjects.entryOf(server.pid());
            Optional<HostInstances.Entry> agentInstance = InstanceObjects.entryOf(agent.pid());
            if (HostCommand.runningAsRoot()) { // as root both runtimes record their instances
                assertThat(serverInstance).as("the server's runtime instance").isPresent();
                assertThat(agentInstance).as("the agent's runtime instance").isPresent();
                assertThat(agentInstance.get().name()).isNotEqualTo(serverInstance.get().name());
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(kubectl.run("get", "nodes", "-o",
                            "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}")
                            .assertOk().out()).as(agentLog(agentData))
                            .isEqualTo("agent-node=True server-node=True "));
            String port = kubectl.run("get", "node", "agent-node", "-o",
                    "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}").assertOk().out();
            assertThat(Integer.parseInt(port)).as("the port the agent's kubelet endpoint bound").isNotEqualTo(10250);

            kubectl.run(POD, 60, "apply", "-f", "-").assertOk();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(kubectl.run("get", "pod", "on-agent", "-o", "jsonpath={.status.phase}").assertOk().out())
                            .as(agentLog(agentData)).isEqualTo("Running"));
            if (agentInstance.isPresent() && serverInstance.isPresent()) {
                assertThat(InstanceObjects.processes(agentInstance.get().name())).as("the pod's processes in the agent's runtime")
                        .isNotEmpty();
                assertThat(InstanceObjects.processes(serverInstance.get().name())).as("in the server's runtime").isEmpty();
            }

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(kubectl.run("logs", "on-agent").assertOk().out()).isEqualTo("hello from the agent\n"));
            assertThat(kubectl.run("exec", "on-agent", "--", "echo", "exec", "reached", "it").assertOk().out())
                    .isEqualTo("exec reached it\n");
            assertThat(kubectl.run("some input\n", 60, "exec", "-i", "on-agent", "--", "cat").assertOk().out())
                    .isEqualTo("some input\n");
            Kubectl.Result failing = kubectl.run("exec", "on-agent", "--", "sh", "-c", "exit 3");
            assertThat(failing.exitCode()).isEqualTo(3);
            if (runtime.equals("runc")) { // the agent's usage, from its kubelet's summary, once sampled twice
                Kubectl.Result top = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> kubectl.run("top", "pod", "on-agent", "--containers"), r -> r.exitCode() == 0);
                assertThat(top.out()).containsPattern("(?m)^on-agent\\s+app\\s+\\d+m\\s+\\d+Mi\\s*$");
                Kubectl.Result nodes = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> kubectl.run("top", "node"), r -> r.exitCode() == 0 && r.out().contains("agent-node"));
                assertThat(nodes.out()).containsPattern("(?m)^agent-node\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*$");
            }

            agent.destroyForcibly();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).as("killed").isEqualTo(137);
            assertThat(kubectl.run("get", "pods", "-o", "name").assertOk().out()).isEqualTo("pod/on-agent\n");
            var ready = ServerProcessTest.trustingServerCa(serverData).send(HttpRequest.newBuilder(
                    URI.create(serverUrl(serverData) + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.body()).isEqualTo("ok");
            Kubectl.Result unreachable = kubectl.run("logs", "on-agent");
            assertThat(unreachable.exitCode()).isNotZero();
            assertThat(unreachable.err().strip()).isEqualTo("Error from server: Get \"https://127.0.0.1:" + port
                    + "/containerLogs/default/on-agent/app\": dial tcp 127.0.0.1:" + port + ": connect: connection refused");

            // back on its data dir: what the killed agent left is removed, its pod runs again, exec reaches it
            agent = start(agentArgs, JOINED);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(kubectl.run("exec", "on-agent", "--", "echo", "back").assertOk().out())
                            .as(agentLog(agentData)).isEqualTo("back\n"));
            agent.destroy();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("agent stops on SIGTERM").isTrue();
            if (agentInstance.isPresent()) {
                assertThat(InstanceObjects.of(agentInstance.get())).as("left by the agent after it stopped").isEmpty();
            }
            String token = Files.readString(serverData.resolve("token")).strip();
            assertThat(Files.readString(NodeLog.file(agentData))).as("the agent's log at -v=4")
                    .contains("kubelet server listening on").doesNotContain(token);

            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
            if (serverInstance.isPresent()) {
                assertThat(InstanceObjects.of(serverInstance.get())).as("left by the server after it stopped").isEmpty();
            }
        } finally {
            if (agent != null) {
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code podvisor ARGS…} as a child JVM and waits for the line starting with {@code ready}. */
    private static Process start(List<String> args, String ready) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.podvisor.cli.Main"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> seen = ChildLines.until(p, line -> line.startsWith(ready), Duration.ofSeconds(90));
        assertThat(seen).as("output of %s", args).anyMatch(line -> line.startsWith(ready));
        return p;
    }

    private static String serverUrl(Path data) throws Exception {
        String kubeconfig = Files.readString(data.resolve("kubeconfig"));
        return kubeconfig.replaceAll("(?s).*server: (https://\\S+).*", "$1");
    }

    /** The end of the agent's log, for a failure's description. */
    private static String agentLog(Path data) {
        try {
            List<String> lines = Files.readAllLines(NodeLog.file(data));
            return "agent log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "agent log unreadable: " + e;
        }
    }
}
