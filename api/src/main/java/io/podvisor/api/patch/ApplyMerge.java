package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges an applied configuration into a live object by the {@link MergeKeys} apply rules: maps
 * merge field by field, keyed lists element by element (new elements placed as a strategic merge
 * places them), sets as a union, and everything else (scalars, atomic lists) is replaced by the
 * configuration's value. Null values in the configuration are ignored. Never modifies its inputs.
 */
final class ApplyMerge {

    private final MergeKeys.Schema schema;

    ApplyMerge(MergeKeys.Schema schema) {
        this.schema = schema;
    }

    JsonNode merge(JsonNode live, JsonNode config) {
        return merge(live, config, "");
    }

    private JsonNode merge(JsonNode live, JsonNode config, String path) {
        if (config.isObject()) {
            ObjectNode out = live != null && live.isObject()
                    ? (ObjectNode) live.deepCopy() : JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : config.properties()) {
                if (!e.getValue().isNull()) {
                    out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue(), StrategicMerge.join(path, e.getKey())));
                }
            }
            return out;
        }
        if (config.isArray() && live != null && live.isArray()) {
            MergeKeys.ListRule rule = schema.list(path);
            return switch (rule.ssa()) {
                case KEYED -> mergeKeyed((ArrayNode) live, (ArrayNode) config, rule.ssaKeys(), path);
                case SET -> union((ArrayNode) live, (ArrayNode) config);
                case ATOMIC -> withoutNulls(config);
            };
        }
        return withoutNulls(config);
    }

    private ArrayNode mergeKeyed(ArrayNode live, ArrayNode config, List<String> keys, String path) {
        Function<JsonNode, JsonNode> identity = e -> {
            String token = ObjectFields.keyToken(e, keys);
            return token == null ? null : TextNode.valueOf(token);
        };
        List<JsonNode> merged = new ArrayList<>(StrategicMerge.elements(live));
        List<JsonNode> liveIds = merged.stream().map(identity).toList();
        List<JsonNode> wanted = new ArrayList<>();
        for (JsonNode e : config) {
            JsonNode id = identity.apply(e);
            wanted.add(id);
            int at = id == null ? -1 : liveIds.indexOf(id);
            if (at >= 0) {
                merged.set(at, merge(merged.get(at), e, path));
            } else {
                merged.add(merge(null, e, path));
            }
        }
        return StrategicMerge.array(ElementOrder.normalize(merged, wanted, liveIds, identity));
    }

    private static ArrayNode union(ArrayNode live, ArrayNode config) {
        ArrayNode out = live.deepCopy();
        for (JsonNode v : config) {
            if (!StrategicMerge.elements(out).contains(v)) {
                out.add(v.deepCopy());
            }
        }
        return out;
    }

    /** A copy of {@code node} without null map values at any depth. */
    static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    out.set(e.getKey(), withoutNulls(e.getValue()));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(withoutNulls(e)));
            return out;
        }
        return node.deepCopy();
    }
}
