package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.patch.Patches;
import io.podvisor.api.patch.ServerSideApply;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import java.io.IOException;

/** The {@link PatchEngine} over the API module's patch implementations. */
final class StandardPatchEngine implements PatchEngine {

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Override
    public JsonNode apply(PatchType patchType, JsonNode live, byte[] body, ResourceType type, WriteOptions options, String now) {
        JsonNode patch = parse(patchType, body);
        return switch (patchType) {
            case JSON -> Patches.json(live, patch);
            case MERGE -> Patches.merge(live, patch);
            case STRATEGIC -> Patches.strategic(live, patch, type.apiVersion(), type.kind());
            case APPLY -> ServerSideApply.apply(live, patch,
                    options.fieldManager() == null ? "unknown" : options.fieldManager(), options.force(), now);
        };
    }

    private JsonNode parse(PatchType patchType, byte[] body) {
        try {
            return (patchType == PatchType.APPLY ? yaml : json).readTree(body);
        } catch (IOException e) {
            throw new ApiException.BadRequest("error decoding patch: " + e.getMessage());
        }
    }
}
