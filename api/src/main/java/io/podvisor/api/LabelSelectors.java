package io.podvisor.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Label selectors in kubectl's string syntax, as upstream's FormatLabelSelector prints them:
 * requirements sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k},
 * {@code !k} (values sorted). The same text serves Table cells and {@code labelSelector} queries.
 */
public final class LabelSelectors {

    private LabelSelectors() {}

    private record Requirement(String key, String text) {}

    /** {@code a=b,c=d} from a map, sorted by key; empty for a null or empty map. */
    public static String of(Map<String, String> labels) {
        LabelSelector s = new LabelSelector();
        s.setMatchLabels(labels);
        return format(s);
    }

    /**
     * The selector's text: empty for a null or empty selector, null when an expression has an
     * unknown operator.
     */
    public static String format(LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        List<Requirement> requirements = new ArrayList<>();
        Map<String, String> labels = selector.getMatchLabels();
        if (labels != null) {
            labels.forEach((k, v) -> requirements.add(new Requirement(k, k + "=" + v)));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String text = expression(r);
                if (text == null) {
                    return null;
                }
                requirements.add(new Requirement(r.getKey(), text));
            }
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
        return String.join(",", r.getValues() == null ? List.of() : r.getValues().stream().sorted().toList());
    }
}
