package io.podvisor.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.registry.Registry;
import java.io.IOException;

/** {@code POST pods/{name}/eviction}: a policy/v1 Eviction becomes a delete with its {@code deleteOptions}, validated as a
 * DELETE's are (422 and nothing evicted when invalid); 201 with a Success Status. */
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
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success");
        status.put("code", 201);
        ex.sendJson(201, status);
    }
}
