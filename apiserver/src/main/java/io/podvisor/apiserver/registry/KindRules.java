package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.podvisor.api.QosClasses;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-kind rules of the registry that are not validation: which kinds carry a generation and a
 * status part, and what create resets (pod status to Pending with its QoS class, service and job
 * status cleared, namespaces Active with the {@code kubernetes} finalizer).
 */
final class KindRules {

    private KindRules() {}

    /** Whether the kind has a status subresource (MAIN writes keep the stored status). */
    static boolean hasStatusPart(ResourceType type) {
        return type.hasSubresource("status");
    }

    /** Whether {@code metadata.generation} is tracked: kinds with a spec, except namespaces and nodes. */
    static boolean tracksGeneration(ResourceType type) {
        if (type == ResourceTypes.NAMESPACES || type == ResourceTypes.NODES) {
            return false;
        }
        try {
            type.javaType().getMethod("getSpec");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Resets what a client may not set at creation; runs after defaulting. */
    static void prepareForCreate(HasMetadata object) {
        switch (object) {
            case Pod p -> {
                PodStatus s = new PodStatus();
                s.setPhase("Pending");
                s.setQosClass(QosClasses.compute(p.getSpec()));
                p.setStatus(s);
            }
            case Service s -> s.setStatus(new ServiceStatus());
            case Job j -> j.setStatus(new JobStatus());
            case Namespace n -> prepareNamespace(n);
            default -> { }
        }
    }

    private static void prepareNamespace(Namespace n) {
        NamespaceStatus st = new NamespaceStatus();
        st.setPhase("Active");
        n.setStatus(st);
        NamespaceSpec spec = n.getSpec() == null ? new NamespaceSpec() : n.getSpec();
        List<String> finalizers = spec.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(spec.getFinalizers());
        if (!finalizers.contains("kubernetes")) {
            finalizers.add("kubernetes");
        }
        spec.setFinalizers(finalizers);
        n.setSpec(spec);
    }

    /** Whether a namespace is being deleted. */
    static boolean terminating(Namespace n) {
        return n.getMetadata().getDeletionTimestamp() != null
                || (n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase()));
    }
}
