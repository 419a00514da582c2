package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.errors.ApiException;

/**
 * Applies a patch document to an object's JSON. Pure functions: the inputs are not modified and a
 * new tree is returned. A malformed patch or one that cannot apply is an
 * {@link ApiException.BadRequest} (JSON patch {@code test} failures and bad paths included);
 * nothing is half-applied.
 */
public final class Patches {

    private Patches() {}

    /** RFC 6902 JSON patch ({@code patch} is an array of operations). */
    public static JsonNode json(JsonNode target, JsonNode patch) {
        throw new UnsupportedOperationException("not yet");
    }

    /** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
    public static JsonNode merge(JsonNode target, JsonNode patch) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Strategic merge patch for a built-in kind ({@code apiVersion}/{@code kind} choose the merge
     * keys, e.g. containers by name, ports by containerPort), with the directives kubectl sends:
     * {@code $patch: delete|replace|merge}, {@code $setElementOrder/<list>},
     * {@code $deleteFromPrimitiveList/<list>}, {@code $retainKeys}; null deletes a key.
     */
    public static JsonNode strategic(JsonNode target, JsonNode patch, String apiVersion, String kind) {
        throw new UnsupportedOperationException("not yet");
    }
}
