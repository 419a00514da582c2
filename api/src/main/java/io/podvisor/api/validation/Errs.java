package io.podvisor.api.validation;

import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Small builders for the recurring field errors and Go-style value renderings. */
final class Errs {

    /** Upstream's {@code IsNegativeErrorMsg}. */
    static final String NEGATIVE = "must be greater than or equal to 0";
    /** Upstream's {@code FieldImmutableErrorMsg}. */
    static final String IMMUTABLE = "field is immutable";

    private Errs() {}

    /** Go's {@code %q} of a string. */
    static String q(String s) {
        return FieldError.quote(s == null ? "" : s);
    }

    /** Go's {@code %#v} of a {@code map[string]string} (keys sorted, as fmt prints maps). */
    static String goMap(Map<String, String> m) {
        if (m == null) {
            return "map[string]string(nil)";
        }
        return new TreeMap<>(m).entrySet().stream().map(e -> q(e.getKey()) + ":" + q(e.getValue()))
                .collect(Collectors.joining(", ", "map[string]string{", "}"));
    }

    /** Go's {@code %#v} of a {@code []string}. */
    static String goStrings(List<String> l) {
        return l.stream().map(Errs::q).collect(Collectors.joining(", ", "[]string{", "}"));
    }

    /** {@code <path>: Invalid value: <v>: must be greater than or equal to 0} when negative. */
    static void nonNegative(List<FieldError> errs, String path, Number value) {
        if (value != null && value.longValue() < 0) {
            errs.add(FieldError.invalid(path, String.valueOf(value), NEGATIVE));
        }
    }

    /** {@code <path>: Invalid value: <new>: field is immutable} when the values differ. */
    static void immutable(List<FieldError> errs, String path, Object now, Object old, String rendered) {
        if (!Objects.equals(now, old)) {
            errs.add(FieldError.invalid(path, rendered, IMMUTABLE));
        }
    }

    /** {@code <path>: Required value} when the string is null or empty; true when it was. */
    static boolean required(List<FieldError> errs, String path, String value) {
        if (value == null || value.isEmpty()) {
            errs.add(FieldError.required(path, null));
            return true;
        }
        return false;
    }

    /** One Invalid error per message. */
    static void each(List<FieldError> errs, String path, String rendered, List<String> messages) {
        for (String m : messages) {
            errs.add(FieldError.invalid(path, rendered, m));
        }
    }
}
