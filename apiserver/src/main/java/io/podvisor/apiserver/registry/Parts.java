package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.Part;
import java.util.Objects;

/**
 * The split between an object's main part and its status: a MAIN write keeps the stored status,
 * a STATUS write keeps everything but the status. Kinds without a status subresource are written
 * whole. Also keeps what a main write may not drop (a service's cluster IP).
 */
final class Parts {

    private Parts() {}

    /** The object to store when {@code incoming} is written to {@code part} of {@code stored}. */
    static HasMetadata merge(ObjectCodec codec, ResourceType type, Part part, HasMetadata stored, HasMetadata incoming) {
        if (!KindRules.hasStatusPart(type)) {
            return incoming;
        }
        ObjectNode old = codec.tree(stored);
        ObjectNode neu = codec.tree(incoming);
        ObjectNode result;
        if (part == Part.STATUS) {
            result = old.deepCopy();
            copyField(neu, result, "status");
            ((ObjectNode) result.get("metadata")).set("resourceVersion", neu.path("metadata").get("resourceVersion"));
        } else {
            result = neu;
            copyField(old, result, "status");
        }
        HasMetadata merged = codec.fromTree(type, result);
        if (part == Part.MAIN) {
            keepClusterIp(stored, merged);
        }
        return merged;
    }

    private static void copyField(ObjectNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null || v.isNull()) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    private static void keepClusterIp(HasMetadata stored, HasMetadata merged) {
        if (!(stored instanceof Service old) || !(merged instanceof Service neu) || old.getSpec() == null) {
            return;
        }
        ServiceSpec spec = neu.getSpec() == null ? new ServiceSpec() : neu.getSpec();
        neu.setSpec(spec);
        if (spec.getClusterIP() == null || spec.getClusterIP().isEmpty()) {
            spec.setClusterIP(old.getSpec().getClusterIP());
        }
        if (spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty()) {
            spec.setClusterIPs(old.getSpec().getClusterIPs());
        }
        if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
            spec.setIpFamilies(old.getSpec().getIpFamilies());
        }
        if (spec.getIpFamilyPolicy() == null) {
            spec.setIpFamilyPolicy(old.getSpec().getIpFamilyPolicy());
        }
    }

    /** Whether the spec differs (deep JSON equality). */
    static boolean specChanged(ObjectCodec codec, HasMetadata a, HasMetadata b) {
        return !Objects.equals(codec.tree(a).get("spec"), codec.tree(b).get("spec"));
    }
}
