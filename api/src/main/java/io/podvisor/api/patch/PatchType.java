package io.podvisor.api.patch;

import java.util.Optional;

/** The PATCH content types the API accepts. */
public enum PatchType {
    JSON("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    private final String contentType;

    PatchType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The type for a Content-Type header value (parameters such as charset ignored). */
    public static Optional<PatchType> of(String contentTypeHeader) {
        if (contentTypeHeader == null) {
            return Optional.empty();
        }
        String base = contentTypeHeader.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (PatchType t : values()) {
            if (t.contentType.equals(base)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
