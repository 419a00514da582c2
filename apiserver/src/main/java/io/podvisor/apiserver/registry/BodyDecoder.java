package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.validation.GoDecoding;
import io.podvisor.api.validation.GoTypes;
import io.podvisor.api.validation.StrictDecoding;
import io.podvisor.apiserver.registry.Registry.FieldValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request body into a typed object under a {@code fieldValidation} mode: Strict rejects
 * unknown fields with upstream's 400, Warn reports them as warnings, Ignore drops them (Warn drops
 * them too). The body's {@code apiVersion} must match the URL's; an absent kind/apiVersion is taken
 * from the URL.
 */
final class BodyDecoder {

    /** A decoded body and the warnings for the {@code Warning} header. */
    record Decoded(HasMetadata object, List<String> warnings) {}

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]");

    /** Finds the unknown fields of a body, as {@link StrictDecoding#unknownFields} does. */
    @FunctionalInterface
    interface UnknownFields {
        List<String> find(JsonNode body, Class<? extends HasMetadata> type);
    }

    private final ObjectCodec codec;
    private final UnknownFields unknownFields;

    BodyDecoder(ObjectCodec codec, UnknownFields unknownFields) {
        this.codec = codec;
        this.unknownFields = unknownFields;
    }

    /** The unknown fields of an object body, with their paths. */
    List<String> unknownFields(ResourceType type, JsonNode body) {
        return body == null || !body.isObject() ? List.of() : unknownFields.find(body, type.javaType());
    }

    Decoded decode(ResourceType type, JsonNode body, FieldValidation mode) {
        if (body == null || !body.isObject()) {
            throw cannotHandle(type, "the body is not a JSON object");
        }
        checkGroupVersionKind(type, body);
        ObjectNode tree = ((ObjectNode) body).deepCopy();
        GoTypes.firstMismatch(tree, type.javaType()).ifPresent(mismatch -> {
            throw cannotHandle(type, mismatch);
        });
        List<String> unknown = unknownFields.find(tree, type.javaType());
        List<String> warnings = new ArrayList<>();
        if (!unknown.isEmpty()) {
            FieldValidation m = mode == null ? FieldValidation.STRICT : mode;
            if (m == FieldValidation.STRICT) {
                throw cannotHandle(type, "strict decoding error: "
                        + String.join(", ", unknown.stream().map(p -> "unknown field \"" + p + "\"").toList()));
            }
            if (m == FieldValidation.WARN) {
                unknown.forEach(p -> warnings.add("unknown field \"" + p + "\""));
            }
            unknown.forEach(p -> remove(tree, p));
        }
        GoDecoding.normalize(tree, type.javaType()).ifPresent(problem -> {
            throw cannotHandle(type, problem);
        });
        try {
            return new Decoded(codec.fromTree(type, tree), List.copyOf(warnings));
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String msg = cause instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
            throw cannotHandle(type, msg);
        }
    }

    private static void checkGroupVersionKind(ResourceType type, JsonNode body) {
        String apiVersion = text(body, "apiVersion");
        if (apiVersion != null && !apiVersion.equals(type.apiVersion())) {
            throw new ApiException.BadRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        String kind = text(body, "kind");
        if (kind != null && !kind.equals(type.kind())) {
            throw new ApiException.BadRequest("the kind in the data (" + kind
                    + ") does not match the expected kind (" + type.kind() + ")");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    static ApiException cannotHandle(ResourceType type, String detail) {
        return new ApiException.BadRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                + type.kind() + ": " + detail);
    }

    /** Removes the field at an upstream-style path ({@code spec.containers[0].bar}) if present. */
    static void remove(JsonNode root, String path) {
        List<String> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            segments.add(m.group(1) != null ? m.group(1) : "[" + m.group(2));
        }
        JsonNode node = root;
        for (int i = 0; i < segments.size() - 1 && node != null; i++) {
            node = step(node, segments.get(i));
        }
        if (node instanceof ObjectNode o && !segments.isEmpty()) {
            o.remove(segments.getLast());
        }
    }

    private static JsonNode step(JsonNode node, String segment) {
        if (segment.startsWith("[")) {
            return node instanceof ArrayNode a ? a.get(Integer.parseInt(segment.substring(1))) : null;
        }
        return node.get(segment);
    }
}
