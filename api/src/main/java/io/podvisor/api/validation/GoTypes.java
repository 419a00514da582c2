package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON type mismatches Go's decoding refuses and Jackson's binding of the fabric8 model
 * coerces silently (a number or boolean into a string, a string into an integer, a fraction into
 * an integer, a scalar where an object or list belongs): the first one in document order, worded as
 * Go's {@code json.UnmarshalTypeError} ({@code json: cannot unmarshal number into Go struct field
 * ObjectMeta.metadata.labels of type string}: the innermost struct's type, the JSON field path
 * without list indexes or map keys, the Go type). {@code null} is every type's zero value and
 * passes; quantities, int-or-strings, durations, times and free-form values are left to their
 * own decoding.
 * Stateless and thread-safe.
 */
public final class GoTypes {

    private static final Map<Class<?>, String> SCALARS = Map.of(String.class, "string", Integer.class, "int32",
            Long.class, "int64", Boolean.class, "bool", Double.class, "float64", Float.class, "float32");

    /** Model classes Go decodes with their own unmarshalers (strings or numbers, free-form JSON). */
    private static final java.util.Set<String> OWN_DECODING = java.util.Set.of("IntOrString", "Quantity", "Duration",
            "MicroTime", "Time", "RawExtension", "FieldsV1");

    private GoTypes() {}

    /** The first mismatch of {@code body} against {@code type}'s model, as Go's error reads. */
    public static Optional<String> firstMismatch(JsonNode body, Class<? extends HasMetadata> type) {
        JavaType root = TypeFactory.defaultInstance().constructType(type);
        return bean(body, root, "");
    }

    private static Optional<String> bean(JsonNode node, JavaType type, String path) {
        Map<String, JavaType> known = StrictDecoding.properties(type);
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JavaType t = known.get(e.getKey());
            if (t == null) {
                continue; // unknown fields are StrictDecoding's
            }
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            Optional<String> m = value(e.getValue(), t, type.getRawClass().getSimpleName(), child);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(JsonNode node, JavaType type, String struct, String path) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        Class<?> raw = type.getRawClass();
        String scalar = SCALARS.get(raw);
        if (scalar != null) {
            return scalar(node, raw, scalar).map(v -> error(v, struct, path, scalar));
        }
        if (type.isMapLikeType()) {
            if (!node.isObject()) {
                return Optional.of(error(kind(node), struct, path, goName(type)));
            }
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                Optional<String> m = value(it.next().getValue(), type.getContentType(), struct, path);
                if (m.isPresent()) {
                    return m;
                }
            }
            return Optional.empty();
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (!node.isArray()) {
                return Optional.of(error(kind(node), struct, path, goName(type)));
            }
            for (JsonNode element : node) {
                Optional<String> m = value(element, type.getContentType(), struct, path);
                if (m.isPresent()) {
                    return m;
                }
            }
            return Optional.empty();
        }
        if (StrictDecoding.isModelBean(raw) && !OWN_DECODING.contains(raw.getSimpleName())
                && !StrictDecoding.properties(type).isEmpty()) {
            if (!node.isObject()) {
                return Optional.of(error(kind(node), struct, path, goName(type)));
            }
            return bean(node, type, path);
        }
        return Optional.empty();
    }

    /** What Go calls the value when it does not fit a scalar, or empty when it fits. */
    private static Optional<String> scalar(JsonNode node, Class<?> raw, String goType) {
        if (raw == String.class) {
            return node.isTextual() ? Optional.empty() : Optional.of(kind(node));
        }
        if (raw == Boolean.class) {
            return node.isBoolean() ? Optional.empty() : Optional.of(kind(node));
        }
        if (!node.isNumber()) {
            return Optional.of(kind(node));
        }
        if (raw == Double.class || raw == Float.class) {
            return Optional.empty();
        }
        boolean fits = node.isIntegralNumber() && (raw == Long.class ? node.canConvertToLong() : node.canConvertToInt());
        return fits ? Optional.empty() : Optional.of("number " + node.asText());
    }

    /** What Go's JSON decoder calls a value's kind in its type errors: string, number, bool, array, object or null. */
    public static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return node.isArray() ? "array" : "object";
    }

    private static String goName(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (SCALARS.containsKey(raw)) {
            return SCALARS.get(raw);
        }
        if (type.isMapLikeType()) {
            return "map[string]" + goName(type.getContentType());
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return "[]" + goName(type.getContentType());
        }
        return "v1." + raw.getSimpleName();
    }

    private static String error(String value, String struct, String path, String goType) {
        return "json: cannot unmarshal " + value + " into Go struct field " + struct + "." + path + " of type " + goType;
    }
}
