package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.WriteOptions;

/**
 * Applies a PATCH body to an object's JSON. The production engine delegates to
 * {@link io.podvisor.api.patch.Patches} and {@link io.podvisor.api.patch.ServerSideApply}; tests may
 * supply their own.
 */
interface PatchEngine {

    /**
     * @param live the current object's JSON (with its resourceVersion), or null for an apply that creates
     * @param now RFC 3339 seconds, for managed fields
     * @return the patched object's JSON (a new tree)
     * @throws io.podvisor.api.errors.ApiException on a malformed patch or an apply conflict
     */
    JsonNode apply(PatchType patchType, JsonNode live, byte[] body, ResourceType type, WriteOptions options, String now);
}
