package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Yaml;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single writer of pod statuses: publishes a generated status to the API only when it differs
 * from the last one published for that pod, and remembers it (versioned per pod).
 */
public final class StatusManager {

    private record Published(long version, String json, PodStatus status) {}

    private final ClusterClient cluster;
    private final Map<String, Published> published = new ConcurrentHashMap<>();

    public StatusManager(ClusterClient cluster) {
        this.cluster = cluster;
    }

    /** Publishes {@code status} for {@code pod} if it changed; returns whether it did. */
    public boolean publish(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        String json = Yaml.json(status);
        Published prev = published.get(uid);
        if (prev != null && prev.json.equals(json)) {
            return false;
        }
        published.put(uid, new Published(prev == null ? 1 : prev.version + 1, json, status));
        cluster.updatePodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid, Yaml.copy(status));
        return true;
    }

    /** The last status published for the pod, or null. */
    public PodStatus last(String uid) {
        Published p = published.get(uid);
        return p == null ? null : p.status;
    }

    /** How many distinct statuses were published for the pod. */
    public long version(String uid) {
        Published p = published.get(uid);
        return p == null ? 0 : p.version;
    }

    public void forget(String uid) {
        published.remove(uid);
    }
}
