package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Strategic merge patch on JSON trees: maps merge recursively, {@code null} deletes a key, lists
 * merge per {@link MergeKeys} (by merge key, as a scalar set, or replaced whole), and the
 * directives {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>} act as upstream's {@code strategicpatch} package has
 * them act, with its error messages. Directives never reach the result.
 *
 * <p>Works on private copies: {@link #apply} never modifies its arguments.
 */
final class StrategicMerge {

    static final String DIRECTIVE = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final MergeKeys.Schema schema;

    StrategicMerge(MergeKeys.Schema schema) {
        this.schema = schema;
    }

    JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw bad("invalid JSON document");
        }
        ObjectNode base = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : NODES.objectNode();
        return mergeMap(base, ((ObjectNode) patch).deepCopy(), "");
    }

    /** Merges {@code patch} into {@code original}; both are owned copies and may be modified. */
    private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            switch (directive.asText()) {
                case "replace" -> {
                    patch.remove(DIRECTIVE);
                    return mergeMap(NODES.objectNode(), patch, path);
                }
                case "delete" -> {
                    return NODES.objectNode();
                }
                case "merge" -> patch.remove(DIRECTIVE);
                default -> throw bad("unknown patch type: " + directive.asText() + " in map: " + GoFormat.of(patch));
            }
        }
        retainKeys(original, patch);
        applyElementOrders(original, patch, path);
        for (String key : names(patch)) {
            JsonNode value = patch.get(key);
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, key.substring(DELETE_FROM_PRIMITIVE_LIST.length()), value);
            } else if (key.startsWith("$")) {
                throw bad("unknown patch directive \"" + key + "\" in map: " + GoFormat.of(patch));
            } else if (value.isNull()) {
                original.remove(key);
            } else {
                original.set(key, mergeValue(original.get(key), value, join(path, key)));
            }
        }
        return original;
    }

    private JsonNode mergeValue(JsonNode current, JsonNode value, String path) {
        if (value.isObject()) {
            ObjectNode base = current != null && current.isObject() ? (ObjectNode) current : NODES.objectNode();
            return mergeMap(base, (ObjectNode) value, path);
        }
        if (value.isArray()) {
            ArrayNode base = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
            return mergeList(base, (ArrayNode) value, path);
        }
        return value;
    }

    private ArrayNode mergeList(ArrayNode original, ArrayNode patch, String path) {
        for (JsonNode e : patch) {
            if (e.isArray()) {
                throw bad("lists of lists are not supported");
            }
        }
        MergeKeys.ListRule rule = schema.list(path);
        return switch (rule.smp()) {
            case KEYED -> mergeKeyed(original, patch, rule.mergeKey(), path);
            case SET -> mergeScalars(original, patch);
            case ATOMIC -> replaceList(patch, path);
        };
    }

    /** An atomic list: the patch's list, less a {@code $patch: replace} marker. */
    private static ArrayNode replaceList(ArrayNode patch, String path) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode e : patch) {
            JsonNode d = e.isObject() ? e.get(DIRECTIVE) : null;
            if (d == null) {
                out.add(e);
            } else if (!"replace".equals(d.asText())) {
                throw bad("cannot apply $patch: " + d.asText() + " to " + path + ": the list has no merge key");
            }
        }
        return out;
    }

    private static ArrayNode mergeScalars(ArrayNode original, ArrayNode patch) {
        List<JsonNode> values = new ArrayList<>();
        boolean replace = false;
        for (JsonNode e : patch) {
            if (e.isObject()) {
                JsonNode d = e.get(DIRECTIVE);
                if (d == null || !"replace".equals(d.asText())) {
                    throw bad("invalid patch format of primitive list");
                }
                replace = true;
            } else {
                values.add(e);
            }
        }
        if (replace) {
            return array(distinct(values));
        }
        List<JsonNode> live = elements(original);
        List<JsonNode> all = new ArrayList<>(live);
        all.addAll(values);
        return array(ElementOrder.normalize(distinct(all), values, live, Function.identity()));
    }

    private ArrayNode mergeKeyed(ArrayNode original, ArrayNode patch, String key, String path) {
        List<JsonNode> merged = elements(original);
        List<ObjectNode> items = new ArrayList<>();
        boolean replace = false;
        for (JsonNode e : patch) {
            if (!e.isObject()) {
                throw bad("invalid patch: the elements of " + path + " must be maps with merge key " + key);
            }
            JsonNode d = e.get(DIRECTIVE);
            if (d == null) {
                items.add((ObjectNode) requireKey(e, key));
                continue;
            }
            switch (d.asText()) {
                case "delete" -> {
                    JsonNode v = requireKey(e, key).get(key);
                    merged.removeIf(x -> v.equals(x.get(key)));
                }
                case "replace" -> replace = true;
                case "merge" -> throw bad("merging lists cannot yet be specified in the patch");
                default -> throw bad("unknown patch type: " + d.asText() + " in map: " + GoFormat.of(e));
            }
        }
        if (replace) {
            return array(items.stream().map(i -> (JsonNode) mergeMap(NODES.objectNode(), i, path)).toList());
        }
        List<JsonNode> live = merged.stream().map(x -> x.get(key)).toList();
        for (ObjectNode item : items) {
            JsonNode id = item.get(key);
            int at = -1;
            for (int i = 0; i < merged.size() && at < 0; i++) {
                at = id.equals(merged.get(i).get(key)) ? i : -1;
            }
            JsonNode current = at >= 0 ? merged.get(at) : null;
            ObjectNode base = current != null && current.isObject() ? (ObjectNode) current : NODES.objectNode();
            ObjectNode result = mergeMap(base, item, path);
            if (at < 0) {
                merged.add(result);
            } else {
                merged.set(at, result);
            }
        }
        List<JsonNode> wanted = items.stream().map(i -> i.get(key)).toList();
        return array(ElementOrder.normalize(merged, wanted, live, x -> x.get(key)));
    }

    /** {@code $retainKeys}: drop every original key the list does not name. */
    private static void retainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode keys = patch.remove(RETAIN_KEYS);
        if (keys == null) {
            return;
        }
        if (!keys.isArray()) {
            throw bad("invalid patch format of retainKeys");
        }
        Set<String> retained = new HashSet<>();
        for (JsonNode k : keys) {
            if (!k.isTextual()) {
                throw bad("invalid patch format of retainKeys");
            }
            retained.add(k.asText());
        }
        for (String name : names(patch)) {
            boolean directive = name.startsWith(DELETE_FROM_PRIMITIVE_LIST) || name.startsWith(SET_ELEMENT_ORDER);
            if (!patch.get(name).isNull() && !directive && !retained.contains(name)) {
                throw bad("invalid patch format of retainKeys");
            }
        }
        for (String name : names(original)) {
            if (!retained.contains(name)) {
                original.remove(name);
            }
        }
    }

    /** {@code $setElementOrder/<list>}: merge that list now, then order it as the directive says. */
    private void applyElementOrders(ObjectNode original, ObjectNode patch, String path) {
        for (String name : names(patch)) {
            if (!name.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(name);
            String field = name.substring(SET_ELEMENT_ORDER.length());
            JsonNode patchList = patch.get(field);
            if (!order.isArray() || patchList != null && !patchList.isArray() && !patchList.isNull()) {
                throw bad("invalid patch format of setElementOrder list");
            }
            if (patchList != null && patchList.isNull()) {
                continue;
            }
            patch.remove(field);
            String child = join(path, field);
            JsonNode current = original.get(field);
            ArrayNode live = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
            MergeKeys.ListRule rule = schema.list(child);
            boolean keyed = rule.smp() == MergeKeys.Strategy.KEYED;
            Function<JsonNode, JsonNode> identity = keyed ? e -> e.get(rule.mergeKey()) : Function.identity();
            List<JsonNode> liveIds = elements(live).stream().map(identity).toList();
            List<JsonNode> wanted = new ArrayList<>();
            for (JsonNode o : order) {
                wanted.add(keyed ? requireKey(o, rule.mergeKey()).get(rule.mergeKey()) : o);
            }
            ArrayNode merged = patchList == null ? live : mergeList(live, (ArrayNode) patchList, child);
            List<JsonNode> sorted = ElementOrder.normalize(elements(merged), wanted, liveIds, identity);
            original.set(field, array(sorted));
        }
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode values) {
        if (!values.isArray()) {
            throw bad("invalid patch format of primitive list");
        }
        JsonNode current = original.get(field);
        if (current == null || !current.isArray()) {
            return;
        }
        List<JsonNode> remove = elements((ArrayNode) values);
        original.set(field, array(elements((ArrayNode) current).stream().filter(e -> !remove.contains(e)).toList()));
    }

    private static JsonNode requireKey(JsonNode element, String key) {
        if (!element.isObject() || element.get(key) == null) {
            throw bad("map: " + GoFormat.of(element) + " does not contain declared merge key: " + key);
        }
        return element;
    }

    private static List<String> names(ObjectNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<JsonNode> elements(ArrayNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    static ArrayNode array(List<JsonNode> elements) {
        ArrayNode out = NODES.arrayNode();
        elements.forEach(out::add);
        return out;
    }

    private static List<JsonNode> distinct(List<JsonNode> values) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static ApiException.BadRequest bad(String message) {
        return new ApiException.BadRequest(message);
    }
}
