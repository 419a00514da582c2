package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.testing.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl top} against a node running a real container through runc (as root): the memory
 * it shows is the container cgroup's working set as the kernel counts it, and the node has its row.
 */
class TopEndToEndTest {

    @TempDir
    static Path tmp;

    static RealNode node;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        node = new RealNode(tmp.resolve("data"), tmp.resolve("home"));
        kubectl = node.kubectl;
        BusyboxImage.install(node.images, "busybox:1.36");
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
            assertThat(node.leftovers()).as("host state left after the node stopped").isEmpty();
        }
    }

    @Test
    void topPodShowsTheContainerCgroupsWorkingSetAndTopNodeItsRow() throws IOException {
        Path manifest = tmp.resolve("fill.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: fill
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: fill
                    image: busybox:1.36
                    command: ["sh", "-c", "head -c 41943040 /dev/zero > /cache/fill && echo filled && exec sleep 3600"]
                    volumeMounts:
                    - {name: cache, mountPath: /cache}
                  volumes:
                  - name: cache
                    emptyDir: {medium: Memory}
                """);
        kubectl.run("apply", "-f", manifest.toString()).assertOk();
        Kubectl.Result early = kubectl.run("top", "pod");
        assertThat(early.exitCode()).as("a new pod has no two samples yet").isEqualTo(1);
        assertThat(early.err()).isEqualTo("error: metrics not available yet\n");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("logs", "fill").out().contains("filled"));

        // the first usage needs two samples, a window apart
        Kubectl.Result top = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("top", "pod", "fill", "--containers"), r -> r.exitCode() == 0);
        String cid = kubectl.run("get", "pod", "fill", "-o", "jsonpath={.status.containerStatuses[0].containerID}")
                .assertOk().out().replace("runc://", "");
        long kernel = workingSetBytes(cid);
        Matcher row = Pattern.compile("(?m)^fill\\s+fill\\s+(\\d+)m\\s+(\\d+)Mi\\s*$").matcher(top.out());
        assertThat(row.find()).as("a row for the container in:\n" + top.out()).isTrue();
        long shownMi = Long.parseLong(row.group(2));
        double kernelMi = kernel / (1024.0 * 1024.0);
        assertThat(kernelMi).as("the 40 MiB in the memory-backed emptyDir count in the working set").isGreaterThan(40);
        assertThat((double) shownMi).isCloseTo(kernelMi, org.assertj.core.data.Percentage.withPercentage(10));

        Kubectl.Result nodes = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("top", "node"), r -> r.exitCode() == 0);
        assertThat(nodes.out()).containsPattern("(?m)^NAME\\s+CPU\\(cores\\)\\s+CPU\\(%\\)\\s+MEMORY\\(bytes\\)\\s+MEMORY\\(%\\)")
                .containsPattern("(?m)^" + RealNode.NODE + "\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*$");

        kubectl.run(null, 120, "delete", "pod", "fill", "--grace-period=1").assertOk();
    }

    /**
     * The container cgroup's working set read straight from the kernel's files: usage less inactive
     * file pages ({@code memory.current} and {@code inactive_file} in v2, {@code memory.usage_in_bytes}
     * and {@code total_inactive_file} in v1).
     */
    static long workingSetBytes(String containerId) throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(root.resolve("cgroup.controllers"));
        Path top = v2 ? root.resolve(node.name) : root.resolve("memory").resolve(node.name);
        Path dir;
        try (Stream<Path> s = Files.walk(top)) {
            dir = s.filter(p -> p.getFileName().toString().equals(containerId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no cgroup for container " + containerId + " under " + top));
        }
        long usage = Long.parseLong(Files.readString(dir.resolve(v2 ? "memory.current" : "memory.usage_in_bytes")).strip());
        long inactive = 0;
        for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
            List<String> kv = List.of(line.split(" "));
            if (kv.getFirst().equals(v2 ? "inactive_file" : "total_inactive_file")) {
                inactive = Long.parseLong(kv.get(1));
            }
        }
        return Math.max(0, usage - inactive);
    }
}
