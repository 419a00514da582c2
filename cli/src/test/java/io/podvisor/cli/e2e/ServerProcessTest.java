package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podvisor server} as its own process: what it prints, who it answers, where it listens,
 * and that every acknowledged object survives {@code kill -9} and a restart on the same data dir.
 */
class ServerProcessTest {

    @TempDir
    Path tmp;

    /** A started server process and the kubeconfig line it printed. */
    record Started(Process process, String kubeconfigLine, int port) {}

    Started startServer(Path data) throws Exception {
        return startServer(data, List.of());
    }

    /** Starts {@code podvisor server} on the fake runtime in a JVM with {@code jvmOptions} besides the class path. */
    static Started startServer(Path data, List<String> jvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.podvisor.cli.Main", "server",
                "--data-dir", data.toString(), "--port", "0", "--node-name", "proc-node", "--runtime", "fake"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> seen = ChildLines.until(p, line -> line.startsWith("export KUBECONFIG="), Duration.ofSeconds(60));
        assertThat(seen).as("server output").isNotEmpty();
        String last = seen.getLast();
        assertThat(last).as("server output: %s", seen).startsWith("export KUBECONFIG=");
        String serving = seen.stream().filter(l -> l.contains("serving https://127.0.0.1:")).findFirst().orElseThrow();
        int port = Integer.parseInt(serving.replaceAll(".*https://127\\.0\\.0\\.1:(\\d+).*", "$1"));
        return new Started(p, last, port);
    }

    static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: %s
            data:
              k: v
            """;

    @Test
    void servesOnLoopbackWithTokenAndKeepsEveryObjectAcrossKill9() throws Exception {
        Path data = tmp.resolve("data");
        Started s = startServer(data);
        Kubectl kubectl = new Kubectl(data.resolve("kubeconfig"), tmp.resolve("home"));
        try {
            assertThat(s.kubeconfigLine()).isEqualTo("export KUBECONFIG=" + data.resolve("kubeconfig"));
            HttpClient http = io.podvisor.cli.testing.NodeHttp.trustingServerCa(data);
            var ready = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.body()).isEqualTo("ok");
            var anonymous = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + s.port() + "/api/v1/namespaces/default/pods")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"reason\":\"Unauthorized\"");
            assertThat(listeningAddresses(s.port())).containsOnly("127.0.0.1");

            kubectl.run(CONFIG_MAP.formatted("first"), 60, "apply", "-f", "-").assertOk();
            kubectl.run("run", "keeper", "--image=busybox:1.36").assertOk();
            long firstRv = Long.parseLong(kubectl.run("get", "cm", "first", "-o", "jsonpath={.metadata.resourceVersion}")
                    .assertOk().out());

            s.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(s.process().exitValue()).isEqualTo(137);

            Started again = startServer(data);
            try {
                assertThat(kubectl.run("get", "cm", "first", "-o", "jsonpath={.data.k}").assertOk().out()).isEqualTo("v");
                assertThat(kubectl.run("get", "pod", "keeper", "-o", "name").assertOk().out()).isEqualTo("pod/keeper\n");
                kubectl.run(CONFIG_MAP.formatted("second"), 60, "apply", "-f", "-").assertOk();
                long secondRv = Long.parseLong(kubectl.run("get", "cm", "second", "-o",
                        "jsonpath={.metadata.resourceVersion}").assertOk().out());
                assertThat(secondRv).isGreaterThan(firstRv);
                assertThat(kubectl.run("get", "namespaces", "-o", "name").assertOk().out())
                        .contains("namespace/default", "namespace/kube-system");
            } finally {
                again.process().destroy();
                assertThat(again.process().waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
            }
        } finally {
            s.process().destroyForcibly();
        }
    }

    /** A client that trusts the node's CA (for the other end-to-end tests too). */
    static HttpClient trustingServerCa(Path data) throws Exception {
        return io.podvisor.cli.testing.NodeHttp.trustingServerCa(data);
    }

    /** The local addresses of listening TCP sockets on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> found = new ArrayList<>();
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes as sockets come and go
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    found.add(decode(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return found;
    }

    private static String decode(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            hex = hex.substring(24); // an IPv4-mapped IPv6 address
        } else if (hex.length() != 8) {
            return hex.equals("00000000000000000000000001000000") ? "::1" : hex;
        }
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}
