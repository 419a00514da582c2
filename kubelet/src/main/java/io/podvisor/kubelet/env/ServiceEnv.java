package io.podvisor.kubelet.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.podvisor.api.ClusterClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Service environment variables upstream's kubelet gives every container: for each Service
 * with a cluster IP, {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT} (the first port),
 * {@code <NAME>_SERVICE_PORT_<PORT NAME>} for named ports, and Docker's link variables
 * ({@code <NAME>_PORT=tcp://ip:port}, {@code <NAME>_PORT_<port>_<PROTO>} with {@code _PROTO},
 * {@code _PORT}, {@code _ADDR}). The Services are those of the pod's namespace when
 * {@code enableServiceLinks} is not false, and always the {@code kubernetes} Service of the
 * {@code default} namespace. Read from the node's cache ({@link ClusterClient#services}).
 */
final class ServiceEnv {

    private static final String MASTER_NAMESPACE = "default";
    private static final String MASTER_SERVICE = "kubernetes";

    private ServiceEnv() {
    }

    /** The variables for {@code pod}, by name. */
    static Map<String, String> of(ClusterClient cluster, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        Map<String, Service> byName = new TreeMap<>();
        for (Service s : cluster.services(MASTER_NAMESPACE)) {
            if (MASTER_SERVICE.equals(s.getMetadata().getName()) && hasClusterIp(s)) {
                byName.put(MASTER_SERVICE, s);
            }
        }
        if (links) {
            for (Service s : cluster.services(namespace)) {
                if (hasClusterIp(s)) {
                    byName.put(s.getMetadata().getName(), s); // the namespace's own wins over the master's
                }
            }
        }
        return fromServices(List.copyOf(byName.values()));
    }

    /** The variables of {@code services}, in their order. */
    static Map<String, String> fromServices(List<Service> services) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Service s : services) {
            List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
            if (ports.isEmpty()) {
                continue;
            }
            String prefix = variableName(s.getMetadata().getName());
            String ip = s.getSpec().getClusterIP();
            out.put(prefix + "_SERVICE_HOST", ip);
            out.put(prefix + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort()));
            for (ServicePort p : ports) {
                if (p.getName() != null && !p.getName().isEmpty()) {
                    out.put(prefix + "_SERVICE_PORT_" + variableName(p.getName()), Integer.toString(p.getPort()));
                }
            }
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
                String lower = protocol.toLowerCase(Locale.ROOT);
                String url = lower + "://" + hostPort(ip, p.getPort());
                if (i == 0) {
                    out.put(prefix + "_PORT", url);
                }
                String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
                out.put(portPrefix, url);
                out.put(portPrefix + "_PROTO", lower);
                out.put(portPrefix + "_PORT", Integer.toString(p.getPort()));
                out.put(portPrefix + "_ADDR", ip);
            }
        }
        return out;
    }

    /** Whether the Service has a cluster IP (not headless, not ExternalName). */
    private static boolean hasClusterIp(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip);
    }

    private static String variableName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String hostPort(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
