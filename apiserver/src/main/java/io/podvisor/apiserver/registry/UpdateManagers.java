package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.patch.ManagedFields;
import io.podvisor.api.resources.ResourceType;

/**
 * Records ordinary writes (create, update, non-apply patches) in {@code metadata.managedFields} as
 * {@code operation: Update} entries of the request's field manager, so a later server-side apply
 * sees who owns what. Writes without a field manager (in-process components) record nothing.
 */
final class UpdateManagers {

    private UpdateManagers() {}

    static void record(Context ctx, ResourceType type, HasMetadata before, HasMetadata after, String manager) {
        if (manager == null || manager.isBlank()) {
            return;
        }
        JsonNode result = ManagedFields.recordUpdate(before == null ? null : ctx.codec.tree(before),
                ctx.codec.tree(after), manager, type.apiVersion(), ctx.now());
        HasMetadata recorded = ctx.codec.fromTree(type, result);
        after.getMetadata().setManagedFields(recorded.getMetadata().getManagedFields());
    }
}
