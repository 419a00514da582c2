package io.podvisor.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.validation.GoTypes;
import io.podvisor.apiserver.registry.JsonScan;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Decodes request bodies: JSON by default, YAML for {@code application/yaml}, Kubernetes protobuf
 * for the types {@link ProtobufBodies} knows (a protobuf body with a field its schema table lacks is
 * 415 naming the fields, rather than an object stored without them); anything else is
 * 415, malformed input is 400 with upstream's wording ({@code couldn't get version/kind; json
 * parse error: ...}).
 */
final class Bodies {

    static final String UNKNOWN_FORMAT = "the body of the request was in an unknown format - accepted media types include: "
            + "application/json, application/yaml";

    private Bodies() {}

    /** The body of a create or update as a JSON object tree. */
    static JsonNode object(String contentType, byte[] body) {
        if (ProtobufBodies.isProtobuf(contentType)) {
            ProtobufBodies.Decoded decoded = ProtobufBodies.decode(body, UNKNOWN_FORMAT);
            if (!decoded.skipped().isEmpty()) {
                // never store an object with fields quietly dropped: the client can send it as JSON
                throw new ApiException.UnsupportedMediaType(UNKNOWN_FORMAT + " (protobuf fields not decoded here: "
                        + String.join(", ", decoded.skipped()) + ")");
            }
            return decoded.object();
        }
        boolean yaml = isYaml(contentType);
        if (!yaml && !isJson(contentType)) {
            throw new ApiException.UnsupportedMediaType(UNKNOWN_FORMAT);
        }
        String format = yaml ? "yaml" : "json";
        if (body.length == 0) {
            throw new ApiException.BadRequest("couldn't get version/kind; " + format + " parse error: unexpected end of JSON input");
        }
        JsonNode node = parse(yaml ? Json.YAML : Json.MAPPER, body, format);
        if (node == null || !node.isObject()) {
            String what = node == null ? "null" : GoTypes.kind(node);
            throw new ApiException.BadRequest("couldn't get version/kind; " + format + " parse error: json: cannot unmarshal "
                    + what + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                    + "Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        return node;
    }

    /**
     * What upstream's strict decoding says of the keys a body of a create or update repeats
     * ({@link JsonScan#duplicates}): for JSON {@code duplicate field "metadata.name"} per key; for
     * YAML one {@code error converting YAML to JSON: yaml: unmarshal errors:} listing {@code line N:
     * key "name" already set in map}; none for protobuf. Call after {@link #object} accepted the body.
     */
    static List<String> duplicateFields(String contentType, byte[] body) {
        if (ProtobufBodies.isProtobuf(contentType) || !(isJson(contentType) || isYaml(contentType))) {
            return List.of();
        }
        try {
            if (isJson(contentType)) {
                return JsonScan.duplicates(Json.MAPPER.getFactory(), body).stream()
                        .map(d -> "duplicate field \"" + d.path() + "\"").toList();
            }
            List<JsonScan.Duplicate> found = JsonScan.duplicates(Json.YAML.getFactory(), body);
            if (found.isEmpty()) {
                return List.of();
            }
            return List.of("error converting YAML to JSON: yaml: unmarshal errors:" + found.stream()
                    .map(d -> "\n  line " + d.line() + ": key " + FieldError.quote(d.key()) + " already set in map")
                    .collect(java.util.stream.Collectors.joining()));
        } catch (IOException e) {
            return List.of(); // object() has already refused what does not parse
        }
    }

    /** An optional options body (DELETE, eviction): empty → null. */
    static <T> T options(String contentType, byte[] body, Class<T> type) {
        if (body.length == 0) {
            return null;
        }
        JsonNode node = object(contentType == null ? "application/json" : contentType, body);
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ApiException.BadRequest("unable to decode " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] body, String format) {
        try (com.fasterxml.jackson.core.JsonParser p = mapper.getFactory().createParser(body)) {
            JsonNode node = mapper.readTree(p);
            if (mapper == Json.MAPPER) {
                String trailing = JsonScan.trailing(body, p.currentLocation().getByteOffset());
                if (trailing != null) {
                    throw new ApiException.BadRequest("couldn't get version/kind; json parse error: " + trailing);
                }
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException.BadRequest("couldn't get version/kind; " + format + " parse error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException.BadRequest("couldn't get version/kind; " + format + " parse error: " + e.getMessage());
        }
    }

    static String base(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    static boolean isYaml(String contentType) {
        String b = base(contentType);
        return b.equals("application/yaml") || b.equals("application/apply-patch+yaml");
    }

    private static boolean isJson(String contentType) {
        String b = base(contentType);
        return b.isEmpty() || b.equals("application/json");
    }
}
