package io.podvisor.apiserver.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Status;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON (and YAML, for request bodies) codecs of the HTTP front. */
final class Json {

    static final ObjectMapper MAPPER = io.podvisor.api.Yaml.newJsonMapper();
    static final ObjectMapper YAML = io.podvisor.api.Yaml.newYamlMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode tree(Object o) {
        return MAPPER.valueToTree(o);
    }

    static byte[] bytes(Object o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Status as kubectl expects it: {@code kind}, {@code apiVersion} and an (empty)
     * {@code metadata} always present.
     */
    private static final List<String> STATUS_FIELDS = List.of("status", "message", "reason", "details", "code");
    private static final List<String> DETAILS_FIELDS =
            List.of("name", "group", "kind", "uid", "causes", "retryAfterSeconds");

    static ObjectNode status(Status status) {
        ObjectNode n = (ObjectNode) tree(status);
        ObjectNode out = object();
        out.put("kind", "Status");
        out.put("apiVersion", "v1");
        out.set("metadata", n.has("metadata") ? n.get("metadata") : object());
        // the rest in the order of Go's Status and StatusDetails structs, as kube-apiserver writes them
        if (n.get("details") instanceof ObjectNode details) {
            n.set("details", inOrder(details, DETAILS_FIELDS, object()));
        }
        return inOrder(n, STATUS_FIELDS, out);
    }

    /** Copies {@code from}'s fields into {@code to}: those named first, in that order, then the others. */
    private static ObjectNode inOrder(ObjectNode from, List<String> order, ObjectNode to) {
        for (String field : order) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
        from.properties().forEach(e -> {
            if (!to.has(e.getKey())) {
                to.set(e.getKey(), e.getValue());
            }
        });
        return to;
    }
}
