package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What upstream's Go decoding of a request body does that Jackson's binding of the fabric8 model
 * does not, applied to the JSON tree before it is bound:
 *
 * <ul>
 *   <li>a {@code null} list element or map value becomes the element type's zero value (Go has no
 *       null struct in a slice: {@code containers: [null]} is a {@code Container{}}, so validation
 *       reports its empty name rather than the server failing on a null); objects become
 *       {@code {}}, strings {@code ""}, numbers {@code 0}, booleans {@code false}, quantities
 *       {@code "0"};</li>
 *   <li>every quantity is parsed as {@code resource.Quantity}'s JSON decoding does (a string or a
 *       bare number, surrounding spaces trimmed): a bad one fails the decoding with its message
 *       ({@code quantities must match the regular expression …}), whatever field it is in;</li>
 *   <li>times ({@code metav1.Time}, {@code metav1.MicroTime}) are parsed as Go's {@code time.Parse}
 *       does ({@link GoTimes}) and kept in the canonical UTC form the API server stores;</li>
 *   <li>the {@code []byte} fields ({@code Secret.data}, {@code ConfigMap.binaryData}) must be
 *       standard base64: otherwise {@code illegal base64 data at input byte N}, as Go's decoder says.</li>
 * </ul>
 *
 * <p>Types come from Jackson's view of the model classes, as {@link StrictDecoding} sees them.
 * Stateless and thread-safe.
 */
public final class GoDecoding {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The model's {@code metav1.Time} (false) and {@code metav1.MicroTime} (true) fields, which fabric8 keeps as text. */
    private static final Map<String, Boolean> TIMES = Map.ofEntries(Map.entry("creationTimestamp", false),
            Map.entry("deletionTimestamp", false), Map.entry("firstTimestamp", false), Map.entry("lastTimestamp", false),
            Map.entry("deprecatedFirstTimestamp", false), Map.entry("deprecatedLastTimestamp", false),
            Map.entry("lastHeartbeatTime", false), Map.entry("lastTransitionTime", false), Map.entry("lastProbeTime", false),
            Map.entry("startedAt", false), Map.entry("finishedAt", false), Map.entry("startTime", false),
            Map.entry("completionTime", false), Map.entry("lastUpdateTime", false), Map.entry("time", false),
            Map.entry("eventTime", true), Map.entry("renewTime", true), Map.entry("acquireTime", true),
            Map.entry("lastObservedTime", true));

    private GoDecoding() {}

    /**
     * Normalizes {@code body} in place.
     *
     * @return the decoding error as upstream words it (the text after {@code cannot be handled as
     *     a Kind: }), or empty when the body decodes
     */
    public static Optional<String> normalize(JsonNode body, Class<? extends HasMetadata> type) {
        try {
            walk(body, StrictDecoding.MAPPER.constructType(type));
            if (body instanceof ObjectNode o) {
                if (type == Secret.class) {
                    bytesMap(o.get("data"));
                } else if (type == ConfigMap.class) {
                    bytesMap(o.get("binaryData"));
                }
            }
            return Optional.empty();
        } catch (Failure f) {
            return Optional.of(f.getMessage());
        }
    }

    /** A decoding failure with upstream's text. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private static void walk(JsonNode node, JavaType type) {
        if (node == null || node.isNull() || type == null) {
            return;
        }
        Class<?> raw = type.getRawClass();
        if (raw == Quantity.class) {
            return; // checked by its holder, which may replace the node
        }
        if (type.isContainerType() && !type.isMapLikeType()) {
            if (node instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    a.set(i, element(a.get(i), type.getContentType()));
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node instanceof ObjectNode o) {
                o.properties().forEach(e -> e.setValue(element(e.getValue(), type.getContentType())));
            }
            return;
        }
        if (!(node instanceof ObjectNode o) || !StrictDecoding.isModelBean(raw)) {
            return;
        }
        if (raw == OwnerReference.class) {
            // fabric8 fills an absent apiVersion and kind with "v1" and "OwnerReference"; Go leaves them empty
            for (String typeMeta : new String[] {"apiVersion", "kind"}) {
                if (o.path(typeMeta).isNull() || o.path(typeMeta).isMissingNode()) {
                    o.put(typeMeta, "");
                }
            }
        }
        Map<String, JavaType> known = StrictDecoding.properties(type);
        o.properties().forEach(e -> {
            JavaType child = known.get(e.getKey());
            Boolean micro = TIMES.get(e.getKey());
            if (child != null && child.getRawClass() == Quantity.class) {
                e.setValue(quantity(e.getValue()));
            } else if (child != null && micro != null && e.getValue().isTextual()
                    && (!e.getKey().equals("time") || raw == ManagedFieldsEntry.class)) {
                e.setValue(time(e.getValue().textValue(), micro));
            } else {
                walk(e.getValue(), child);
            }
        });
    }

    /** A list element or map value: its zero value when null, else walked. */
    private static JsonNode element(JsonNode value, JavaType type) {
        if (value == null || value.isNull()) {
            JsonNode zero = zero(type);
            walk(zero, type);
            return zero;
        }
        if (type != null && type.getRawClass() == Quantity.class) {
            return quantity(value);
        }
        walk(value, type);
        return value;
    }

    private static JsonNode zero(JavaType type) {
        if (type == null) {
            return NODES.nullNode();
        }
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return NODES.textNode("");
        } else if (raw == Quantity.class) {
            return NODES.textNode("0");
        } else if (raw == IntOrString.class || raw == Integer.class || raw == Long.class || raw == Short.class) {
            return NODES.numberNode(0);
        } else if (raw == Double.class || raw == Float.class) {
            return NODES.numberNode(0.0);
        } else if (raw == Boolean.class) {
            return NODES.booleanNode(false);
        } else if (type.isMapLikeType() || StrictDecoding.isModelBean(raw)) {
            return NODES.objectNode();
        } else if (type.isContainerType() || Collection.class.isAssignableFrom(raw)) {
            return NODES.arrayNode();
        }
        return NODES.nullNode();
    }

    /** A quantity as {@code Quantity.UnmarshalJSON} reads it: null is zero, a string or number is parsed. */
    private static JsonNode quantity(JsonNode value) {
        if (value == null || value.isNull()) {
            return value;
        }
        String text;
        if (value.isTextual()) {
            text = value.textValue().strip();
        } else if (value.isIntegralNumber()) {
            text = value.bigIntegerValue().toString();
        } else if (value.isNumber()) {
            text = value.isBigDecimal() || Double.isFinite(value.doubleValue())
                    ? value.decimalValue().toString() : value.asText();
        } else {
            text = value.toString();
        }
        String problem = Quantities.problem(text);
        if (problem != null) {
            throw new Failure(problem);
        }
        return NODES.textNode(text);
    }

    private static JsonNode time(String text, boolean micro) {
        try {
            return NODES.textNode(GoTimes.canonical(text, micro));
        } catch (GoTimes.BadTime e) {
            throw new Failure(e.getMessage());
        }
    }

    private static void bytesMap(JsonNode map) {
        if (!(map instanceof ObjectNode o)) {
            return;
        }
        o.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                int at = base64Error(e.getValue().textValue().getBytes(StandardCharsets.UTF_8));
                if (at >= 0) {
                    throw new Failure("illegal base64 data at input byte " + at);
                }
            }
        });
    }

    /** Go's {@code base64.StdEncoding} decoding: the offset of the first illegal byte, or -1 when valid. */
    static int base64Error(byte[] src) {
        int si = 0;
        while (true) {
            int j = 0;
            while (j < 4) {
                if (si == src.length) {
                    return j == 0 ? -1 : si - j;
                }
                byte in = src[si++];
                if (isAlphabet(in)) {
                    j++;
                } else if (in != '\n' && in != '\r') {
                    return in != '=' || j < 2 ? si - 1 : padding(src, si, j);
                }
            }
        }
    }

    /** After a {@code =} at quantum position {@code j} (2 or 3): the rest must be padding and newlines only. */
    private static int padding(byte[] src, int si, int j) {
        if (j == 2) {
            si = skipNewlines(src, si);
            if (si == src.length) {
                return src.length;
            }
            if (src[si] != '=') {
                return si - 1;
            }
            si++;
        }
        si = skipNewlines(src, si);
        return si < src.length ? si : -1;
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
        }
        return si;
    }

    private static boolean isAlphabet(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
    }
}
