package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.podvisor.api.Containers;
import io.podvisor.api.QosClasses;
import io.podvisor.api.validation.Quantities;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.SandboxConfig;
import java.util.List;
import java.util.Map;

/**
 * Resource settings handed to the runtime: per container its limits and CPU request, per pod the
 * QoS class and the totals of its cgroup, computed as upstream's effective pod resources — the
 * larger of (regular containers + sidecars) and, for each regular init container, its own amount
 * plus the sidecars started before it.
 */
final class ResourceConfigs {

    /** The effective pod amounts (CPU in millicores, memory in bytes) and whether every container limits them. */
    record PodTotals(long cpuRequestMillis, long cpuLimitMillis, long memoryLimitBytes,
                     boolean cpuLimitsDeclared, boolean memoryLimitsDeclared) {}

    private ResourceConfigs() {}

    /** A container's memory and CPU limits and its CPU request (the limit when no request is given). */
    static ContainerConfig.Resources container(Container c) {
        Map<String, Quantity> limits = limits(c.getResources());
        Map<String, Quantity> requests = requests(c.getResources());
        Long memory = positive(bytes(limits.get("memory")));
        Long cpuQuota = positive(millis(limits.get("cpu")));
        Long cpuShares = requests.containsKey("cpu") ? millis(requests.get("cpu")) : null;
        return new ContainerConfig.Resources(memory, cpuQuota, cpuShares);
    }

    /** The pod cgroup settings: by QoS class, as upstream's pod resource config. */
    static SandboxConfig.PodResources pod(PodSpec spec) {
        String qos = QosClasses.compute(spec);
        PodTotals t = totals(spec);
        return switch (qos) {
            case QosClasses.GUARANTEED -> new SandboxConfig.PodResources(qos, t.memoryLimitBytes(), t.cpuLimitMillis(),
                    t.cpuRequestMillis(), null);
            case QosClasses.BURSTABLE -> new SandboxConfig.PodResources(qos,
                    t.memoryLimitsDeclared() ? t.memoryLimitBytes() : null,
                    t.cpuLimitsDeclared() ? t.cpuLimitMillis() : null, t.cpuRequestMillis(), null);
            default -> SandboxConfig.PodResources.BEST_EFFORT;
        };
    }

    /** The pod's memory limit when every container has one, else null (bounds a memory emptyDir). */
    static Long podMemoryLimit(PodSpec spec) {
        PodTotals t = totals(spec);
        return t.memoryLimitsDeclared() ? t.memoryLimitBytes() : null;
    }

    static PodTotals totals(PodSpec spec) {
        long cpuReq = effective(spec, c -> millis(requests(c.getResources()).get("cpu")));
        long cpuLim = effective(spec, c -> millis(limits(c.getResources()).get("cpu")));
        long memLim = effective(spec, c -> bytes(limits(c.getResources()).get("memory")));
        boolean cpuDeclared = true;
        boolean memDeclared = true;
        for (Container c : Containers.all(spec)) {
            cpuDeclared &= millis(limits(c.getResources()).get("cpu")) > 0;
            memDeclared &= bytes(limits(c.getResources()).get("memory")) > 0;
        }
        return new PodTotals(cpuReq, cpuLim, memLim, cpuDeclared, memDeclared);
    }

    /** max(sum of regular containers and sidecars, max over init containers of own + earlier sidecars). */
    private static long effective(PodSpec spec, java.util.function.ToLongFunction<Container> amount) {
        long sum = 0;
        for (Container c : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            sum = plus(sum, amount.applyAsLong(c));
        }
        long sidecars = 0;
        long initMax = 0;
        for (Container c : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
            long own = amount.applyAsLong(c);
            long here;
            if (Containers.isSidecar(c)) {
                sum = plus(sum, own);
                sidecars = plus(sidecars, own);
                here = sidecars;
            } else {
                here = plus(own, sidecars);
            }
            initMax = Math.max(initMax, here);
        }
        return Math.max(sum, initMax);
    }

    /** a + b, saturated at {@link Long#MAX_VALUE} (limits of {@code 1e999999999} add up to "unlimited", not negative). */
    private static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private static Map<String, Quantity> limits(ResourceRequirements rr) {
        return rr == null || rr.getLimits() == null ? Map.of() : rr.getLimits();
    }

    /** Requests with API defaulting: a resource with a limit and no request entry requests its limit. */
    private static Map<String, Quantity> requests(ResourceRequirements rr) {
        Map<String, Quantity> out = new java.util.HashMap<>(limits(rr));
        if (rr != null && rr.getRequests() != null) {
            out.putAll(rr.getRequests());
        }
        return out;
    }

    static long millis(Quantity q) {
        return q == null ? 0 : Quantities.ceilSaturated(q.getNumericalAmount().movePointRight(3));
    }

    static long bytes(Quantity q) {
        return q == null ? 0 : Quantities.ceilSaturated(q.getNumericalAmount());
    }

    private static Long positive(long v) {
        return v > 0 ? v : null;
    }
}
