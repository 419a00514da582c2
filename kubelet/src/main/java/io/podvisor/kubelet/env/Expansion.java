package io.podvisor.kubelet.env;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} references in env values, command, args and {@code subPathExpr}:
 * {@code $(NAME)} is replaced by the mapping's value, {@code $$} is a literal {@code $}, an
 * unterminated {@code $(} and a {@code $} before any other character are kept as written. A mapping
 * from {@link #mappingFor} leaves unknown references as they are.
 */
public final class Expansion {

    private Expansion() {}

    /** {@code input} with every reference replaced through {@code mapping}. */
    public static String expand(String input, Function<String, String> mapping) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    out.append(mapping.apply(input.substring(cursor + 2, close)));
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }

    /** A mapping that looks a name up in {@code vars} and leaves {@code $(name)} when it is absent. */
    public static Function<String, String> mappingFor(Map<String, String> vars) {
        return mappingFor(vars, Map.of());
    }

    /**
     * A mapping that looks a name up in {@code vars}, then in {@code fallback}, and leaves
     * {@code $(name)} when it is in neither.
     */
    public static Function<String, String> mappingFor(Map<String, String> vars, Map<String, String> fallback) {
        return name -> {
            String v = vars.get(name);
            if (v == null) {
                v = fallback.get(name);
            }
            return v != null ? v : "$(" + name + ")";
        };
    }
}
