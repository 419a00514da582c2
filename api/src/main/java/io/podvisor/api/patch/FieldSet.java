package io.podvisor.api.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.Yaml;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable set of field paths, as a managedFields entry's {@code fieldsV1} encodes it. A path
 * is a list of tokens: {@code f:<field>}, {@code k:<key fields as JSON>} (an element of a keyed
 * list), {@code v:<value as JSON>} (an element of a set), {@code i:<index>}. In {@code fieldsV1}
 * each token is a nested object; a path is in the set when its object is empty or has a
 * {@code "."} member.
 */
final class FieldSet {

    private static final ObjectMapper JSON = Yaml.newJsonMapper();
    private static final String KINDS = "fkvi";

    /** Upstream's element order: field names, then keys, then values, then indexes. */
    static final Comparator<String> TOKEN_ORDER = Comparator.<String>comparingInt(t -> KINDS.indexOf(t.charAt(0)))
            .thenComparing(FieldSet::indexValue).thenComparing(Comparator.naturalOrder());
    static final Comparator<List<String>> PATH_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = TOKEN_ORDER.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private static final FieldSet EMPTY = new FieldSet(new TreeSet<>(PATH_ORDER));

    private final TreeSet<List<String>> paths;

    private FieldSet(TreeSet<List<String>> paths) {
        this.paths = paths;
    }

    static FieldSet empty() {
        return EMPTY;
    }

    static FieldSet of(Iterable<List<String>> paths) {
        TreeSet<List<String>> set = new TreeSet<>(PATH_ORDER);
        paths.forEach(p -> set.add(List.copyOf(p)));
        return new FieldSet(set);
    }

    /** Decodes {@code fieldsV1}; null or a non-object is the empty set. */
    static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        List<List<String>> out = new ArrayList<>();
        if (fieldsV1 != null && fieldsV1.isObject()) {
            collect(fieldsV1, new ArrayList<>(), out);
        }
        return of(out);
    }

    private static void collect(JsonNode node, List<String> prefix, List<List<String>> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals(".")) {
                out.add(List.copyOf(prefix));
                continue;
            }
            prefix.add(e.getKey());
            if (e.getValue().isEmpty()) {
                out.add(List.copyOf(prefix));
            } else {
                collect(e.getValue(), prefix, out);
            }
            prefix.removeLast();
        }
    }

    /** Encodes the set as {@code fieldsV1}, children in upstream's order. */
    ObjectNode toFieldsV1() {
        Node root = new Node();
        for (List<String> p : paths) {
            Node n = root;
            for (String token : p) {
                n = n.children.computeIfAbsent(token, t -> new Node());
            }
            n.member = true;
        }
        return root.toJson();
    }

    private static final class Node {
        boolean member;
        final TreeMap<String, Node> children = new TreeMap<>(TOKEN_ORDER);

        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (member && !children.isEmpty()) {
                o.putObject(".");
            }
            children.forEach((token, child) -> o.set(token, child.toJson()));
            return o;
        }
    }

    Set<List<String>> paths() {
        return Collections.unmodifiableSet(paths);
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    boolean contains(List<String> path) {
        return paths.contains(path);
    }

    /** Whether the set holds {@code path} or a path below it. */
    boolean touches(List<String> path) {
        List<String> next = paths.ceiling(path);
        return next != null && next.size() >= path.size() && next.subList(0, path.size()).equals(path);
    }

    FieldSet union(FieldSet other) {
        TreeSet<List<String>> set = new TreeSet<>(paths);
        set.addAll(other.paths);
        return new FieldSet(set);
    }

    FieldSet minus(FieldSet other) {
        TreeSet<List<String>> set = new TreeSet<>(paths);
        set.removeAll(other.paths);
        return new FieldSet(set);
    }

    /** A path as upstream prints it: {@code .spec.containers[name="main"].image}. */
    static String describe(List<String> path) {
        StringBuilder b = new StringBuilder();
        for (String token : path) {
            String rest = token.substring(2);
            switch (token.charAt(0)) {
                case 'f' -> b.append('.').append(rest);
                case 'k' -> {
                    List<String> parts = new ArrayList<>();
                    parse(rest).properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
                    b.append('[').append(String.join(",", parts)).append(']');
                }
                case 'v' -> b.append("[=").append(rest).append(']');
                default -> b.append('[').append(rest).append(']');
            }
        }
        return b.toString();
    }

    /** The JSON after a {@code k:} or {@code v:} token's prefix. */
    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad field path token: " + json, e);
        }
    }

    private static int indexValue(String token) {
        if (token.startsWith("i:")) {
            try {
                return Integer.parseInt(token.substring(2));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && f.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }

    @Override
    public String toString() {
        return paths.stream().map(FieldSet::describe).toList().toString();
    }
}
