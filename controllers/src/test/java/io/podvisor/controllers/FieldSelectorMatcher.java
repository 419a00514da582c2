package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Field selectors for the fake API: {@code metadata.name}, {@code metadata.namespace},
 * {@code spec.nodeName} and {@code status.phase} (pods), with {@code =}, {@code ==} or {@code !=},
 * joined by commas.
 */
public final class FieldSelectorMatcher {

    private FieldSelectorMatcher() {}

    /** Whether {@code o} matches {@code selector} (null or empty matches everything). */
    public static boolean matches(String selector, HasMetadata o) {
        if (selector == null || selector.isBlank()) {
            return true;
        }
        for (String term : selector.split(",")) {
            boolean negate = term.contains("!=");
            String[] kv = term.split(negate ? "!=" : "==?", 2);
            String actual = value(kv[0].trim(), o);
            boolean eq = kv[1].trim().equals(actual == null ? "" : actual);
            if (eq == negate) {
                return false;
            }
        }
        return true;
    }

    private static String value(String field, HasMetadata o) {
        return switch (field) {
            case "metadata.name" -> o.getMetadata().getName();
            case "metadata.namespace" -> o.getMetadata().getNamespace();
            case "spec.nodeName" -> o instanceof Pod p ? p.getSpec().getNodeName() : null;
            case "status.phase" -> o instanceof Pod p && p.getStatus() != null ? p.getStatus().getPhase() : null;
            default -> throw new IllegalArgumentException("field selector not supported: " + field);
        };
    }
}
