package io.podvisor.api.printers;

import static io.podvisor.api.printers.Columns.NONE;
import static io.podvisor.api.printers.Columns.list;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.printers.Tables.Column;
import io.podvisor.api.printers.Tables.RowCondition;
import java.time.Instant;
import java.util.List;

/**
 * Pods: Name | Ready | Status | Restarts | Age | IP* | Node* | Nominated Node* | Readiness Gates*.
 * READY, STATUS and RESTARTS come from {@link PodColumns}; RESTARTS is a string such as
 * {@code 3 (5m ago)}. Empty wide cells print {@code <none>}; readiness gates print
 * {@code <true gates>/<gates>}.
 */
final class PodPrinter implements KindPrinter {

    private static final List<Column> COLUMNS = List.of(
            Columns.name(),
            Columns.column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.column("Status", "The aggregate status of the containers in this pod."),
            Columns.column("Restarts", "The number of times the containers in this pod have been restarted "
                    + "and when the last container in this pod has restarted."),
            Columns.age(),
            Columns.wide("IP", "IP address allocated to the pod. Routable at least within the cluster. "
                    + "Empty if not yet allocated."),
            Columns.wide("Node", "NodeName is a request to schedule this pod onto a specific node. If it is "
                    + "non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits "
                    + "resource requirements."),
            Columns.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on "
                    + "the node, but it cannot be scheduled right away as preemption victims receive their graceful "
                    + "termination periods. This field does not guarantee that the pod will be scheduled on this "
                    + "node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. "
                    + "Scheduler may also decide to give the resources on this node to a higher priority pod that is "
                    + "created after preemption. As a result, this field may be different than PodSpec.nodeName "
                    + "when the pod is scheduled."),
            Columns.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod "
                    + "readiness. A pod is ready when all its containers are ready AND all conditions specified in "
                    + "the readiness gates have status equal to \"True\" More info: "
                    + "https://git.k8s.io/enhancements/keps/sig-network/0007-pod-ready%2B%2B.md"));

    private static final RowCondition SUCCEEDED =
            new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully.");
    private static final RowCondition FAILED = new RowCondition("Completed", "True", "Failed", "The pod failed.");

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        Pod pod = Columns.as(object, Pod.class);
        PodColumns.Row row = PodColumns.row(pod, now);
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        return List.of(row.name(), row.ready(), row.status(), row.restarts(), row.age(),
                Columns.orNone(podIp(status)), Columns.orNone(spec.getNodeName()),
                Columns.orNone(status.getNominatedNodeName()), readinessGates(spec, status));
    }

    @Override
    public List<RowCondition> conditions(HasMetadata object) {
        PodStatus status = Columns.as(object, Pod.class).getStatus();
        String phase = status == null ? null : status.getPhase();
        if ("Succeeded".equals(phase)) {
            return List.of(SUCCEEDED);
        }
        return "Failed".equals(phase) ? List.of(FAILED) : List.of();
    }

    /** The first of {@code podIPs}, falling back to {@code podIP} as the v1 conversion does. */
    private static String podIp(PodStatus status) {
        List<PodIP> ips = list(status.getPodIPs());
        if (!ips.isEmpty()) {
            return ips.get(0).getIp();
        }
        return status.getPodIP();
    }

    private static String readinessGates(PodSpec spec, PodStatus status) {
        List<PodReadinessGate> gates = list(spec.getReadinessGates());
        if (gates.isEmpty()) {
            return NONE;
        }
        int trueConditions = 0;
        for (PodReadinessGate gate : gates) {
            for (PodCondition c : list(status.getConditions())) {
                if (c.getType() != null && c.getType().equals(gate.getConditionType())) {
                    if ("True".equals(c.getStatus())) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }
}
