package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.podvisor.controllers.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired EndpointSlice contents of a Service (pure, spec 15.3): every selected pod with an
 * IPv4 address that is not Succeeded/Failed is an endpoint with {@code serving} = Ready,
 * {@code terminating} = being deleted, {@code ready = publishNotReadyAddresses || (serving &&
 * !terminating)}, its targetRef and nodeName. Endpoints are grouped by their resolved port set
 * (one slice per group, sorted by pod name); with no endpoints there is one empty slice.
 */
public final class SliceContents {

    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
    public static final String LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    public static final String ADDRESS_TYPE = "IPv4";

    /** The contents of one slice: its ports and endpoints. */
    public record SliceContent(List<EndpointPort> ports, List<Endpoint> endpoints) {}

    private SliceContents() {}

    /** The slices {@code service} should have, given the pods its selector matches. */
    public static List<SliceContent> build(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, List<Endpoint>> groups = new LinkedHashMap<>();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod pod : sorted) {
            if (!EndpointPods.include(pod, true) || pod.getStatus().getPodIP().contains(":")) {
                continue;
            }
            List<EndpointPort> ports = ports(service, pod);
            if (ports.isEmpty() && !service.getSpec().getPorts().isEmpty()) {
                continue;
            }
            groups.computeIfAbsent(ports, k -> new ArrayList<>()).add(endpoint(pod, publishNotReady));
        }
        if (groups.isEmpty()) {
            return List.of(new SliceContent(List.of(), List.of()));
        }
        List<SliceContent> out = new ArrayList<>();
        groups.forEach((ports, endpoints) -> out.add(new SliceContent(ports, endpoints)));
        return out;
    }

    /** The labels of the Service's slices: its own labels plus service name and manager. */
    public static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> base = EndpointsBuilder.labels(service);
        if (base != null) {
            labels.putAll(base);
        }
        labels.put(LABEL_SERVICE_NAME, service.getMetadata().getName());
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        return labels;
    }

    private static Endpoint endpoint(Pod pod, boolean publishNotReady) {
        boolean serving = Pods.isReady(pod);
        boolean terminating = Pods.isDeleting(pod);
        return new EndpointBuilder().withAddresses(pod.getStatus().getPodIP())
                .withNewConditions().withReady(publishNotReady || (serving && !terminating))
                    .withServing(serving).withTerminating(terminating).endConditions()
                .withNodeName(pod.getSpec().getNodeName())
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build())
                .build();
    }

    private static List<EndpointPort> ports(Service service, Pod pod) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort sp : service.getSpec().getPorts()) {
            int port = ServicePorts.resolve(sp, pod);
            if (port > 0) {
                ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName()).withPort(port)
                        .withProtocol(ServicePorts.protocol(sp.getProtocol())).withAppProtocol(sp.getAppProtocol()).build());
            }
        }
        return ports;
    }
}
