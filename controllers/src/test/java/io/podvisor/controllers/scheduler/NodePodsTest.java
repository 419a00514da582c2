package io.podvisor.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class NodePodsTest {

    private final NodePods pods = new NodePods("node-a");

    @Test
    void podsBoundToTheNodeCountUntilTheyFinishOrGo() {
        pods.observe("ADDED", pod("a", "node-a", "Running", 1));
        pods.observe("ADDED", pod("b", "node-b", "Running", 2));
        pods.observe("ADDED", pod("c", null, "Pending", 3));
        pods.observe("ADDED", pod("d", "node-a", "Pending", 4));
        assertThat(names()).containsExactlyInAnyOrder("a", "d");

        pods.observe("MODIFIED", pod("a", "node-a", "Succeeded", 5));
        pods.observe("DELETED", pod("d", "node-a", "Pending", 6));
        assertThat(names()).isEmpty();
    }

    @Test
    void aPodTheSchedulerBoundCountsBeforeTheWatchShowsItAndOnceAfter() {
        pods.observe("ADDED", pod("a", null, "Pending", 1));
        pods.assume(pod("a", "node-a", "Pending", 2));
        assertThat(names()).containsExactly("a");

        pods.observe("MODIFIED", pod("a", "node-a", "Pending", 2));
        assertThat(names()).containsExactly("a");
        pods.observe("MODIFIED", pod("a", "node-a", "Running", 3));
        assertThat(names()).containsExactly("a");
        assertThat(pods.pods().getFirst().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void aBindingTheWatchIsAlreadyPastIsNotAssumed() {
        pods.observe("ADDED", pod("a", null, "Pending", 1));
        pods.observe("MODIFIED", pod("a", "node-a", "Pending", 2));
        pods.observe("DELETED", pod("a", "node-a", "Pending", 3));
        pods.assume(pod("a", "node-a", "Pending", 2)); // the binding's answer arrives late
        assertThat(names()).isEmpty();

        pods.observe("ADDED", pod("b", "node-a", "Running", 5));
        pods.assume(pod("b", "node-a", "Pending", 4));
        assertThat(pods.pods()).singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    }

    @Test
    void anAssumedPodDeletedBeforeItsBindingShowsLeaves() {
        pods.assume(pod("a", "node-a", "Pending", 2));
        pods.observe("DELETED", pod("a", "node-a", "Pending", 3));
        assertThat(names()).isEmpty();
    }

    private java.util.List<String> names() {
        return pods.pods().stream().map(p -> p.getMetadata().getName()).toList();
    }

    private static Pod pod(String name, String node, String phase, long rv) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withResourceVersion(String.valueOf(rv))
                .endMetadata().withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }
}
