package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.podvisor.api.errors.ApiException;

/**
 * Applies a patch document to an object's JSON. Pure functions: the inputs are not modified and a
 * new tree is returned. A malformed patch or one that cannot apply is an
 * {@link ApiException.BadRequest}; a JSON patch whose operations do not apply (a failed
 * {@code test}, a missing path) is 422 as upstream answers it ({@link ApiException.Unprocessable});
 * nothing is half-applied.
 */
public final class Patches {

    private Patches() {}

    /** RFC 6902 JSON patch ({@code patch} is an array of operations). */
    public static JsonNode json(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            String type = patch == null || patch.isNull() ? "null" : patch.isObject() ? "object"
                    : patch.isTextual() ? "string" : patch.isNumber() ? "number" : "bool";
            throw new ApiException.BadRequest("json: cannot unmarshal " + type + " into Go value of type jsonpatch.Patch");
        }
        try {
            return JsonPatch.apply(patch, target == null ? JsonNodeFactory.instance.nullNode() : target);
        } catch (JsonPatchException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new ApiException.Unprocessable("the server rejected our request due to an error in our request",
                    e.getMessage());
        }
    }

    /** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
    public static JsonNode merge(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ApiException.BadRequest("Invalid JSON Patch");
        }
        return mergeValue(target, patch);
    }

    private static JsonNode mergeValue(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? (ObjectNode) target.deepCopy() : JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergeValue(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    /**
     * Strategic merge patch for a built-in kind ({@code apiVersion}/{@code kind} choose the merge
     * keys, e.g. containers by name, ports by containerPort), with the directives kubectl sends:
     * {@code $patch: delete|replace|merge}, {@code $setElementOrder/<list>},
     * {@code $deleteFromPrimitiveList/<list>}, {@code $retainKeys}; null deletes a key.
     *
     * <p>A kind {@link MergeKeys} does not know (a custom resource) merges its {@code metadata}
     * lists as for every object and replaces all other lists whole, as a merge patch would;
     * directives still apply. (Upstream rejects a strategic merge patch for custom resources;
     * kubectl sends them merge patches, so either way the result is the same for kubectl.)
     */
    public static JsonNode strategic(JsonNode target, JsonNode patch, String apiVersion, String kind) {
        return new StrategicMerge(MergeKeys.forKind(apiVersion, kind)).apply(target, patch);
    }
}
