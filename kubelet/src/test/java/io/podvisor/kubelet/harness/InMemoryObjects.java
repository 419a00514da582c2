package io.podvisor.kubelet.harness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The typed API for node components in virtual time: pods go to the {@link InMemoryCluster} (so
 * the kubelet sees mirror pods through its pod watch); other kinds (Node, Lease) are kept here with
 * UIDs, resourceVersions and the resourceVersion precondition. Every write is logged.
 */
public final class InMemoryObjects implements ObjectClient {

    private final Clock clock;
    private final InMemoryCluster cluster;
    private final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private long resourceVersion = 1000;

    public InMemoryObjects(Clock clock, InMemoryCluster cluster) {
        this.clock = clock;
        this.cluster = cluster;
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + (ns == null ? "" : ns) + "/" + name;
    }

    private static String key(HasMetadata o) {
        return key(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    @Override
    public synchronized <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        if (type == Pod.class) {
            return type.cast(cluster.get(namespace, name));
        }
        HasMetadata o = objects.get(key(type.getSimpleName(), namespace, name));
        return o == null ? null : type.cast(Yaml.copy(o));
    }

    @Override
    public synchronized <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector,
                                                             String fieldSelector) {
        if (type == Pod.class) {
            return cluster.pods().stream().filter(p -> namespace == null || namespace.equals(p.getMetadata().getNamespace()))
                    .map(type::cast).toList();
        }
        return objects.values().stream().filter(type::isInstance)
                .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
                .map(o -> type.cast(Yaml.copy(o))).toList();
    }

    @Override
    public synchronized <T extends HasMetadata> T create(T object) {
        log.add("create " + object.getKind() + " " + object.getMetadata().getName());
        if (object instanceof Pod pod) {
            @SuppressWarnings("unchecked")
            T created = (T) cluster.create(pod);
            return created;
        }
        if (objects.containsKey(key(object))) {
            throw new ApiException.AlreadyExists("", object.getKind().toLowerCase() + "s", object.getMetadata().getName());
        }
        T copy = Yaml.copy(object);
        copy.getMetadata().setUid(UUID.nameUUIDFromBytes(key(object).getBytes()).toString());
        copy.getMetadata().setCreationTimestamp(Times.format(clock.now()));
        copy.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        objects.put(key(copy), copy);
        return Yaml.copy(copy);
    }

    @Override
    public synchronized <T extends HasMetadata> T update(T object) {
        log.add("update " + object.getKind() + " " + object.getMetadata().getName());
        return replace(object, false);
    }

    @Override
    public synchronized <T extends HasMetadata> T updateStatus(T object) {
        log.add("updateStatus " + object.getKind() + " " + object.getMetadata().getName());
        return replace(object, true);
    }

    private <T extends HasMetadata> T replace(T object, boolean status) {
        HasMetadata old = objects.get(key(object));
        if (old == null) {
            throw new ApiException.NotFound("", object.getKind().toLowerCase() + "s", object.getMetadata().getName());
        }
        String rv = object.getMetadata().getResourceVersion();
        if (rv != null && !rv.equals(old.getMetadata().getResourceVersion())) {
            throw new ApiException.Conflict("", object.getKind().toLowerCase() + "s", object.getMetadata().getName(),
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        T copy = Yaml.copy(object);
        if (status) {
            HasMetadata kept = Yaml.copy(old);
            copy.setMetadata(kept.getMetadata());
        }
        copy.getMetadata().setUid(old.getMetadata().getUid());
        copy.getMetadata().setCreationTimestamp(old.getMetadata().getCreationTimestamp());
        copy.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        objects.put(key(copy), copy);
        return Yaml.copy(copy);
    }

    @Override
    public synchronized <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds) {
        log.add("delete " + type.getSimpleName() + " " + name + (gracePeriodSeconds == null ? "" : " grace " + gracePeriodSeconds));
        if (type == Pod.class) {
            if (cluster.get(namespace, name) == null) {
                throw new ApiException.NotFound("", "pods", name);
            }
            cluster.delete(namespace, name, gracePeriodSeconds);
            return;
        }
        if (objects.remove(key(type.getSimpleName(), namespace, name)) == null) {
            throw new ApiException.NotFound("", type.getSimpleName().toLowerCase() + "s", name);
        }
    }

    @Override
    public Pod bind(String namespace, String name, String nodeName) {
        throw new UnsupportedOperationException("not used by the node");
    }

    @Override
    public <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        throw new UnsupportedOperationException("the kubelet watches pods through its ClusterClient");
    }

    /** Every write, as {@code "<verb> <Kind> <name>[ grace <n>]"}. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }
}
