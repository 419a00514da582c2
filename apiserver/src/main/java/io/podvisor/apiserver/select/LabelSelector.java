package io.podvisor.apiserver.select;

import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed label selector in kubectl's syntax: comma-separated requirements {@code k=v},
 * {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (exists) and
 * {@code !k} (does not exist). All requirements must hold. Immutable.
 */
public final class LabelSelector {

    /** The requirement operators. */
    enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /** The selector matching every object. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses a selector; null or blank selects everything.
     *
     * @throws ApiException.BadRequest on a malformed selector
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        for (String term : splitTopLevel(selector)) {
            out.add(requirement(term.trim(), selector));
        }
        return new LabelSelector(out);
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** Whether {@code labels} (null = none) satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(l));
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static Requirement requirement(String term, String whole) {
        if (term.isEmpty()) {
            throw bad(whole, "found '', expected: !, identifier, or 'end of string'");
        }
        if (term.startsWith("!")) {
            return new Requirement(key(term.substring(1).trim(), whole), Op.DOES_NOT_EXIST, Set.of());
        }
        int ne = term.indexOf("!=");
        if (ne > 0) {
            return new Requirement(key(term.substring(0, ne), whole), Op.NOT_EQUALS, Set.of(value(term.substring(ne + 2), whole)));
        }
        int eq = term.indexOf('=');
        if (eq > 0) {
            int valueStart = term.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(key(term.substring(0, eq), whole), Op.EQUALS, Set.of(value(term.substring(valueStart), whole)));
        }
        String[] words = term.split("\\s+", 2);
        if (words.length == 1) {
            return new Requirement(key(words[0], whole), Op.EXISTS, Set.of());
        }
        String rest = words[1].trim();
        if (rest.startsWith("in") || rest.startsWith("notin")) {
            boolean in = !rest.startsWith("notin");
            String list = rest.substring(in ? 2 : 5).trim();
            if (!list.startsWith("(") || !list.endsWith(")")) {
                throw bad(whole, "found '" + list + "', expected: '('");
            }
            return new Requirement(key(words[0], whole), in ? Op.IN : Op.NOT_IN, values(list, whole));
        }
        throw bad(whole, "found '" + rest + "', expected: in, notin, =, ==, !=, gt, lt");
    }

    private static Set<String> values(String list, String whole) {
        Set<String> values = new LinkedHashSet<>();
        String inner = list.substring(1, list.length() - 1);
        for (String v : inner.split(",", -1)) {
            values.add(value(v, whole));
        }
        return values;
    }

    private static String key(String raw, String whole) {
        String k = raw.trim();
        if (!k.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw bad(whole, "key: Invalid value: " + quote(k)
                    + ": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return k;
    }

    private static String value(String raw, String whole) {
        String v = raw.trim();
        if (!v.isEmpty() && !v.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw bad(whole, "values[0]: Invalid value: " + quote(v)
                    + ": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return v;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static ApiException bad(String whole, String detail) {
        return new ApiException.BadRequest("unable to parse requirement: " + detail);
    }
}
