package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link LabelSelector} in selector syntax, as metav1.FormatLabelSelector prints it: requirements
 * sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k};
 * {@code <none>} for an absent or empty selector and {@code <error>} for an unknown operator.
 */
final class Selectors {

    private Selectors() {}

    private record Requirement(String key, String text) {}

    static String format(LabelSelector selector) {
        if (selector == null) {
            return Columns.NONE;
        }
        List<Requirement> requirements = new ArrayList<>();
        Map<String, String> labels = selector.getMatchLabels();
        if (labels != null) {
            labels.forEach((k, v) -> requirements.add(new Requirement(k, k + "=" + v)));
        }
        for (LabelSelectorRequirement r : Columns.list(selector.getMatchExpressions())) {
            String text = expression(r);
            if (text == null) {
                return "<error>";
            }
            requirements.add(new Requirement(r.getKey(), text));
        }
        if (requirements.isEmpty()) {
            return Columns.NONE;
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return String.join(",", requirements.stream().map(Requirement::text).toList());
    }

    private static String expression(LabelSelectorRequirement r) {
        String key = r.getKey();
        String op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> key + " in (" + sortedValues(r) + ")";
            case "NotIn" -> key + " notin (" + sortedValues(r) + ")";
            case "Exists" -> key;
            case "DoesNotExist" -> "!" + key;
            default -> null;
        };
    }

    private static String sortedValues(LabelSelectorRequirement r) {
        return String.join(",", Columns.list(r.getValues()).stream().sorted().toList());
    }
}
