package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.Yaml;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Requests as kubectl sends them, for harnesses that drive the {@link Registry} directly: the YAML
 * of an object turned into the JSON body, the type and the namespace of {@code kubectl create -f}.
 */
public final class KubectlRequests {

    private static final ObjectMapper YAML = Yaml.newYamlMapper();

    private KubectlRequests() {
    }

    /** One create request: hand it to {@link Registry#create} (the body may be changed first). */
    public record Create(ResourceType type, String namespace, ObjectNode body) {}

    /**
     * The request {@code kubectl create -f} makes for {@code yaml}: its namespace is the one the YAML
     * names, else {@code defaultNamespace} (null for cluster-scoped types).
     *
     * @throws IllegalArgumentException when the YAML is no object of a served kind
     */
    public static Create create(String yaml, String defaultNamespace) {
        JsonNode body;
        try {
            body = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(body instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not an object: " + yaml);
        }
        ResourceType type = ResourceTypes.byKind(body.path("apiVersion").asText(), body.path("kind").asText())
                .orElseThrow(() -> new IllegalArgumentException("not a served kind: " + body.path("kind")));
        String ns = type.namespaced() ? body.path("metadata").path("namespace").asText(defaultNamespace) : null;
        return new Create(type, ns, object);
    }
}
