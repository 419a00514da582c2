package io.podvisor.apiserver.select;

import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed field selector: comma-separated terms {@code field=value}, {@code field==value} or
 * {@code field!=value}; a backslash escapes {@code ,}, {@code =}, {@code !} and itself in values.
 * All terms must hold. Immutable.
 */
public final class FieldSelector {

    record Term(String field, boolean equals, String value) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses a selector whose fields must be among {@code supported}; null or blank selects
     * everything.
     *
     * @throws ApiException.BadRequest on a malformed term or an unsupported field
     */
    public static FieldSelector parse(String selector, Set<String> supported) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : splitUnescaped(selector)) {
            Term t = term(raw.trim());
            if (!supported.contains(t.field())) {
                throw new ApiException.BadRequest("field label not supported: " + t.field());
            }
            terms.add(t);
        }
        return new FieldSelector(terms);
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** Whether the object's selectable fields satisfy every term (a missing field reads as ""). */
    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            boolean same = t.value().equals(fields.getOrDefault(t.field(), ""));
            if (same != t.equals()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> splitUnescaped(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Term term(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '!' && raw.startsWith("!=", i)) {
                return new Term(raw.substring(0, i).trim(), false, unescape(raw.substring(i + 2)));
            } else if (c == '=') {
                int v = raw.startsWith("==", i) ? i + 2 : i + 1;
                return new Term(raw.substring(0, i).trim(), true, unescape(raw.substring(v)));
            }
        }
        throw new ApiException.BadRequest("invalid selector: '" + raw + "'; can't understand '" + raw + "'");
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                c = v.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
