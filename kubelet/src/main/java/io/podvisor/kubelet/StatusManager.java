package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Yaml;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The single writer of pod statuses: remembers the newest generated status per pod (versioned) and
 * sends it to the API object the pod is shown as whenever the status or that object changed. For
 * API pods that object is the pod itself; a static pod is shown as its mirror pod, which has its
 * own UID and may not exist yet (then nothing is sent until it does).
 */
public final class StatusManager {

    private record Published(long version, String json, PodStatus status) {}

    private final ClusterClient cluster;
    private final Function<Pod, String> apiUid;
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    /** Per pod UID: "{@code <api uid> <json>}" of the last status the API accepted. */
    private final Map<String, String> sent = new ConcurrentHashMap<>();

    public StatusManager(ClusterClient cluster) {
        this(cluster, p -> p.getMetadata().getUid());
    }

    /**
     * @param apiUid the UID of the API object that shows a pod's status (null: none yet)
     */
    public StatusManager(ClusterClient cluster, Function<Pod, String> apiUid) {
        this.cluster = cluster;
        this.apiUid = apiUid;
    }

    /** Records {@code status} for {@code pod} and sends it if needed; returns whether it changed. */
    public boolean publish(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        String json = Yaml.json(status);
        Published prev = published.get(uid);
        boolean changed = prev == null || !prev.json.equals(json);
        if (changed) {
            published.put(uid, new Published(prev == null ? 1 : prev.version + 1, json, status));
        }
        String target = apiUid.apply(pod);
        if (target != null && !(target + " " + json).equals(sent.get(uid))) {
            Pod stored = cluster.updatePodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), target,
                    Yaml.copy(status));
            if (stored != null) {
                sent.put(uid, target + " " + json);
            }
        }
        return changed;
    }

    /** The last status generated for the pod, or null. */
    public PodStatus last(String uid) {
        Published p = published.get(uid);
        return p == null ? null : p.status;
    }

    /** How many distinct statuses were generated for the pod. */
    public long version(String uid) {
        Published p = published.get(uid);
        return p == null ? 0 : p.version;
    }

    public void forget(String uid) {
        published.remove(uid);
        sent.remove(uid);
    }
}
