package io.podvisor.controllers.scheduler;

import static io.podvisor.controllers.scheduler.SchedulingFixtures.node;
import static io.podvisor.controllers.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeFitTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fits                | 500m | 512Mi | {}                          | ''                                 | 0 | ''",
            "memory              | 500m | 3Gi   | {}                          | ''                                 | 0 | '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'",
            "cpu                 | 3    | 512Mi | {}                          | ''                                 | 0 | '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'",
            "both                | 3    | 3Gi   | {}                          | ''                                 | 0 | '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'",
            "taken by others     | 1600m| 512Mi | {}                          | ''                                 | 1 | '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'",
            "too many pods       | 100m | 1Mi   | {}                          | ''                                 | 2 | '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'",
            "selector            | 100m | 1Mi   | {}                          | 'nodeSelector: {disk: hdd}'        | 0 | '0/1 nodes are available: 1 node(s) didn''t match Pod''s node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'",
            "selector matches    | 100m | 1Mi   | {}                          | 'nodeSelector: {disk: ssd}'        | 0 | ''",
            "taint               | 100m | 1Mi   | '{taints: [{key: gpu, value: a100, effect: NoSchedule}]}' | '' | 0 | '0/1 nodes are available: 1 node(s) had untolerated taint {gpu: a100}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'",
            "taint tolerated     | 100m | 1Mi   | '{taints: [{key: gpu, value: a100, effect: NoSchedule}]}' | 'tolerations: [{key: gpu, operator: Exists}]' | 0 | ''",
            "prefer taint ignored| 100m | 1Mi   | '{taints: [{key: gpu, effect: PreferNoSchedule}]}' | '' | 0 | ''",
            "unschedulable node  | 100m | 1Mi   | '{unschedulable: true}'     | ''                                 | 0 | '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'",
            "preemption never    | 100m | 3Gi   | {}                          | 'preemptionPolicy: Never'          | 0 | '0/1 nodes are available: 1 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.'",
    })
    void evaluates(String name, String cpu, String memory, String nodeSpec, String podSpec, int others, String message) {
        Pod pod = pod("web", cpu, memory, podSpec);
        List<Pod> running = java.util.stream.IntStream.range(0, others)
                .mapToObj(i -> pod("other-" + i, "500m", "256Mi", "")).toList();
        NodeFit.Result r = NodeFit.evaluate(pod, node("2", "2Gi", 2, nodeSpec), running);
        assertThat(r.fits() ? "" : FitMessages.message(pod, r)).isEqualTo(message);
    }
}
