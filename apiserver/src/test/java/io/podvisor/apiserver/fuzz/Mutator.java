package io.podvisor.apiserver.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a JSON body: a field deleted, set to null or to a value of another type,
 * odd numbers (negative, zero, beyond int32/int64, fractions, huge exponents), bad strings (empty,
 * {@code ..}, absolute paths, over-long, upper case, control characters, non-quantities), a list
 * element duplicated, a null element or an empty list. Same seed, same mutations.
 */
public final class Mutator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> STRINGS = List.of("", " ", "..", "../etc", "/abs/path", "a/../../b", "UPPER_case",
            "x".repeat(300), "\u0000", "\t\n", "12XB", "1.5.5", "NaN", "true", "1e99999999999", "-1", "0777", "4095",
            "Bogus", "*", "a=b", "a,b", "💥", "${X}", "$(X)", "kubernetes.io/", "-leading", "trailing-", "a..b",
            "0.0.0.0", "::1", "999.1.1.1", "10.0.0.0/8", "2026-13-45T99:99:99Z", "metadata.bogus", "spec.nodeName");
    private static final List<JsonNode> NUMBERS = List.of(NODES.numberNode(-1), NODES.numberNode(0),
            NODES.numberNode(1), NODES.numberNode(4095), NODES.numberNode(65536), NODES.numberNode(Integer.MAX_VALUE),
            NODES.numberNode(2147483648L), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE),
            NODES.numberNode(new BigInteger("99999999999999999999999")), NODES.numberNode(1.5), NODES.numberNode(-0.0),
            NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(new BigDecimal("1e-400")));

    private final Random random;

    public Mutator(Random random) {
        this.random = random;
    }

    /** A place in the tree: a parent and a field name or index. */
    private record Spot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    /**
     * Applies one to three mutations to {@code body} in place (never to {@code apiVersion},
     * {@code kind}, so the request stays routable).
     *
     * @return a short description of each mutation, for failure messages
     */
    public List<String> mutate(ObjectNode body) {
        List<String> done = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<Spot> spots = new ArrayList<>();
            collect(body, spots, true);
            if (spots.isEmpty()) {
                break;
            }
            Spot spot = spots.get(random.nextInt(spots.size()));
            done.add(apply(spot));
        }
        return done;
    }

    private void collect(JsonNode node, List<Spot> out, boolean root) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (!root || !(e.getKey().equals("apiVersion") || e.getKey().equals("kind"))) {
                    out.add(new Spot(o, e.getKey(), -1));
                    collect(e.getValue(), out, false);
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Spot(a, null, i));
                collect(a.get(i), out, false);
            }
        }
    }

    private String apply(Spot spot) {
        JsonNode old = spot.get();
        String where = (spot.field != null ? spot.field : "[" + spot.index + "]");
        switch (random.nextInt(9)) {
            case 0 -> {
                spot.remove();
                return "delete " + where;
            }
            case 1 -> {
                spot.set(NODES.nullNode());
                return "null " + where;
            }
            case 2, 3 -> {
                JsonNode v = NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
                spot.set(v);
                return "string " + where + "=" + v;
            }
            case 4 -> {
                JsonNode v = NUMBERS.get(random.nextInt(NUMBERS.size()));
                spot.set(v);
                return "number " + where + "=" + v;
            }
            case 5 -> {
                JsonNode v = switch (random.nextInt(4)) {
                    case 0 -> NODES.booleanNode(random.nextBoolean());
                    case 1 -> NODES.arrayNode();
                    case 2 -> NODES.objectNode();
                    default -> NODES.arrayNode().add(NODES.nullNode());
                };
                spot.set(v);
                return "type " + where + "=" + v;
            }
            default -> {
                return list(spot, old, where);
            }
        }
    }

    /** List mutations where the value is a list, else a value from another field's kind. */
    private String list(Spot spot, JsonNode old, String where) {
        if (old instanceof ArrayNode a) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    a.addNull();
                    return "null element in " + where;
                }
                case 1 -> {
                    if (!a.isEmpty()) {
                        a.add(a.get(random.nextInt(a.size())).deepCopy());
                    }
                    return "duplicate element in " + where;
                }
                default -> {
                    a.removeAll();
                    return "empty " + where;
                }
            }
        }
        if (old instanceof ObjectNode o) {
            String key = STRINGS.get(random.nextInt(STRINGS.size()));
            o.putNull(key.isEmpty() ? "k" : key);
            return "null member " + key + " in " + where;
        }
        if (old != null && old.isTextual()) {
            spot.set(NODES.textNode(old.textValue() + STRINGS.get(random.nextInt(STRINGS.size()))));
            return "append to " + where;
        }
        spot.set(NODES.arrayNode().add(old == null ? NODES.nullNode() : old.deepCopy()));
        return "wrap in list " + where;
    }
}
