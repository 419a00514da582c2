package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cache keys and the index functions informers offer. {@link #NAMESPACE} is on every informer;
 * the others are added with {@link SharedIndexInformer#addIndexer}.
 */
public final class Indexers {

    /** Index of every cache: the object's namespace (cluster-scoped objects are in none). */
    public static final String NAMESPACE = "namespace";
    /** Index name for {@link #ownerUids}. */
    public static final String OWNER_UID = "ownerUid";
    /** Index name for {@link #labels}. */
    public static final String LABEL = "label";
    /** Index name for {@link #podNodeName}. */
    public static final String NODE_NAME = "nodeName";

    private Indexers() {
    }

    /** {@code namespace/name}, or {@code name} for a cluster-scoped object (client-go's key). */
    public static String key(HasMetadata object) {
        ObjectMeta m = object.getMetadata();
        String ns = m.getNamespace();
        return ns == null || ns.isEmpty() ? m.getName() : ns + "/" + m.getName();
    }

    /** The key of {@code namespace} and {@code name} (null or empty namespace: cluster-scoped). */
    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The object's namespace, or nothing for a cluster-scoped object. */
    public static List<String> namespace(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? List.of() : List.of(ns);
    }

    /** The UIDs of the object's owner references. */
    public static List<String> ownerUids(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(refs.size());
        for (OwnerReference r : refs) {
            if (r != null && r.getUid() != null) {
                out.add(r.getUid());
            }
        }
        return out;
    }

    /** One {@code key=value} entry per label, so {@code byIndex(LABEL, "app=web")} finds what carries it. */
    public static List<String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(labels.size());
        labels.forEach((k, v) -> out.add(k + "=" + (v == null ? "" : v)));
        return out;
    }

    /** The node a pod is bound to; nothing while it is unscheduled. */
    public static List<String> podNodeName(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? List.of() : List.of(node);
    }
}
