package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code events.k8s.io/v1} events and core {@code v1} events are one resource in one store, as
 * kube-apiserver keeps them: stored in the core form and converted on the way in and out, so an
 * event written through either API lists through both. The fields that differ are renamed as
 * upstream's conversion does ({@code regarding} ⇄ {@code involvedObject}, {@code note} ⇄
 * {@code message}, {@code reportingController} ⇄ {@code reportingComponent},
 * {@code deprecatedSource}/{@code deprecatedFirstTimestamp}/{@code deprecatedLastTimestamp}/
 * {@code deprecatedCount} ⇄ {@code source}/{@code firstTimestamp}/{@code lastTimestamp}/
 * {@code count}); the others have the same names in both.
 */
final class EventVersions {

    /** events.k8s.io/v1 field → core field. */
    private static final Map<String, String> TO_CORE = Map.of(
            "regarding", "involvedObject",
            "note", "message",
            "reportingController", "reportingComponent",
            "deprecatedSource", "source",
            "deprecatedFirstTimestamp", "firstTimestamp",
            "deprecatedLastTimestamp", "lastTimestamp",
            "deprecatedCount", "count");
    /** core field → events.k8s.io/v1 field. */
    private static final Map<String, String> TO_V1 = TO_CORE.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private EventVersions() {}

    /** The type whose keys hold {@code type}'s objects: core events for both event APIs. */
    static ResourceType storedAs(ResourceType type) {
        return type == ResourceTypes.EVENTS_V1 ? ResourceTypes.EVENTS : type;
    }

    /** An object's tree as stored: an events.k8s.io/v1 event in the core form. */
    static ObjectNode toStored(ResourceType type, ObjectNode tree) {
        if (type != ResourceTypes.EVENTS_V1) {
            return tree;
        }
        ObjectNode out = rename(tree, TO_CORE);
        out.put("kind", ResourceTypes.EVENTS.kind());
        out.put("apiVersion", ResourceTypes.EVENTS.apiVersion());
        return out;
    }

    /** A stored tree as {@code type} has it: the core form read as an events.k8s.io/v1 event. */
    static ObjectNode fromStored(ResourceType type, ObjectNode tree) {
        if (type != ResourceTypes.EVENTS_V1) {
            return tree;
        }
        return rename(tree, TO_V1);
    }

    private static ObjectNode rename(ObjectNode tree, Map<String, String> names) {
        ObjectNode out = tree.objectNode();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            out.set(names.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
        return out;
    }
}
