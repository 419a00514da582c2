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
    static ObjectNode status(Status status) {
        ObjectNode n = (ObjectNode) tree(status);
        ObjectNode out = object();
        out.put("kind", "Status");
        out.put("apiVersion", "v1");
        out.set("metadata", n.has("metadata") ? n.get("metadata") : object());
        n.properties().forEach(e -> {
            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion") && !e.getKey().equals("metadata")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }
}
