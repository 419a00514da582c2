package io.podvisor.api.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/** The catalog of served resource types, in discovery order. */
public final class ResourceTypes {

    private ResourceTypes() {}

    private static final List<String> NONE = List.of();
    private static final List<String> ALL = List.of("all");

    public static final ResourceType NAMESPACES = new ResourceType("", "v1", "namespaces", "namespace", "Namespace",
            false, List.of("ns"), NONE, List.of("status", "finalize"), Namespace.class);
    public static final ResourceType PODS = new ResourceType("", "v1", "pods", "pod", "Pod",
            true, List.of("po"), ALL, List.of("status", "log", "exec", "attach", "portforward", "proxy", "eviction", "binding"), Pod.class);
    public static final ResourceType SERVICES = new ResourceType("", "v1", "services", "service", "Service",
            true, List.of("svc"), ALL, List.of("status", "proxy"), Service.class);
    public static final ResourceType ENDPOINTS = new ResourceType("", "v1", "endpoints", "endpoints", "Endpoints",
            true, List.of("ep"), NONE, NONE, Endpoints.class);
    public static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "configmaps", "configmap", "ConfigMap",
            true, List.of("cm"), NONE, NONE, ConfigMap.class);
    public static final ResourceType SECRETS = new ResourceType("", "v1", "secrets", "secret", "Secret",
            true, NONE, NONE, NONE, Secret.class);
    public static final ResourceType SERVICE_ACCOUNTS = new ResourceType("", "v1", "serviceaccounts", "serviceaccount",
            "ServiceAccount", true, List.of("sa"), NONE, List.of("token"), ServiceAccount.class);
    public static final ResourceType EVENTS = new ResourceType("", "v1", "events", "event", "Event",
            true, List.of("ev"), NONE, NONE, Event.class);
    public static final ResourceType NODES = new ResourceType("", "v1", "nodes", "node", "Node",
            false, List.of("no"), NONE, List.of("status"), Node.class);
    public static final ResourceType JOBS = new ResourceType("batch", "v1", "jobs", "job", "Job",
            true, NONE, ALL, List.of("status"), Job.class);
    public static final ResourceType ENDPOINT_SLICES = new ResourceType("discovery.k8s.io", "v1", "endpointslices",
            "endpointslice", "EndpointSlice", true, NONE, NONE, NONE, EndpointSlice.class);
    public static final ResourceType EVENTS_V1 = new ResourceType("events.k8s.io", "v1", "events", "event", "Event",
            true, List.of("ev"), NONE, NONE, io.fabric8.kubernetes.api.model.events.v1.Event.class);
    public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease",
            true, NONE, NONE, NONE, Lease.class);

    /** Every served type, core group first, in the order discovery lists them. */
    public static final List<ResourceType> ALL_TYPES = List.of(NAMESPACES, PODS, SERVICES, ENDPOINTS, CONFIGMAPS,
            SECRETS, SERVICE_ACCOUNTS, EVENTS, NODES, JOBS, ENDPOINT_SLICES, EVENTS_V1, LEASES);

    /** The served group names (core excluded), in discovery order. */
    public static List<String> groups() {
        return ALL_TYPES.stream().map(ResourceType::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    /** The type served at {@code group}/{@code version}/{@code plural}. */
    public static Optional<ResourceType> byPlural(String group, String version, String plural) {
        return ALL_TYPES.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    /** The type of {@code kind} at {@code apiVersion} ({@code v1}, {@code batch/v1}). */
    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return ALL_TYPES.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    /** The type whose model class is {@code type}. */
    public static ResourceType of(Class<? extends HasMetadata> type) {
        return ALL_TYPES.stream().filter(t -> t.javaType().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a served type: " + type.getName()));
    }
}
