package io.podvisor.controllers.scheduler;

import static io.podvisor.controllers.scheduler.SchedulingFixtures.node;
import static io.podvisor.controllers.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.TestCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private static final String MEMORY = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are"
            + " available: 1 No preemption victims found for incoming pod.";

    private TestCluster c;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        c.api.create(node("2", "1Gi", 110, "{}"));
        SharedInformerFactory informers = new SharedInformerFactory(c.api, c.clock, c.executor, Duration.ZERO);
        new Scheduler(c.api, informers, c.clock, c.executor, c.events, "node-1").start();
        informers.start();
        c.settle();
    }

    private PodCondition scheduled(String name) {
        return c.pod(name).getStatus().getConditions().stream().filter(x -> "PodScheduled".equals(x.getType()))
                .findFirst().orElseThrow();
    }

    @Test
    void bindsAFittingPodAndRecordsScheduled() {
        c.api.create(pod("web", "500m", "256Mi", ""));
        c.settle();
        assertThat(c.pod("web").getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(scheduled("web").getStatus()).isEqualTo("True");
        assertThat(c.eventLines("web")).containsExactly("Normal Scheduled Successfully assigned default/web to node-1");
        assertThat(c.events.forObject("web").getFirst().getSource().getComponent()).isEqualTo("default-scheduler");
    }

    @Test
    void unfitPodGetsConditionAndWarningAndIsRetriedWhenCapacityFrees() {
        c.api.create(pod("first", "500m", "768Mi", ""));
        c.settle();
        c.run("first", null, "10.0.0.1", true);
        c.api.create(pod("second", "500m", "512Mi", ""));
        c.settle();

        assertThat(c.pod("second").getSpec().getNodeName()).isNull();
        PodCondition cond = scheduled("second");
        assertThat(cond.getStatus()).isEqualTo("False");
        assertThat(cond.getReason()).isEqualTo("Unschedulable");
        assertThat(cond.getMessage()).isEqualTo(MEMORY);
        assertThat(c.eventLines("second")).containsExactly("Warning FailedScheduling " + MEMORY);
        assertThat(c.events.forObject("second").getFirst().getCount()).as("one attempt, not one per status write").isEqualTo(1);

        c.advance(60);
        assertThat(c.pod("second").getSpec().getNodeName()).isNull();

        c.finish("first", "Succeeded");
        assertThat(c.pod("second").getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(scheduled("second").getStatus()).isEqualTo("True");
        assertThat(c.eventLines("second")).containsExactly("Warning FailedScheduling " + MEMORY,
                "Normal Scheduled Successfully assigned default/second to node-1");
    }

    @Test
    void retriesWhenAPodOnTheNodeIsDeletedAndPeriodically() {
        c.api.create(pod("first", "1500m", "100Mi", ""));
        c.api.create(pod("second", "1", "100Mi", ""));
        c.settle();
        assertThat(c.pod("second").getSpec().getNodeName()).isNull();
        assertThat(scheduled("second").getMessage()).startsWith("0/1 nodes are available: 1 Insufficient cpu.");

        c.api.delete(Pod.class, "default", "first", 0L);
        c.settle();
        assertThat(c.pod("second").getSpec().getNodeName()).isEqualTo("node-1");

        c.api.create(pod("third", "1", "2Gi", ""));
        c.settle();
        Node bigger = c.api.get(Node.class, null, "node-1");
        bigger.getStatus().getAllocatable().put("memory", new io.fabric8.kubernetes.api.model.Quantity("4Gi"));
        c.api.updateStatus(bigger);
        c.settle();
        assertThat(c.pod("third").getSpec().getNodeName()).as("node change retries").isEqualTo("node-1");
    }

    @Test
    void readsFromTheInformersAndPlacesNothingBeforeTheyStart() {
        TestCluster fresh = new TestCluster();
        fresh.api.create(node("2", "1Gi", 110, "{}"));
        fresh.api.create(pod("early", "100m", "1Mi", ""));
        SharedInformerFactory informers = new SharedInformerFactory(fresh.api, fresh.clock, fresh.executor, Duration.ZERO);
        Scheduler scheduler = new Scheduler(fresh.api, informers, fresh.clock, fresh.executor, fresh.events, "node-1");
        scheduler.start();
        fresh.advance(Scheduler.DEFAULT_RETRY_PERIOD.toSeconds() + 1);
        assertThat(fresh.pod("early").getSpec().getNodeName()).isNull();

        informers.start();
        fresh.settle();
        assertThat(fresh.pod("early").getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(informers.informerFor(Pod.class).lister().get("default", "early").getSpec().getNodeName())
                .as("the binding came back through the pod informer").isEqualTo("node-1");
    }

    @Test
    void ignoresPodsOfOtherSchedulers() {
        c.api.create(pod("custom", "100m", "1Mi", "schedulerName: my-scheduler"));
        c.settle();
        assertThat(c.pod("custom").getSpec().getNodeName()).isNull();
        assertThat(c.eventLines("custom")).isEmpty();
    }
}
