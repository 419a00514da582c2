package io.podvisor.api.printers;

import static io.podvisor.api.printers.Columns.list;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Nodes: Name | Status | Roles | Age | Version | Internal-IP* | External-IP* | OS-Image* |
 * Kernel-Version* | Container-Runtime*.
 *
 * <p>STATUS is {@code Ready} or {@code NotReady} from the Ready condition ({@code Unknown}
 * without one), with {@code ,SchedulingDisabled} for a cordoned node. ROLES are the sorted
 * suffixes of {@code node-role.kubernetes.io/<role>} labels and values of
 * {@code kubernetes.io/role}, or {@code <none>}. Missing addresses print {@code <none>}, missing
 * system info {@code <unknown>}.
 */
final class NodePrinter implements KindPrinter {

    private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String ROLE_LABEL = "kubernetes.io/role";
    private static final String ADDRESSES_DOC = "List of addresses reachable to the node. Queried from cloud "
            + "provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses "
            + "Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can "
            + "cause data corruption when it is merged. Callers should instead use a full-replacement patch. See "
            + "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the "
            + "lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods "
            + "that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

    private static final List<Column> COLUMNS = List.of(
            Columns.name(),
            Columns.column("Status", "The status of the node"),
            Columns.column("Roles", "The roles of the node"),
            Columns.age(),
            Columns.column("Version", "Kubelet Version reported by the node."),
            Columns.wide("Internal-IP", ADDRESSES_DOC),
            Columns.wide("External-IP", ADDRESSES_DOC),
            Columns.wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
                    + "(wheezy))."),
            Columns.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. "
                    + "3.16.0-0.bpo.4-amd64)."),
            Columns.wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote "
                    + "API (e.g. containerd://1.4.2)."));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        Node node = Columns.as(object, Node.class);
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        NodeSystemInfo info = status.getNodeInfo() == null ? new NodeSystemInfo() : status.getNodeInfo();
        return List.of(Columns.name(node), status(node, status), roles(node), Columns.age(node, now),
                Columns.orEmpty(info.getKubeletVersion()), address(status, "InternalIP"),
                address(status, "ExternalIP"), orUnknown(info.getOsImage()), orUnknown(info.getKernelVersion()),
                orUnknown(info.getContainerRuntimeVersion()));
    }

    private static String status(Node node, NodeStatus status) {
        NodeCondition ready = null;
        for (NodeCondition c : list(status.getConditions())) {
            if ("Ready".equals(c.getType())) {
                ready = c;
            }
        }
        List<String> parts = new ArrayList<>();
        if (ready == null) {
            parts.add("Unknown");
        } else {
            parts.add("True".equals(ready.getStatus()) ? "Ready" : "NotReady");
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            parts.add("SchedulingDisabled");
        }
        return String.join(",", parts);
    }

    private static String roles(Node node) {
        Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        TreeSet<String> roles = new TreeSet<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
                    roles.add(k.substring(ROLE_PREFIX.length()));
                } else if (k.equals(ROLE_LABEL) && v != null && !v.isEmpty()) {
                    roles.add(v);
                }
            });
        }
        return roles.isEmpty() ? Columns.NONE : String.join(",", roles);
    }

    private static String address(NodeStatus status, String type) {
        for (NodeAddress a : list(status.getAddresses())) {
            if (type.equals(a.getType())) {
                return Columns.orEmpty(a.getAddress());
            }
        }
        return Columns.NONE;
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? Columns.UNKNOWN : s;
    }
}
