package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.Map;

/**
 * Defaulting on create and update, per kind (spec §0 for pods; jobs, services, secrets, … as
 * upstream). Mutates and returns its argument; idempotent. Kinds without defaults pass through.
 *
 * <p>Pods also get what upstream's admission adds: the not-ready/unreachable tolerations,
 * {@code priority 0}, the {@code default} service account. Jobs get the generated selector and
 * pod labels when {@code metadata.uid} is set (the server assigns it before defaulting).
 */
public final class Defaults {

    /** The Job controller's uid label, selected by the generated selector. */
    public static final String JOB_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    /** The Job name label on the pod template. */
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    /** The legacy (unprefixed) forms of the two labels, still set. */
    public static final String LEGACY_CONTROLLER_UID = "controller-uid";
    public static final String LEGACY_JOB_NAME = "job-name";
    /** The label every namespace carries with its own name. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private Defaults() {}

    public static <T extends HasMetadata> T apply(T object) {
        switch (object) {
            case Pod p -> PodSpecDefaults.pod(p);
            case Job j -> JobDefaults.apply(j);
            case Service s -> service(s);
            case Secret s -> secret(s);
            case Namespace n -> namespace(n);
            case Endpoints e -> endpoints(e);
            case EndpointSlice e -> endpointSlice(e);
            default -> { }
        }
        return object;
    }

    /** Upstream's {@code SetDefaults_EndpointPort}: TCP when no protocol is given. */
    private static void endpoints(Endpoints ep) {
        if (ep.getSubsets() != null) {
            ep.getSubsets().stream().filter(Objects::nonNull).flatMap(ss -> ss.getPorts() == null ? Stream.empty() : ss.getPorts().stream())
                    .filter(p -> p != null && p.getProtocol() == null).forEach(p -> p.setProtocol("TCP"));
        }
    }

    /** A slice port's protocol defaults to TCP and its name to "". */
    private static void endpointSlice(EndpointSlice slice) {
        if (slice.getPorts() != null) {
            slice.getPorts().stream().filter(Objects::nonNull).forEach(p -> {
                if (p.getProtocol() == null) {
                    p.setProtocol("TCP");
                }
                if (p.getName() == null) {
                    p.setName("");
                }
            });
        }
    }

    private static void service(Service svc) {
        if (svc.getSpec() == null) {
            svc.setSpec(new ServiceSpec());
        }
        ServiceSpec spec = svc.getSpec();
        if (spec.getSessionAffinity() == null || spec.getSessionAffinity().isEmpty()) {
            spec.setSessionAffinity("None");
        }
        if ("None".equals(spec.getSessionAffinity())) {
            spec.setSessionAffinityConfig(null);
        }
        if (spec.getType() == null || spec.getType().isEmpty()) {
            spec.setType("ClusterIP");
        }
        for (ServicePort p : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
            if (p.getProtocol() == null || p.getProtocol().isEmpty()) {
                p.setProtocol("TCP");
            }
            IntOrString t = p.getTargetPort();
            boolean unset = t == null || (t.getIntVal() == null && t.getStrVal() == null)
                    || Integer.valueOf(0).equals(t.getIntVal()) || "".equals(t.getStrVal());
            if (unset && p.getPort() != null) {
                p.setTargetPort(new IntOrString(p.getPort()));
            }
        }
        String type = spec.getType();
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty());
        if (external && spec.getExternalTrafficPolicy() == null) {
            spec.setExternalTrafficPolicy("Cluster");
        }
        if (spec.getInternalTrafficPolicy() == null && !type.equals("ExternalName")) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        if (type.equals("LoadBalancer") && spec.getAllocateLoadBalancerNodePorts() == null) {
            spec.setAllocateLoadBalancerNodePorts(true);
        }
        if (!type.equals("ExternalName")) {
            if (spec.getIpFamilyPolicy() == null) {
                spec.setIpFamilyPolicy("SingleStack");
            }
            if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
                spec.setIpFamilies(new ArrayList<>(List.of("IPv4")));
            }
        }
    }

    /** Type {@code Opaque}; {@code stringData} is merged into {@code data} (it wins) and dropped. */
    private static void secret(Secret s) {
        if (s.getType() == null || s.getType().isEmpty()) {
            s.setType("Opaque");
        }
        if (s.getStringData() != null && !s.getStringData().isEmpty()) {
            Map<String, String> data = s.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(s.getData());
            s.getStringData().forEach((k, v) -> data.put(k,
                    Base64.getEncoder().encodeToString((v == null ? "" : v).getBytes(StandardCharsets.UTF_8))));
            s.setData(data);
        }
        s.setStringData(null);
    }

    /** The name label; the {@code kubernetes} finalizer unless the namespace is being deleted; phase Active. */
    private static void namespace(Namespace ns) {
        if (ns.getMetadata() == null) {
            ns.setMetadata(new ObjectMeta());
        }
        ObjectMeta meta = ns.getMetadata();
        if (meta.getName() != null && !meta.getName().isEmpty()) {
            Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
            labels.put(NAMESPACE_NAME_LABEL, meta.getName());
            meta.setLabels(labels);
        }
        if (ns.getSpec() == null) {
            ns.setSpec(new NamespaceSpec());
        }
        boolean deleting = meta.getDeletionTimestamp() != null;
        if (!deleting && (ns.getSpec().getFinalizers() == null || ns.getSpec().getFinalizers().isEmpty())) {
            ns.getSpec().setFinalizers(new ArrayList<>(List.of("kubernetes")));
        }
        if (ns.getStatus() == null) {
            ns.setStatus(new NamespaceStatus());
        }
        if (ns.getStatus().getPhase() == null || ns.getStatus().getPhase().isEmpty()) {
            ns.getStatus().setPhase("Active");
        }
    }
}
