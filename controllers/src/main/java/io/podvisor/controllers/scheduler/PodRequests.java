package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.podvisor.api.Containers;
import io.podvisor.api.validation.Quantities;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective resource request of a pod (spec 6.12), per resource name:
 * {@code max(sum(main) + sum(sidecars), max over init containers i of the footprint while i runs)}
 * plus {@code spec.overhead}, where a regular init container's footprint is its request plus the
 * sidecars declared before it, and a sidecar's is the sum of the sidecars up to and including it.
 * A container's missing request falls back to its limit (as pod defaulting sets it).
 */
public final class PodRequests {

    private PodRequests() {}

    /** The effective request of {@code pod}; amounts in base units (cores, bytes). */
    public static Map<String, BigDecimal> effective(Pod pod) {
        Map<String, BigDecimal> main = new TreeMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            add(main, of(c));
        }
        Map<String, BigDecimal> sidecars = new TreeMap<>();
        Map<String, BigDecimal> maxInit = new TreeMap<>();
        for (Container c : pod.getSpec().getInitContainers()) {
            Map<String, BigDecimal> footprint;
            if (Containers.isSidecar(c)) {
                add(sidecars, of(c));
                footprint = new TreeMap<>(sidecars);
            } else {
                footprint = new TreeMap<>(of(c));
                add(footprint, sidecars);
            }
            max(maxInit, footprint);
        }
        add(main, sidecars);
        max(main, maxInit);
        if (pod.getSpec().getOverhead() != null) {
            add(main, amounts(pod.getSpec().getOverhead()));
        }
        return main;
    }

    /** A container's requests (its limits where a request is missing). */
    static Map<String, BigDecimal> of(Container c) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (c.getResources() == null) {
            return out;
        }
        if (c.getResources().getLimits() != null) {
            out.putAll(amounts(c.getResources().getLimits()));
        }
        if (c.getResources().getRequests() != null) {
            out.putAll(amounts(c.getResources().getRequests()));
        }
        return out;
    }

    /** Parses a resource list into numeric amounts. */
    public static Map<String, BigDecimal> amounts(Map<String, Quantity> list) {
        Map<String, BigDecimal> out = new TreeMap<>();
        list.forEach((k, q) -> out.put(k, Quantities.bounded(Quantity.getAmountInBytes(q))));
        return out;
    }

    static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
        more.forEach((k, v) -> into.merge(k, v, BigDecimal::add));
    }

    private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
        other.forEach((k, v) -> into.merge(k, v, BigDecimal::max));
    }
}
