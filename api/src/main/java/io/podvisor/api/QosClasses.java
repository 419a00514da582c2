package io.podvisor.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.podvisor.api.validation.Quantities;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod QoS class ({@code status.qosClass}) derived from the cpu and memory requests and limits of
 * every container: init containers (sidecars included) and main containers. Other resources and zero
 * quantities are ignored; a missing request defaults to the limit of the same resource.
 */
public final class QosClasses {

    public static final String GUARANTEED = "Guaranteed";
    public static final String BURSTABLE = "Burstable";
    public static final String BEST_EFFORT = "BestEffort";

    private static final List<String> TRACKED = List.of("cpu", "memory");

    private QosClasses() {}

    /**
     * Computes the QoS class of a pod.
     *
     * <ul>
     *   <li>{@code BestEffort}: no container has a non-zero cpu or memory request or limit;
     *   <li>{@code Guaranteed}: every container has non-zero cpu and memory limits and, per resource,
     *       the summed requests equal the summed limits;
     *   <li>{@code Burstable}: anything else.
     * </ul>
     *
     * @param spec the pod spec; null counts as a pod without resources
     * @return {@code Guaranteed}, {@code Burstable} or {@code BestEffort}
     */
    public static String compute(PodSpec spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean everyContainerLimitsBoth = true;
        for (Container c : Containers.all(spec)) {
            Map<String, Quantity> rawRequests = defaultedRequests(c.getResources());
            Map<String, BigDecimal> ownRequests = positive(rawRequests);
            Map<String, BigDecimal> ownLimits = positive(limitsOf(c.getResources()));
            ownRequests.forEach((k, v) -> requests.merge(k, v, BigDecimal::add));
            ownLimits.forEach((k, v) -> limits.merge(k, v, BigDecimal::add));
            if (!ownLimits.keySet().containsAll(TRACKED)) {
                everyContainerLimitsBoth = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return BEST_EFFORT;
        }
        return everyContainerLimitsBoth && sameAmounts(requests, limits) ? GUARANTEED : BURSTABLE;
    }

    private static Map<String, Quantity> limitsOf(ResourceRequirements rr) {
        return rr == null || rr.getLimits() == null ? Map.of() : rr.getLimits();
    }

    /**
     * The container's requests with API defaulting applied: a resource that has a limit but no
     * request entry at all gets the limit as its request. An explicit request (even zero) is kept.
     */
    private static Map<String, Quantity> defaultedRequests(ResourceRequirements rr) {
        Map<String, Quantity> out = new HashMap<>();
        if (rr != null && rr.getRequests() != null) {
            out.putAll(rr.getRequests());
        }
        limitsOf(rr).forEach(out::putIfAbsent);
        return out;
    }

    /** The cpu/memory entries with a quantity above zero, as numbers. */
    private static Map<String, BigDecimal> positive(Map<String, Quantity> raw) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String name : TRACKED) {
            Quantity q = raw.get(name);
            BigDecimal v = q == null ? null : Quantities.bounded(q.getNumericalAmount());
            if (v != null && v.signum() > 0) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** Same keys and numerically equal values (BigDecimal.equals would also compare scale). */
    private static boolean sameAmounts(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().compareTo(b.get(e.getKey())) == 0);
    }
}
