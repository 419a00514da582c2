package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.api.client.ResourceMetrics;
import io.podvisor.api.client.ResourceMetrics.ContainerUsage;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.kubelet.stats.ResourceSampler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The kubelet's resource samples for the metrics API ({@code kubectl top}), in virtual time. */
class MetricsScenariosTest {

    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: app, labels: {tier: web}}
            spec:
              containers:
              - name: main
                image: nginx
              - name: side
                image: busybox
            """;

    @Test
    void usageAppearsAfterTwoSamplesWithCpuAsRateOverTheWindowAndMemoryAsTheLastWorkingSet() {
        NodeHarness node = new NodeHarness(c -> c, rt -> {
            rt.script("main", script().cpu(250).memory(t -> t.getSeconds() < 20 ? 10L << 20 : 40L << 20));
            rt.script("side", script().cpu(5).memory(3L << 20).pageCache(50L << 20));
        });
        ResourceMetrics metrics = node.kubelet().metrics();
        node.apply(POD);

        assertThat(metrics.pods()).isEmpty(); // one sample at most so far
        assertThat(metrics.node()).isEmpty();

        node.advance(ResourceSampler.RESOLUTION);
        node.advance(ResourceSampler.RESOLUTION);

        ResourceMetrics.PodUsage pod = metrics.pods().getFirst();
        assertThat(metrics.pods()).hasSize(1);
        assertThat(pod.namespace()).isEqualTo("default");
        assertThat(pod.name()).isEqualTo("app");
        assertThat(pod.window()).isEqualTo(ResourceSampler.RESOLUTION);
        assertThat(pod.timestamp()).isEqualTo(node.clock().now());
        assertThat(pod.containers()).containsExactly(
                new ContainerUsage("main", 250_000_000L, 40L << 20),
                new ContainerUsage("side", 5_000_000L, 3L << 20)); // the page cache is not in the working set
        ResourceMetrics.Usage host = metrics.node().orElseThrow();
        assertThat(host.cpuNanoCores()).isEqualTo(255_000_000L);
        assertThat(host.memoryWorkingSetBytes()).isEqualTo(43L << 20);
        assertThat(host.window()).isEqualTo(ResourceSampler.RESOLUTION);
    }

    @Test
    void aContainerThatStopsRunningIsDroppedAndItsRestartStartsAfreshWithTwoNewSamples() {
        NodeHarness node = new NodeHarness(c -> c, rt -> rt.script("main",
                attempt -> attempt == 0 ? script().cpu(100).memory(1L << 20).exitAfter(Duration.ofSeconds(40), 1)
                        : script().cpu(100).memory(2L << 20)));
        ResourceMetrics metrics = node.kubelet().metrics();
        node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: solo}
                spec:
                  containers:
                  - name: main
                    image: nginx
                """);
        node.advance(ResourceSampler.RESOLUTION);
        node.advance(ResourceSampler.RESOLUTION);
        assertThat(metrics.pods().getFirst().containers()).containsExactly(new ContainerUsage("main", 100_000_000L, 1L << 20));

        node.advance(Duration.ofSeconds(15)); // 45 s: the first instance exited at 40 s and restarts after its 10 s back-off
        assertThat(metrics.pods()).isEmpty();

        node.advance(Duration.ofSeconds(30));
        assertThat(metrics.pods().getFirst().containers()).containsExactly(new ContainerUsage("main", 100_000_000L, 2L << 20));
    }
}
