package io.podvisor.api.printers;

import static io.podvisor.api.printers.Columns.list;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Services: Name | Type | Cluster-IP | External-IP | Port(s) | Age | Selector*.
 *
 * <p>CLUSTER-IP is the first cluster IP or {@code <none>}. EXTERNAL-IP depends on the type:
 * ClusterIP and NodePort show {@code externalIPs} or {@code <none>}; LoadBalancer shows the
 * sorted, de-duplicated ingress IPs/hostnames followed by {@code externalIPs}, or
 * {@code <pending>}; ExternalName shows {@code externalName}. PORT(S) is {@code 80/TCP} or
 * {@code 80:30080/TCP} per port, comma-joined, {@code <none>} when there are none.
 */
final class ServicePrinter implements KindPrinter {

    private static final List<Column> COLUMNS = List.of(
            Columns.name(),
            Columns.column("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options "
                    + "are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a "
                    + "cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the "
                    + "selector or if that is not specified, by manual construction of an Endpoints object or "
                    + "EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints "
                    + "are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP "
                    + "and allocates a port on every node which routes to the same endpoints as the clusterIP. "
                    + "\"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the "
                    + "current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases "
                    + "this service to the specified externalName. Several other fields do not apply to ExternalName "
                    + "services. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
            Columns.column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned "
                    + "randomly. If an address is specified manually, is in-range (as per system configuration), and "
                    + "is not in use, it will be allocated to the service; otherwise creation of the service will "
                    + "fail. This field may not be changed through updates unless the type field is also being "
                    + "changed to ExternalName (which requires this field to be blank) or the type field is being "
                    + "changed from ExternalName (in which case this field may optionally be specified, as describe "
                    + "above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to "
                    + "\"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint "
                    + "connections are preferred and proxying is not required.  Only applies to types ClusterIP, "
                    + "NodePort, and LoadBalancer. If this field is specified when creating a Service of type "
                    + "ExternalName, creation will fail. This field will be wiped when updating a Service to type "
                    + "ExternalName. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
            Columns.column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will "
                    + "also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is "
                    + "responsible for ensuring that traffic arrives at a node with this IP.  A common example is "
                    + "external load-balancers that are not part of the Kubernetes system."),
            Columns.column("Port(s)", "The list of ports that are exposed by this service. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
            Columns.age(),
            Columns.wide("Selector", "Route service traffic to pods with label keys and values matching this "
                    + "selector. If empty or not present, the service is assumed to have an external process managing "
                    + "its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and "
                    + "LoadBalancer. Ignored if type is ExternalName. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/"));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        Service svc = Columns.as(object, Service.class);
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        String ports = ports(list(spec.getPorts()));
        return List.of(Columns.name(svc), Columns.orEmpty(spec.getType()), clusterIp(spec),
                externalIp(spec, svc.getStatus()), ports.isEmpty() ? Columns.NONE : ports, Columns.age(svc, now),
                Columns.labels(spec.getSelector()));
    }

    /** The first of {@code clusterIPs}, falling back to {@code clusterIP} as the v1 conversion does. */
    private static String clusterIp(ServiceSpec spec) {
        List<String> ips = list(spec.getClusterIPs());
        String ip = ips.isEmpty() ? spec.getClusterIP() : ips.get(0);
        return Columns.orNone(ip);
    }

    static String externalIp(ServiceSpec spec, ServiceStatus status) {
        List<String> external = list(spec.getExternalIPs());
        String type = Columns.orEmpty(spec.getType());
        switch (type) {
            case "ClusterIP", "NodePort" -> {
                return external.isEmpty() ? Columns.NONE : String.join(",", external);
            }
            case "LoadBalancer" -> {
                List<String> results = new ArrayList<>(loadBalancerAddresses(status));
                results.addAll(external);
                return results.isEmpty() ? "<pending>" : String.join(",", results);
            }
            case "ExternalName" -> {
                return Columns.orEmpty(spec.getExternalName());
            }
            default -> {
                return Columns.UNKNOWN;
            }
        }
    }

    private static TreeSet<String> loadBalancerAddresses(ServiceStatus status) {
        TreeSet<String> result = new TreeSet<>();
        if (status == null || status.getLoadBalancer() == null) {
            return result;
        }
        for (LoadBalancerIngress ingress : list(status.getLoadBalancer().getIngress())) {
            if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
                result.add(ingress.getIp());
            } else if (ingress.getHostname() != null && !ingress.getHostname().isEmpty()) {
                result.add(ingress.getHostname());
            }
        }
        return result;
    }

    private static String ports(List<ServicePort> ports) {
        return ports.stream().map(ServicePrinter::port).collect(Collectors.joining(","));
    }

    private static String port(ServicePort p) {
        String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
        int nodePort = Columns.orZero(p.getNodePort());
        int port = Columns.orZero(p.getPort());
        return nodePort > 0 ? port + ":" + nodePort + "/" + protocol : port + "/" + protocol;
    }
}
