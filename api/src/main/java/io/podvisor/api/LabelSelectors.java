package io.podvisor.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /**
     * Whether {@code labels} satisfy {@code selector} as upstream's LabelSelectorAsSelector reads it:
     * every matchLabels pair and every expression ({@code In}, {@code NotIn}, {@code Exists},
     * {@code DoesNotExist}) must hold; a null or empty selector matches everything.
     *
     * @throws IllegalArgumentException for an unknown operator
     */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(e.getValue(), have.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!holds(r, have)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code labels} carry every pair of {@code required} (a Service's selector); an empty map matches everything. */
    public static boolean matches(Map<String, String> required, Map<String, String> labels) {
        LabelSelector s = new LabelSelector();
        s.setMatchLabels(required);
        return matches(s, labels);
    }

    private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
        String op = r.getOperator() == null ? "" : r.getOperator();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String value = labels.get(r.getKey());
        return switch (op) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
        };
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
