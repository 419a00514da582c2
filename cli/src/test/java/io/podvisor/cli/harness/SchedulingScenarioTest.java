package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.api.validation.Quantities;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against the Node the kubelet registered: requests are compared with the node's
 * allocatable memory, misfits wait {@code Pending} with the upstream message, and freed capacity
 * lets a waiting pod in.
 */
class SchedulingScenarioTest {

    private static final String INSUFFICIENT_MEMORY = "0/1 nodes are available: 1 Insufficient memory. "
            + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

    private final ClusterHarness h = new ClusterHarness();
    /** The node's allocatable memory in bytes, as the kubelet reported it. */
    private final BigInteger allocatable = Quantities.value(h.node().getStatus().getAllocatable().get("memory"))
            .orElseThrow().toBigInteger();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void podRequestingMoreMemoryThanTheNodeHasStaysPending() {
        h.apply(pod("hungry", allocatable.add(BigInteger.ONE)));
        h.advanceSeconds(5);

        assertThat(h.kubectlGet("pods")).containsExactly("hungry 0/1 Pending 0 5s");
        Pod pod = h.pod("hungry");
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(scheduled(pod)).isEqualTo("False Unschedulable " + INSUFFICIENT_MEMORY);
        assertThat(h.events("hungry")).containsExactly("Warning FailedScheduling " + INSUFFICIENT_MEMORY);
        assertThat(h.runtimeLog()).isEmpty();
    }

    @Test
    void podThatFitsBesideABigPodRunsAndAWaitingPodGetsTheFreedMemory() {
        BigInteger tenth = allocatable.divide(BigInteger.TEN);
        h.apply(pod("big", tenth.multiply(BigInteger.valueOf(6))));
        h.apply(pod("small", tenth));
        h.apply(pod("waiting", tenth.multiply(BigInteger.valueOf(6))));
        h.advanceSeconds(3);

        assertThat(h.kubectlGet("pods")).containsExactly(
                "big 1/1 Running 0 3s",
                "small 1/1 Running 0 3s",
                "waiting 0/1 Pending 0 3s");
        assertThat(h.events("waiting")).containsExactly("Warning FailedScheduling " + INSUFFICIENT_MEMORY);

        h.delete(ResourceTypes.PODS, "big");
        h.advanceSeconds(2);

        assertThat(h.kubectlGet("pods")).containsExactly(
                "small 1/1 Running 0 5s",
                "waiting 1/1 Running 0 5s");
        assertThat(scheduled(h.pod("waiting"))).isEqualTo("True null null");
        assertThat(h.events("waiting")).startsWith(
                "Warning FailedScheduling " + INSUFFICIENT_MEMORY,
                "Normal Scheduled Successfully assigned default/waiting to podvisor");
    }

    private static String pod(String name, BigInteger memoryBytes) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                spec:
                  containers:
                  - name: app
                    image: nginx
                    resources:
                      requests:
                        memory: "%s"
                """.formatted(name, memoryBytes);
    }

    private static String scheduled(Pod pod) {
        PodCondition c = pod.getStatus().getConditions().stream()
                .filter(x -> "PodScheduled".equals(x.getType())).findFirst().orElseThrow();
        return c.getStatus() + " " + c.getReason() + " " + c.getMessage();
    }
}
