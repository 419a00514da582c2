package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.Pods;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the pods holding the node's capacity (bound to it, not terminal) request, as the scheduler's pod watch
 * shows them, plus the pods the scheduler bound that the watch has not shown bound yet ("assumed",
 * as in upstream's scheduler cache). Listing the node's pods from the store for every placement
 * cost time in proportion to the pods on the node.
 *
 * <p>An assumed pod leaves once the watch shows that pod at the binding's resourceVersion or later
 * (bound, finished or deleted). Deletions are remembered for a while, so a pod deleted before its
 * binding was assumed is not assumed afterwards. Thread-safe.
 */
final class NodePods {

    private static final int DELETIONS_REMEMBERED = 4096;

    /** What a pod holds of the node: its effective requests. */
    private record Held(Map<String, BigDecimal> requests, long resourceVersion) {}

    private final String nodeName;
    private final Map<String, Held> bound = new HashMap<>();
    private final Map<String, Held> assumed = new HashMap<>();
    private final Map<String, Long> deleted = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > DELETIONS_REMEMBERED;
        }
    };

    NodePods(String nodeName) {
        this.nodeName = nodeName;
    }

    /** A pod watch event. */
    synchronized void observe(String type, Pod pod) {
        String key = ObjectKeys.of(pod);
        long rv = resourceVersion(pod);
        Held a = assumed.get(key);
        if (a != null && rv >= a.resourceVersion()) {
            assumed.remove(key);
        }
        if ("DELETED".equals(type)) {
            bound.remove(key);
            deleted.put(key, rv);
            return;
        }
        deleted.remove(key, Long.MAX_VALUE); // seen again after a re-list found it gone
        if (nodeName.equals(pod.getSpec().getNodeName()) && !Pods.isTerminal(pod)) {
            bound.put(key, new Held(PodRequests.effective(pod), rv));
        } else {
            bound.remove(key);
        }
    }

    /**
     * A pod found gone by a re-list: its deletion was not seen, so its revision is unknown. It holds
     * nothing from now on, and a binding of it assumed later is ignored until the pod is seen again.
     */
    synchronized void forget(Pod pod) {
        String key = ObjectKeys.of(pod);
        assumed.remove(key);
        bound.remove(key);
        deleted.put(key, Long.MAX_VALUE);
    }

    /** The scheduler bound {@code pod} (as the binding returned it): it counts from now on. */
    synchronized void assume(Pod pod) {
        String key = ObjectKeys.of(pod);
        long rv = resourceVersion(pod);
        Long gone = deleted.get(key);
        Held seen = bound.get(key);
        if ((gone != null && gone >= rv) || (seen != null && seen.resourceVersion() >= rv)) {
            return; // the watch is already past the binding
        }
        assumed.put(key, new Held(PodRequests.effective(pod), rv));
    }

    /** The effective requests of each pod holding the node's capacity now. */
    synchronized List<Map<String, BigDecimal>> requests() {
        List<Map<String, BigDecimal>> out = new ArrayList<>(bound.size() + assumed.size());
        bound.forEach((key, held) -> {
            if (!assumed.containsKey(key)) {
                out.add(held.requests());
            }
        });
        assumed.values().forEach(a -> out.add(a.requests()));
        return out;
    }

    /** The keys ({@code namespace/name}) of the pods holding the node's capacity now. */
    synchronized Set<String> keys() {
        Set<String> out = new TreeSet<>(bound.keySet());
        out.addAll(assumed.keySet());
        return out;
    }

    private static long resourceVersion(Pod pod) {
        try {
            return Long.parseLong(pod.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
