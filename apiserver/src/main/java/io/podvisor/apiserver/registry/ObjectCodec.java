package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Object ⇄ stored bytes and object ⇄ JSON tree. Stored values are the object's JSON without
 * {@code metadata.resourceVersion}; objects read back carry the entry's {@code modRevision} as
 * their resourceVersion and the type's {@code kind}/{@code apiVersion}.
 *
 * <p>Thread-safety: stateless apart from a thread-safe mapper shared by all instances.
 */
final class ObjectCodec {

    /**
     * One mapper for every codec: its serializers are built once per type and then cached, which
     * would otherwise be paid again by every registry made (each test's API, say).
     */
    private static final ObjectMapper MAPPER = io.podvisor.api.Yaml.newJsonMapper();

    /** The stored form: JSON with kind/apiVersion set and no resourceVersion. */
    byte[] encode(ResourceType type, HasMetadata object) {
        ObjectNode tree = tree(object);
        tree.put("kind", type.kind());
        tree.put("apiVersion", type.apiVersion());
        tree = EventVersions.toStored(type, tree);
        JsonNode meta = tree.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("resourceVersion");
        }
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object of an entry, with its resourceVersion, kind and apiVersion. */
    HasMetadata decode(ResourceType type, Store.Entry entry) {
        try {
            ObjectNode tree = EventVersions.fromStored(type, (ObjectNode) MAPPER.readTree(entry.value()));
            ObjectNode meta = tree.has("metadata") ? (ObjectNode) tree.get("metadata") : tree.putObject("metadata");
            meta.put("resourceVersion", Long.toString(entry.modRevision()));
            return fromTree(type, tree);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt value at " + entry.key(), e);
        }
    }

    /** The object's JSON tree (a fresh tree the caller may modify). */
    ObjectNode tree(Object object) {
        return MAPPER.valueToTree(object);
    }

    /** A typed object from a tree, with kind/apiVersion forced to the type's. */
    HasMetadata fromTree(ResourceType type, JsonNode tree) {
        ObjectNode copy = tree.isObject() ? ((ObjectNode) tree).deepCopy() : JsonNodeFactory.instance.objectNode();
        copy.put("kind", type.kind());
        copy.put("apiVersion", type.apiVersion());
        try {
            return MAPPER.treeToValue(copy, type.javaType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy through JSON, with kind/apiVersion set. */
    HasMetadata copy(ResourceType type, HasMetadata object) {
        return fromTree(type, tree(object));
    }

    /** An object of the type carrying only {@code metadata.resourceVersion} (watch bookmarks). */
    HasMetadata bookmark(ResourceType type, long revision) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return fromTree(type, tree);
    }

    /** The same object with a different resourceVersion (a deleted object at its deletion revision). */
    HasMetadata withRevision(ResourceType type, HasMetadata object, long revision) {
        HasMetadata copy = copy(type, object);
        copy.getMetadata().setResourceVersion(Long.toString(revision));
        return copy;
    }
}
