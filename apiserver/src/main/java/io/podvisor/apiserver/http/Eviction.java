package io.podvisor.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.registry.Registry;
import java.io.IOException;

/**
 * The pod subresources that are a POST of a small object answered by a Success Status (201):
 * {@code pods/{name}/eviction}, a policy/v1 Eviction that becomes a delete with its
 * {@code deleteOptions}, validated as a DELETE's are (422 and nothing evicted when invalid); and
 * {@code pods/{name}/binding}, a v1 Binding that assigns the pod to its {@code target} node.
 */
final class Eviction {

    private Eviction() {}

    static void evict(Registry registry, Exchange ex, ResourcePath p) throws IOException {
        JsonNode body = Bodies.object(ex.header("Content-Type"), ex.body());
        String bodyName = body.path("metadata").path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(p.name())) {
            throw new ApiException.BadRequest("name in URL does not match name in Eviction object");
        }
        DeleteOptions options = null;
        if (body.hasNonNull("deleteOptions")) {
            try {
                options = Json.MAPPER.treeToValue(body.get("deleteOptions"), DeleteOptions.class);
            } catch (JsonProcessingException e) {
                throw new ApiException.BadRequest("unable to decode deleteOptions: " + e.getOriginalMessage());
            }
            WriteParams.validate(options);
        }
        registry.delete(p.type(), p.namespace(), p.name(), options);
        created(ex);
    }

    /**
     * As upstream's binding storage: the body's name must be the URL's, {@code target.kind} empty or
     * {@code Node} and {@code target.name} set (those two refused as an aggregate error, a 500
     * without a reason, as upstream returns them).
     */
    static void bind(Registry registry, Exchange ex, ResourcePath p) throws IOException {
        JsonNode body = Bodies.object(ex.header("Content-Type"), ex.body());
        if (!body.path("metadata").path("name").asText("").equals(p.name())) {
            throw new ApiException.BadRequest("name in URL does not match name in Binding object");
        }
        String kind = body.path("target").path("kind").asText("");
        String node = body.path("target").path("name").asText("");
        if (!kind.isEmpty() && !kind.equals("Node")) {
            throw new ApiException.Other(500, "",
                    "target.kind: Unsupported value: \"" + kind + "\": supported values: \"Node\", \"<empty>\"");
        }
        if (node.isEmpty()) {
            throw new ApiException.Other(500, "", "target.name: Required value");
        }
        registry.bind(p.namespace(), p.name(), node);
        created(ex);
    }

    private static void created(Exchange ex) throws IOException {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success");
        status.put("code", 201);
        ex.sendJson(201, status);
    }
}
