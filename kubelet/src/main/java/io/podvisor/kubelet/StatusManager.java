package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The single writer of pod statuses: remembers the newest generated status per pod (versioned) and
 * sends it to the API object the pod is shown as whenever the status or that object changed. For
 * API pods that object is the pod itself; a static pod is shown as its mirror pod, which has its
 * own UID and may not exist yet (then nothing is sent until it does).
 *
 * <p>Statuses are compared by value ({@code equals} of the model objects), so a sync that generates
 * the same status again neither counts as a change nor writes to the API. A published status is
 * never modified afterwards: the generator builds a new one each time, and the API client copies
 * what it stores.
 */
public final class StatusManager {

    private record Published(long version, PodStatus status) {}

    /** The status the API accepted for a pod, and the UID of the object it was written to. */
    private record Sent(String apiUid, PodStatus status) {}

    private final ClusterClient cluster;
    private final Function<Pod, String> apiUid;
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    /** Per pod UID: the last status the API accepted. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

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
        Published prev = published.get(uid);
        boolean changed = prev == null || !prev.status.equals(status);
        if (changed) {
            published.put(uid, new Published(prev == null ? 1 : prev.version + 1, status));
        }
        String target = apiUid.apply(pod);
        Sent last = sent.get(uid);
        if (target != null && (last == null || !last.apiUid.equals(target) || !Objects.equals(last.status, status))) {
            // the client copies what it stores (ClusterClient: the caller may keep what it passes)
            Pod stored = cluster.updatePodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), target, status);
            if (stored != null) {
                sent.put(uid, new Sent(target, status));
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
