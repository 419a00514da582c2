package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Server-side apply ({@code application/apply-patch+yaml}): merges the applied configuration into
 * the live object, records the field manager in {@code metadata.managedFields} (operation
 * {@code Apply}, {@code fieldsV1} of the applied fields), and detects conflicts with fields owned
 * by other managers unless forced.
 */
public final class ServerSideApply {

    private ServerSideApply() {}

    /**
     * @param live the current object's JSON, or null when the object does not exist yet
     * @param applied the applied configuration (full object JSON)
     * @param manager the field manager, e.g. {@code kubectl}
     * @param force whether to take ownership of conflicting fields
     * @param now the timestamp for the managedFields entry (RFC 3339 seconds)
     * @return the merged object JSON, managedFields updated
     * @throws io.podvisor.api.errors.ApiException.Conflict on field conflicts when not forced
     */
    public static JsonNode apply(JsonNode live, JsonNode applied, String manager, boolean force, String now) {
        throw new UnsupportedOperationException("not yet");
    }
}
