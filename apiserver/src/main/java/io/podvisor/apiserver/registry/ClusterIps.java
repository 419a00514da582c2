package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.resources.ResourceTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Service cluster IPs from {@code 10.96.0.0/12}: random free addresses (never the network address,
 * {@code .1} — the API's own service — or the broadcast address). The allocation lives in the
 * service object itself; an address is reserved in memory only between allocation and the store
 * write, so two concurrent creates never get the same one.
 *
 * <p>Thread-safety: allocation and release are synchronized.
 */
final class ClusterIps {

    static final String NONE = "None";
    private static final int BASE = (10 << 24) | (96 << 16);
    private static final int SIZE = 1 << 20;

    private final Context ctx;
    private final Set<String> reserved = new HashSet<>();

    ClusterIps(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Fills {@code spec.clusterIP}/{@code clusterIPs} of a new service, reserving the address.
     *
     * @return the reserved address (to {@link #release} after the write), or null when none was taken
     */
    synchronized String assign(Service service) {
        ServiceSpec spec = service.getSpec();
        if (spec == null || "ExternalName".equals(spec.getType())) {
            return null;
        }
        String wanted = spec.getClusterIP();
        if ((wanted == null || wanted.isEmpty()) && spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            wanted = spec.getClusterIPs().getFirst();
        }
        if (NONE.equals(wanted)) {
            spec.setClusterIPs(List.of(NONE));
            return null;
        }
        Set<String> used = used();
        String ip = wanted == null || wanted.isEmpty() ? pick(used) : checkRequested(service, wanted, used);
        spec.setClusterIP(ip);
        spec.setClusterIPs(List.of(ip));
        if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
            spec.setIpFamilies(List.of("IPv4"));
        }
        if (spec.getIpFamilyPolicy() == null) {
            spec.setIpFamilyPolicy("SingleStack");
        }
        reserved.add(ip);
        return ip;
    }

    synchronized void release(String ip) {
        if (ip != null) {
            reserved.remove(ip);
        }
    }

    private String checkRequested(HasMetadata service, String ip, Set<String> used) {
        Integer v = parse(ip);
        String error = null;
        if (v == null || v - BASE < 0 || v - BASE >= SIZE) {
            error = "failed to allocate IP " + ip + ": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12";
        } else if (used.contains(ip)) {
            error = "failed to allocate IP " + ip + ": provided IP is already allocated";
        }
        if (error != null) {
            throw new ApiException.Invalid("", "Service", service.getMetadata().getName(),
                    List.of(FieldError.invalid("spec.clusterIPs", "[]string{" + FieldError.quote(ip) + "}", error)));
        }
        return ip;
    }

    private String pick(Set<String> used) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int offset = 2 + ctx.nextInt(SIZE - 3);
            String ip = format(BASE + offset);
            if (!used.contains(ip)) {
                return ip;
            }
        }
        throw new ApiException.Internal("failed to allocate a serviceIP: range is full");
    }

    private Set<String> used() {
        Set<String> used = new HashSet<>(reserved);
        for (Stored s : ctx.all(ResourceTypes.SERVICES, null)) {
            ServiceSpec spec = ((Service) s.object()).getSpec();
            if (spec != null && spec.getClusterIP() != null) {
                used.add(spec.getClusterIP());
            }
        }
        return used;
    }

    static String format(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    static Integer parse(String ip) {
        String[] p = ip.split("\\.");
        if (p.length != 4) {
            return null;
        }
        int v = 0;
        try {
            for (String part : p) {
                int b = Integer.parseInt(part);
                if (b < 0 || b > 255) {
                    return null;
                }
                v = (v << 8) | b;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v;
    }
}
