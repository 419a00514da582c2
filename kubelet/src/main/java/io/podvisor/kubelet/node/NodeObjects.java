package io.podvisor.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.podvisor.api.Times;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the Node and Lease objects of one node (pure: same inputs, same objects). */
public final class NodeObjects {

    /** The version the Node reports as {@code kubeletVersion}. */
    public static final String KUBELET_VERSION = "v1.33.0";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    public static final int LEASE_DURATION_SECONDS = 40;
    static final int MAX_PODS = 110;
    static final int KUBELET_PORT = 10250;

    /** What a Node is built from. */
    public record Facts(String nodeName, String nodeIp, String runtimeVersion, MachineInfo machine, int maxPods,
                        int kubeletPort) {

        /** Facts of a node with upstream's default pod capacity. */
        public Facts(String nodeName, String nodeIp, String runtimeVersion, MachineInfo machine) {
            this(nodeName, nodeIp, runtimeVersion, machine, MAX_PODS);
        }

        /** Facts of a node whose kubelet endpoint is on upstream's default port. */
        public Facts(String nodeName, String nodeIp, String runtimeVersion, MachineInfo machine, int maxPods) {
            this(nodeName, nodeIp, runtimeVersion, machine, maxPods, KUBELET_PORT);
        }
    }

    private NodeObjects() {}

    /** The Node with metadata, capacity, conditions (transition at {@code since}, heartbeat at {@code now}). */
    public static Node node(Facts f, Instant since, Instant now) {
        Node node = new Node();
        node.setApiVersion("v1");
        node.setKind("Node");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(f.nodeName());
        meta.setLabels(labels(f));
        meta.setAnnotations(new LinkedHashMap<>(Map.of("volumes.kubernetes.io/controller-managed-attach-detach", "true")));
        node.setMetadata(meta);
        node.setStatus(status(f, since, now));
        return node;
    }

    static Map<String, String> labels(Facts f) {
        String arch = f.machine().architecture();
        Map<String, String> l = new LinkedHashMap<>();
        l.put("beta.kubernetes.io/arch", arch);
        l.put("beta.kubernetes.io/os", "linux");
        l.put("kubernetes.io/arch", arch);
        l.put("kubernetes.io/hostname", f.nodeName().toLowerCase(Locale.ROOT));
        l.put("kubernetes.io/os", "linux");
        return l;
    }

    /** The Node's status. */
    public static NodeStatus status(Facts f, Instant since, Instant now) {
        MachineInfo m = f.machine();
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(m.cpus())));
        capacity.put("ephemeral-storage", new Quantity(binarySI(m.ephemeralStorageBytes())));
        capacity.put("hugepages-1Gi", new Quantity("0"));
        capacity.put("hugepages-2Mi", new Quantity("0"));
        capacity.put("memory", new Quantity(binarySI(m.memoryBytes())));
        capacity.put("pods", new Quantity(Integer.toString(f.maxPods())));
        NodeStatus s = new NodeStatus();
        s.setCapacity(capacity);
        s.setAllocatable(new LinkedHashMap<>(capacity));
        s.setConditions(List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", since, now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", since, now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", since, now),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", since, now)));
        s.setAddresses(List.of(new NodeAddress(f.nodeIp(), "InternalIP"), new NodeAddress(f.nodeName(), "Hostname")));
        s.setDaemonEndpoints(new io.fabric8.kubernetes.api.model.NodeDaemonEndpointsBuilder()
                .withNewKubeletEndpoint().withPort(f.kubeletPort()).endKubeletEndpoint().build());
        NodeSystemInfo info = new NodeSystemInfo();
        info.setArchitecture(m.architecture());
        info.setBootID(m.bootId());
        info.setContainerRuntimeVersion(f.runtimeVersion());
        info.setKernelVersion(m.kernelVersion());
        info.setKubeletVersion(KUBELET_VERSION);
        info.setMachineID(m.machineId());
        info.setOperatingSystem("linux");
        info.setOsImage(m.osImage());
        info.setSystemUUID("");
        s.setNodeInfo(info);
        return s;
    }

    private static NodeCondition condition(String type, String status, String reason, String message, Instant since, Instant now) {
        NodeCondition c = new NodeCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastHeartbeatTime(Times.format(now));
        c.setLastTransitionTime(Times.format(since));
        return c;
    }

    /** The node's Lease, renewed at {@code now} (MicroTime: microseconds), owned by the Node. */
    public static Lease lease(String nodeName, String nodeUid, Instant now) {
        Lease lease = new Lease();
        lease.setApiVersion("coordination.k8s.io/v1");
        lease.setKind("Lease");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(nodeName);
        meta.setNamespace(LEASE_NAMESPACE);
        if (nodeUid != null) {
            OwnerReference owner = new OwnerReference();
            owner.setApiVersion("v1");
            owner.setKind("Node");
            owner.setName(nodeName);
            owner.setUid(nodeUid);
            meta.setOwnerReferences(List.of(owner));
        }
        lease.setMetadata(meta);
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(nodeName);
        spec.setLeaseDurationSeconds(LEASE_DURATION_SECONDS);
        spec.setRenewTime(microTime(now));
        lease.setSpec(spec);
        return lease;
    }

    static ZonedDateTime microTime(Instant t) {
        return ZonedDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /**
     * A byte count as a binary-SI quantity the way the API prints one: with the largest suffix
     * ({@code Ki}, {@code Mi}, …) that divides it exactly.
     */
    static String binarySI(long bytes) {
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        long v = bytes;
        int i = 0;
        while (v != 0 && v % 1024 == 0 && i < suffixes.length - 1) {
            v /= 1024;
            i++;
        }
        return v + suffixes[i];
    }
}
