package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List continuation tokens: base64 (URL-safe, unpadded) of
 * {@code {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<last key, relative to the type's prefix>"}}.
 * Opaque to clients.
 */
final class ContinueTokens {

    /** A decoded token. */
    record Token(long revision, String lastKey) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContinueTokens() {}

    static String encode(long revision, String relativeLastKey) {
        ObjectNode n = JSON.createObjectNode().put("v", "meta.k8s.io/v1").put("rv", revision).put("start", relativeLastKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiException.BadRequest when the token is not one of ours */
    static Token decode(String token) {
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (!"meta.k8s.io/v1".equals(n.path("v").asText()) || !n.path("rv").canConvertToLong() || !n.hasNonNull("start")) {
                throw new IllegalArgumentException("unknown token version");
            }
            return new Token(n.get("rv").asLong(), n.get("start").asText());
        } catch (Exception e) {
            throw new ApiException.BadRequest("invalid continue token: continue key is not valid: " + e.getMessage());
        }
    }
}
