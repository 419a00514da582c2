package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** Builds objects from YAML snippets and renders validation results as upstream prints them. */
final class Fixtures {

    private Fixtures() {}

    /** A pod named {@code web} in {@code default} with the given spec body (YAML, unindented). */
    static String podYaml(String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  uid: u1\nspec:\n" + indent(spec);
    }

    static String indent(String s) {
        return s.lines().map(l -> "  " + l).collect(Collectors.joining("\n")) + "\n";
    }

    static <T extends HasMetadata> T read(String yaml, Class<T> type) {
        return Yaml.read(yaml, type);
    }

    /** Defaults then validates as on create. */
    static List<FieldError> create(HasMetadata o) {
        return Validation.validate(Defaults.apply(o), null);
    }

    /** Upstream's aggregate text: one error alone, several as {@code [a, b]}; empty string when valid. */
    static String text(List<FieldError> errs) {
        if (errs.isEmpty()) {
            return "";
        }
        if (errs.size() == 1) {
            return errs.getFirst().toString();
        }
        return errs.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
