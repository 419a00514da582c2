package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.podvisor.controllers.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy {@code Endpoints} of a Service (pure): each selected pod with an IP gives an address
 * (ip, nodeName, targetRef to the pod) in {@code addresses} when Ready (or always with
 * {@code publishNotReadyAddresses}), else in {@code notReadyAddresses}; terminating pods are left
 * out unless {@code publishNotReadyAddresses}; a pod none of whose target ports resolves is left
 * out. Addresses with the same resolved port set share a
 * subset; addresses are sorted by IP, ports by name.
 */
public final class EndpointsBuilder {

    /** Label set on Endpoints of headless services. */
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private EndpointsBuilder() {}

    /** The Endpoints object {@code service} should have, given the pods its selector matches. */
    public static Endpoints build(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, Subset> byPorts = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!EndpointPods.include(pod, publishNotReady)) {
                continue;
            }
            List<EndpointPort> ports = ports(service, pod);
            if (ports.isEmpty() && !service.getSpec().getPorts().isEmpty()) {
                continue;
            }
            Subset subset = byPorts.computeIfAbsent(ports, p -> new Subset());
            EndpointAddress address = address(pod);
            if (publishNotReady || Pods.isReady(pod)) {
                subset.ready.add(address);
            } else {
                subset.notReady.add(address);
            }
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        byPorts.forEach((ports, s) -> subsets.add(s.toSubset(ports)));
        subsets.sort(Comparator.comparing(EndpointsBuilder::firstIp));
        return new io.fabric8.kubernetes.api.model.EndpointsBuilder()
                .withNewMetadata().withName(service.getMetadata().getName())
                    .withNamespace(service.getMetadata().getNamespace()).withLabels(labels(service)).endMetadata()
                .withSubsets(subsets).build();
    }

    /** The Service's labels, plus the headless label for {@code clusterIP: None}; null when empty. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        if ("None".equals(service.getSpec().getClusterIP())) {
            labels.put(HEADLESS_LABEL, "");
        }
        return labels.isEmpty() ? null : labels;
    }

    private static List<EndpointPort> ports(Service service, Pod pod) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort sp : service.getSpec().getPorts()) {
            int port = ServicePorts.resolve(sp, pod);
            if (port > 0) {
                ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(port)
                        .withProtocol(ServicePorts.protocol(sp.getProtocol())).withAppProtocol(sp.getAppProtocol()).build());
            }
        }
        ports.sort(Comparator.comparing(EndpointPort::getName, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(EndpointPort::getPort));
        return ports;
    }

    private static EndpointAddress address(Pod pod) {
        return new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                .withNodeName(pod.getSpec().getNodeName())
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build())
                .build();
    }

    private static String firstIp(EndpointSubset s) {
        if (!s.getAddresses().isEmpty()) {
            return s.getAddresses().getFirst().getIp();
        }
        return s.getNotReadyAddresses().isEmpty() ? "" : s.getNotReadyAddresses().getFirst().getIp();
    }

    private static final class Subset {
        final List<EndpointAddress> ready = new ArrayList<>();
        final List<EndpointAddress> notReady = new ArrayList<>();

        EndpointSubset toSubset(List<EndpointPort> ports) {
            Comparator<EndpointAddress> byIp = Comparator.comparing(EndpointAddress::getIp);
            ready.sort(byIp);
            notReady.sort(byIp);
            EndpointSubset s = new EndpointSubset();
            s.setAddresses(ready);
            s.setNotReadyAddresses(notReady);
            s.setPorts(ports);
            return s;
        }
    }
}
