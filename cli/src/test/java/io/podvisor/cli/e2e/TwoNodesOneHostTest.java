package io.podvisor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.server.Runtimes;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.HostInstances;
import io.podvisor.runtime.net.PodNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runc nodes on two data dirs, each with the name and pod CIDR it takes by default, run pods
 * side by side; a third node asking for the first one's pod CIDR, or on the second one's data dir,
 * is refused with the reason; stopping one removes all of its host objects and none of the
 * other's, whose pod keeps running and answering exec until it stops in turn.
 */
class TwoNodesOneHostTest {

    @TempDir
    Path tmp;

    /** A pod that sleeps (the process runtime ignores the image). */
    static final String SLEEPER = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: %s
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: localhost/busybox:host
                command: ["sleep", "3600"]
            """;

    /** {@link #SLEEPER} with a memory-backed emptyDir mounted (a tmpfs on the host). */
    static final String POD = SLEEPER + """
                volumeMounts:
                - {name: scratch, mountPath: /scratch}
              volumes:
              - name: scratch
                emptyDir: {medium: Memory}
            """;

    @Test
    void twoNodesRunPodsAtOnceAndEachStopsWithoutTouchingTheOther() throws IOException {
        assumeTrue(RealNode.runcUsable(), "needs root, runc, ip and a static busybox");
        RealNode a = RealNode.withDefaults(tmp.resolve("a"), tmp.resolve("home-a"));
        RealNode b = null;
        boolean aStopped = false;
        try {
            b = RealNode.withDefaults(tmp.resolve("b"), tmp.resolve("home-b"));
            assertThat(b.name).isNotEqualTo(a.name);
            assertThat(b.networkPrefix).isNotEqualTo(a.networkPrefix);
            assertThat(PodNetworks.overlap(a.podCidr, b.podCidr)).as("%s vs %s", a.podCidr, b.podCidr).isFalse();
            assertThatThrownBy(() -> Runtimes.create(new Runtimes.Choice("runc", null, a.podCidr), tmp.resolve("c"), a.clock))
                    .isInstanceOf(RuntimeFailure.class)
                    .hasMessage("pod CIDR " + a.podCidr + " overlaps " + a.podCidr + " of the node running on this host "
                            + "with data dir " + a.dataDir + " (process " + ProcessHandle.current().pid()
                            + "); choose another --pod-cidr");
            RealNode second = b;
            assertThatThrownBy(() -> Runtimes.create(new Runtimes.Choice("runc", null, null), second.dataDir, second.clock))
                    .isInstanceOf(RuntimeFailure.class)
                    .hasMessage("runtime instance " + second.name + " is in use by process " + ProcessHandle.current().pid()
                            + " (data dir " + second.dataDir + "); stop that node first");
            assertThat(HostInstances.HOST.dir(Runtimes.instanceName(tmp.resolve("c")))).doesNotExist();

            String ipA = runPod(a, "on-a");
            String ipB = runPod(b, "on-b");
            assertThat(a.podCidr).endsWith(".0.0/16");
            assertThat(ipA).startsWith(a.podCidr.replace("0.0/16", ""));
            assertThat(ipB).startsWith(b.podCidr.replace("0.0/16", ""));
            assertThat(a.podLeftovers()).isNotEmpty();

            var podOfB = b.podLeftovers();
            a.close();
            aStopped = true;
            assertThat(a.leftovers()).as("left by a after it stopped").isEmpty();

            assertThat(b.podLeftovers()).as("b's pod objects after a stopped").containsExactlyInAnyOrderElementsOf(podOfB);
            assertThat(b.kubectl.run("exec", "on-b", "--", "echo", "still here").assertOk().out()).isEqualTo("still here\n");
            assertThat(b.kubectl.run("get", "pod", "on-b", "-o", "jsonpath={.status.phase}").assertOk().out())
                    .isEqualTo("Running");
        } finally {
            if (!aStopped) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
        assertThat(b.leftovers()).as("left by b after it stopped").isEmpty();
    }

    /** Creates pod {@code name} on {@code node}, waits until it runs, returns its IP. */
    private String runPod(RealNode node, String name) throws IOException {
        Path f = Files.writeString(tmp.resolve(name + ".yaml"), POD.formatted(name));
        node.kubectl.run("apply", "-f", f.toString()).assertOk();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> node.kubectl.run("get", "pod", name, "-o", "jsonpath={.status.phase}").out(), "Running"::equals);
        return node.kubectl.run("get", "pod", name, "-o", "jsonpath={.status.podIP}").assertOk().out();
    }
}
