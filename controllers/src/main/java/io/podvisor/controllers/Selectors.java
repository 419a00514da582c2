package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label selectors rendered in kubectl's string syntax, for {@code ObjectClient.list}. */
public final class Selectors {

    private Selectors() {}

    /** {@code a=b,c=d} from a map (sorted by key); empty for a null or empty map. */
    public static String of(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /**
     * A {@link LabelSelector}: matchLabels as {@code k=v}, then matchExpressions as
     * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}.
     */
    public static String of(LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        String labels = of(selector.getMatchLabels());
        if (!labels.isEmpty()) {
            parts.add(labels);
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                parts.add(requirement(r));
            }
        }
        return String.join(",", parts);
    }

    private static String requirement(LabelSelectorRequirement r) {
        String values = r.getValues() == null ? "" : String.join(",", r.getValues());
        return switch (r.getOperator()) {
            case "In" -> r.getKey() + " in (" + values + ")";
            case "NotIn" -> r.getKey() + " notin (" + values + ")";
            case "Exists" -> r.getKey();
            case "DoesNotExist" -> "!" + r.getKey();
            default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
        };
    }
}
