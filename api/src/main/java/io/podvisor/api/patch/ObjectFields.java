package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field paths of an object for server-side apply (which fields a write sets, per the
 * {@link MergeKeys} apply rules), and lookup and removal of a value by path.
 *
 * <p>Fields nobody owns are left out, as upstream strips them: {@code apiVersion}, {@code kind},
 * {@code status}, and {@code metadata.name}, {@code namespace}, {@code uid},
 * {@code resourceVersion}, {@code generation}, {@code creationTimestamp}, {@code selfLink},
 * {@code managedFields}.
 */
final class ObjectFields {

    private static final Set<List<String>> UNOWNED = Set.of(List.of("f:apiVersion"), List.of("f:kind"),
            List.of("f:status"), meta("name"), meta("namespace"), meta("uid"), meta("resourceVersion"),
            meta("generation"), meta("creationTimestamp"), meta("selfLink"), meta("managedFields"));

    private final MergeKeys.Schema schema;

    ObjectFields(MergeKeys.Schema schema) {
        this.schema = schema;
    }

    private static List<String> meta(String field) {
        return List.of("f:metadata", "f:" + field);
    }

    /**
     * The owned field paths of {@code object}; null values count as unset.
     *
     * @param strict whether a keyed element missing a key field or a duplicate key is a
     *     BadRequest (an applied configuration) rather than skipped (a stored object)
     */
    FieldSet of(JsonNode object, boolean strict) {
        return collect(object, strict, false);
    }

    /** The paths of the non-empty keyed and set lists of {@code object} (the list nodes themselves). */
    FieldSet lists(JsonNode object) {
        FieldSet all = collect(object, false, true);
        return FieldSet.of(all.paths().stream().filter(p -> p.getLast().startsWith("l:"))
                .map(p -> p.subList(0, p.size() - 1)).toList());
    }

    private FieldSet collect(JsonNode object, boolean strict, boolean markLists) {
        List<List<String>> out = new ArrayList<>();
        if (object != null) {
            new Walk(strict, markLists, out).walk(object, new ArrayList<>(), "");
        }
        return FieldSet.of(out);
    }

    /** One traversal; {@code markLists} adds an {@code l:} marker path under each granular list. */
    private final class Walk {
        private final boolean strict;
        private final boolean markLists;
        private final List<List<String>> out;

        Walk(boolean strict, boolean markLists, List<List<String>> out) {
            this.strict = strict;
            this.markLists = markLists;
            this.out = out;
        }

        private void walk(JsonNode node, List<String> tokens, String path) {
            if (UNOWNED.contains(tokens) || node.isNull()) {
                return;
            }
            if (node.isObject() && !node.isEmpty()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    tokens.add("f:" + e.getKey());
                    walk(e.getValue(), tokens, StrategicMerge.join(path, e.getKey()));
                    tokens.removeLast();
                }
            } else if (node.isArray() && !node.isEmpty() && schema.list(path).ssa() != MergeKeys.Strategy.ATOMIC) {
                walkList((ArrayNode) node, tokens, path);
            } else if (!tokens.isEmpty()) {
                out.add(List.copyOf(tokens));
            }
        }

        private void walkList(ArrayNode list, List<String> tokens, String path) {
            MergeKeys.ListRule rule = schema.list(path);
            if (markLists) {
                tokens.add("l:");
                out.add(List.copyOf(tokens));
                tokens.removeLast();
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                String token = rule.ssa() == MergeKeys.Strategy.SET ? "v:" + e : keyToken(e, rule.ssaKeys());
                if (token == null && strict) {
                    throw new ApiException.BadRequest(FieldSet.describe(tokens) + ": element " + i
                            + ": associative list with keys has an element that omits key field \""
                            + missingKey(e, rule.ssaKeys()) + "\" (and doesn't have default value)");
                }
                if (token != null && !seen.add(token) && strict) {
                    throw new ApiException.BadRequest(FieldSet.describe(tokens) + ": duplicate entries for key "
                            + FieldSet.describe(List.of(token)));
                }
                if (token == null) {
                    continue;
                }
                tokens.add(token);
                out.add(List.copyOf(tokens));
                if (rule.ssa() == MergeKeys.Strategy.KEYED) {
                    walk(e, tokens, path);
                }
                tokens.removeLast();
            }
        }
    }

    /** The {@code k:} token of a keyed element ({@code k:{"containerPort":80,"protocol":"TCP"}}), or null. */
    static String keyToken(JsonNode element, List<String> keys) {
        if (!element.isObject()) {
            return null;
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String k : keys) {
            JsonNode v = keyValue(element, k);
            if (v == null) {
                return null;
            }
            key.set(k, v);
        }
        return "k:" + key;
    }

    private static JsonNode keyValue(JsonNode element, String field) {
        JsonNode v = element.get(field);
        if (v != null && !v.isNull()) {
            return v;
        }
        String d = MergeKeys.keyDefault(field);
        return d == null ? null : JsonNodeFactory.instance.textNode(d);
    }

    private static String missingKey(JsonNode element, List<String> keys) {
        return keys.stream().filter(k -> !element.isObject() || keyValue(element, k) == null).findFirst().orElse("");
    }

    /** The value at {@code path}, or null when there is none. */
    static JsonNode find(JsonNode root, List<String> path) {
        JsonNode cur = root;
        for (String token : path) {
            if (cur == null) {
                return null;
            }
            cur = cur.isObject() ? token.startsWith("f:") ? cur.get(token.substring(2)) : null
                    : cur.isArray() ? element((ArrayNode) cur, token) : null;
        }
        return cur;
    }

    /** Removes the value at {@code path} from {@code root}, when there is one. */
    static void remove(JsonNode root, List<String> path) {
        JsonNode parent = find(root, path.subList(0, path.size() - 1));
        String last = path.getLast();
        if (parent instanceof ObjectNode o && last.startsWith("f:")) {
            o.remove(last.substring(2));
        } else if (parent instanceof ArrayNode a) {
            int at = indexOf(a, last);
            if (at >= 0) {
                a.remove(at);
            }
        }
    }

    private static JsonNode element(ArrayNode list, String token) {
        int at = indexOf(list, token);
        return at < 0 ? null : list.get(at);
    }

    private static int indexOf(ArrayNode list, String token) {
        String rest = token.substring(2);
        switch (token.charAt(0)) {
            case 'i' -> {
                int i = Integer.parseInt(rest);
                return i < list.size() ? i : -1;
            }
            case 'v' -> {
                JsonNode v = FieldSet.parse(rest);
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).equals(v)) {
                        return i;
                    }
                }
                return -1;
            }
            case 'k' -> {
                List<String> keys = new ArrayList<>();
                FieldSet.parse(rest).fieldNames().forEachRemaining(keys::add);
                for (int i = 0; i < list.size(); i++) {
                    if (token.equals(keyToken(list.get(i), keys))) {
                        return i;
                    }
                }
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * Whether the value at {@code path} differs between two versions of an object: present in one
     * only, or a different value. A keyed element counts by presence alone; its fields count on
     * their own.
     */
    static boolean changed(JsonNode before, JsonNode after, List<String> path) {
        JsonNode a = before == null ? null : find(before, path);
        JsonNode b = find(after, path);
        if (a == null || b == null) {
            return a != b;
        }
        return !path.getLast().startsWith("k:") && !a.equals(b);
    }
}
