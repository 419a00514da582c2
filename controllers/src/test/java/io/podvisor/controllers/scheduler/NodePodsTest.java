package io.podvisor.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePodsTest {

    private final NodePods pods = new NodePods("node-a");

    @Test
    void podsBoundToTheNodeCountUntilTheyFinishOrGo() {
        pods.observe("ADDED", pod("a", "node-a", "Running", 1, "100m"));
        pods.observe("ADDED", pod("b", "node-b", "Running", 2, "100m"));
        pods.observe("ADDED", pod("c", null, "Pending", 3, "100m"));
        pods.observe("ADDED", pod("d", "node-a", "Pending", 4, "250m"));
        assertThat(pods.keys()).containsExactly("default/a", "default/d");
        assertThat(pods.requests()).extracting(r -> r.get("cpu"))
                .containsExactlyInAnyOrder(new BigDecimal("0.100"), new BigDecimal("0.250"));

        pods.observe("MODIFIED", pod("a", "node-a", "Succeeded", 5, "100m"));
        pods.observe("DELETED", pod("d", "node-a", "Pending", 6, "250m"));
        assertThat(pods.keys()).isEmpty();
        assertThat(pods.requests()).isEmpty();
    }

    @Test
    void aPodTheSchedulerBoundCountsBeforeTheWatchShowsItAndOnceAfter() {
        pods.observe("ADDED", pod("a", null, "Pending", 1, "100m"));
        pods.assume(pod("a", "node-a", "Pending", 2, "100m"));
        assertThat(pods.keys()).containsExactly("default/a");

        pods.observe("MODIFIED", pod("a", "node-a", "Pending", 2, "100m"));
        assertThat(pods.requests()).hasSize(1);
        pods.observe("MODIFIED", pod("a", "node-a", "Running", 3, "300m"));
        assertThat(pods.requests()).singleElement().satisfies(r -> assertThat(r.get("cpu")).isEqualByComparingTo("0.3"));
    }

    @Test
    void aBindingTheWatchIsAlreadyPastIsNotAssumed() {
        pods.observe("ADDED", pod("a", null, "Pending", 1, "100m"));
        pods.observe("MODIFIED", pod("a", "node-a", "Pending", 2, "100m"));
        pods.observe("DELETED", pod("a", "node-a", "Pending", 3, "100m"));
        pods.assume(pod("a", "node-a", "Pending", 2, "100m")); // the binding's answer arrives late
        assertThat(pods.keys()).isEmpty();

        pods.observe("ADDED", pod("b", "node-a", "Running", 5, "500m"));
        pods.assume(pod("b", "node-a", "Pending", 4, "100m"));
        assertThat(pods.requests()).singleElement().satisfies(r -> assertThat(r.get("cpu")).isEqualByComparingTo("0.5"));
    }

    @Test
    void anAssumedPodDeletedBeforeItsBindingShowsLeaves() {
        pods.assume(pod("a", "node-a", "Pending", 2, "100m"));
        pods.observe("DELETED", pod("a", "node-a", "Pending", 3, "100m"));
        assertThat(pods.keys()).isEmpty();
    }

    @Test
    void aPodARelistFoundGoneHoldsNothingEvenIfOnlyAssumed() {
        pods.assume(pod("a", "node-a", "Pending", 2, "100m"));
        pods.observe("ADDED", pod("b", "node-a", "Running", 3, "200m"));
        // the watch was down: a re-list no longer has them; their deletions' revisions are unknown
        pods.forget(pod("a", null, "Pending", 1, "100m"));
        pods.forget(pod("b", "node-a", "Running", 3, "200m"));
        assertThat(pods.keys()).isEmpty();
        pods.assume(pod("a", "node-a", "Pending", 2, "100m")); // a binding's answer arriving late
        assertThat(pods.keys()).isEmpty();

        // the same name seen again is a new pod: its binding counts
        pods.observe("ADDED", pod("a", null, "Pending", 9, "100m"));
        pods.assume(pod("a", "node-a", "Pending", 10, "100m"));
        assertThat(pods.keys()).containsExactly("default/a");
    }

    private static Pod pod(String name, String node, String phase, long rv, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withResourceVersion(String.valueOf(rv))
                .endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }
}
