package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of a defaulted object, per kind, with upstream's messages and field paths (spec §13):
 * object metadata (names, labels, annotations), pods, jobs, services, config maps, secrets,
 * namespaces, endpoints, endpoint slices, leases, nodes, events. On update, {@code old} is the stored object
 * and immutability rules apply (e.g. {@code spec: Forbidden: pod updates may not change fields other than …}), and content errors
 * the stored object already had are not raised again (ratcheting).
 *
 * <p>Errors equal in text are reported once (upstream's aggregate drops repeats). Pure and
 * thread-safe; neither argument is modified.
 */
public final class Validation {

    private Validation() {}

    /**
     * @param object the defaulted object to validate
     * @param old the stored object on update, null on create
     * @return the errors in upstream's order, empty when valid
     */
    public static List<FieldError> validate(HasMetadata object, HasMetadata old) {
        List<FieldError> errs = new ArrayList<>();
        if (old != null && !(object instanceof Job)) {
            errs.addAll(MetaValidation.update(object.getMetadata(), old.getMetadata()));
        }
        errs.addAll(old == null ? create(object) : ratcheted(create(object), create(old)));
        if (old != null) {
            errs.addAll(update(object, old));
        }
        return distinct(errs);
    }

    private static List<FieldError> create(HasMetadata object) {
        return switch (object) {
            case Pod p -> PodValidation.pod(p);
            case Job j -> JobValidation.job(j);
            case Service s -> ServiceValidation.service(s);
            case ConfigMap c -> DataValidation.configMap(c);
            case Secret s -> DataValidation.secret(s);
            case Namespace n -> DataValidation.namespace(n);
            case Endpoints e -> NetworkValidation.endpoints(e);
            case EndpointSlice e -> NetworkValidation.endpointSlice(e);
            case Lease l -> NetworkValidation.lease(l);
            case Node n -> ClusterValidation.node(n);
            case Event e -> ClusterValidation.event(e);
            case io.fabric8.kubernetes.api.model.events.v1.Event e -> ClusterValidation.event(e);
            default -> MetaValidation.validate(object.getMetadata(), namespaced(object), MetaValidation.NameRule.SUBDOMAIN);
        };
    }

    /**
     * On update, the content errors the stored object already had are not raised again: an object
     * stored before a rule existed can still have its status written, its finalizers removed and
     * its other fields changed, while nothing new that the rule refuses gets in (upstream ratchets
     * its newer rules the same way, through options derived from the old object).
     */
    private static List<FieldError> ratcheted(List<FieldError> now, List<FieldError> before) {
        if (now.isEmpty() || before.isEmpty()) {
            return now;
        }
        java.util.Set<String> existing = new java.util.HashSet<>();
        before.forEach(e -> existing.add(e.toString()));
        return now.stream().filter(e -> !existing.contains(e.toString())).toList();
    }

    private static List<FieldError> update(HasMetadata object, HasMetadata old) {
        if (object.getClass() != old.getClass()) {
            return List.of();
        }
        return switch (object) {
            case Pod p -> PodUpdateValidation.update(p, (Pod) old);
            case Job j -> JobValidation.update(j, (Job) old);
            case Service s -> ServiceValidation.update(s, (Service) old);
            case ConfigMap c -> DataValidation.configMapUpdate(c, (ConfigMap) old);
            case Secret s -> DataValidation.secretUpdate(s, (Secret) old);
            default -> List.of();
        };
    }

    private static boolean namespaced(HasMetadata object) {
        return ResourceTypes.ALL_TYPES.stream().filter(t -> t.javaType() == object.getClass()).findFirst()
                .map(ResourceType::namespaced).orElse(true);
    }

    private static List<FieldError> distinct(List<FieldError> errs) {
        Map<String, FieldError> unique = new LinkedHashMap<>();
        errs.forEach(e -> unique.putIfAbsent(e.toString(), e));
        return List.copyOf(unique.values());
    }
}
