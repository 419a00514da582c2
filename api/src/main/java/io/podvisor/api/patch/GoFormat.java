package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders decoded JSON the way Go's {@code %v} prints it ({@code map[$patch:delete name:main]},
 * {@code [a b]}), for error messages that match upstream's.
 */
final class GoFormat {

    private GoFormat() {}

    static String of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "<nil>";
        }
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.sort(Map.Entry.comparingByKey());
            return fields.stream().map(e -> e.getKey() + ":" + of(e.getValue()))
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(e -> items.add(of(e)));
            return String.join(" ", items).transform(s -> "[" + s + "]");
        }
        if (node.isNumber()) {
            double d = node.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e21 ? Long.toString((long) d) : node.asText();
        }
        return node.asText();
    }
}
