package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.Yaml;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the fields of a request body that the kind's schema does not know, for
 * {@code fieldValidation=Strict} (400 {@code strict decoding error: unknown field "spec.foo"}) and
 * {@code Warn} ({@code Warning: 299 - "unknown field \"spec.foo\""}).
 *
 * <p>The schema is the fabric8 model class as Jackson sees it: each bean's deserializable
 * properties. Maps accept any key (their values are walked by the value type); types with their own
 * deserializer ({@code IntOrString}, {@code Quantity}) and untyped values accept anything. The
 * property sets are cached per class; the class is thread-safe.
 */
public final class StrictDecoding {

    static final ObjectMapper MAPPER = Yaml.newJsonMapper();
    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private StrictDecoding() {}

    /**
     * @return the unknown fields' paths as upstream prints them ({@code spec.foo},
     *     {@code spec.containers[0].bar}), in document order; empty when all are known
     */
    public static List<String> unknownFields(JsonNode body, Class<? extends HasMetadata> type) {
        List<String> out = new ArrayList<>();
        walk(body, MAPPER.constructType(type), "", out);
        return out;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> out) {
        if (node == null || node.isNull() || type == null) {
            return;
        }
        if (type.isContainerType() && !type.isMapLikeType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), type.getContentType(), path + "[" + i + "]", out);
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                node.properties().forEach(e -> walk(e.getValue(), type.getContentType(),
                        path + "[" + e.getKey() + "]", out));
            }
            return;
        }
        if (!node.isObject() || !isModelBean(type.getRawClass())) {
            return;
        }
        Map<String, JavaType> known = properties(type);
        if (known.isEmpty()) {
            return; // free-form objects such as FieldsV1 or RawExtension
        }
        node.properties().forEach(e -> {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            boolean typeMeta = path.isEmpty() && (e.getKey().equals("apiVersion") || e.getKey().equals("kind"));
            if (!known.containsKey(e.getKey()) && !typeMeta) {
                out.add(child);
            } else if (!typeMeta) {
                walk(e.getValue(), known.get(e.getKey()), child, out);
            }
        });
    }

    /** A generated model class decoded property by property (not by a custom deserializer). */
    static boolean isModelBean(Class<?> c) {
        if (!c.getName().startsWith("io.fabric8.kubernetes.api.model") || c.isEnum() || c.isInterface()) {
            return false;
        }
        JsonDeserialize custom = c.getAnnotation(JsonDeserialize.class);
        return custom == null || custom.using() == JsonDeserializer.None.class;
    }

    static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(type.getRawClass(), c -> {
            BeanDescription d = MAPPER.getDeserializationConfig().introspect(type);
            Map<String, JavaType> props = new HashMap<>();
            for (BeanPropertyDefinition p : d.findProperties()) {
                if (p.couldDeserialize() && !p.getName().equals("additionalProperties")) {
                    props.put(p.getName(), p.getPrimaryType());
                }
            }
            return Collections.unmodifiableMap(props);
        });
    }
}
