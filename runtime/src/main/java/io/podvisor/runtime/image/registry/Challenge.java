package io.podvisor.runtime.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: {@code Bearer realm="…",service="…",scope="…"} or
 * {@code Basic realm="…"}.
 *
 * @param scheme     the scheme, lower case ({@code bearer}, {@code basic})
 * @param parameters its auth-params by lower-case name, unquoted
 */
record Challenge(String scheme, Map<String, String> parameters) {

    Challenge {
        parameters = Map.copyOf(parameters);
    }

    /** A parameter's value, or {@code ""}. */
    String parameter(String name) {
        return parameters.getOrDefault(name, "");
    }

    /** The challenges in {@code headers}, in order (a header may hold several). */
    static List<Challenge> parse(List<String> headers) {
        List<Challenge> out = new ArrayList<>();
        for (String header : headers) {
            new Parser(header).parseInto(out);
        }
        return out;
    }

    /** The first challenge with {@code scheme}, or null. */
    static Challenge find(List<Challenge> challenges, String scheme) {
        return challenges.stream().filter(c -> c.scheme.equals(scheme)).findFirst().orElse(null);
    }

    /** A small RFC 7235 tokenizer: schemes, token=token and token="quoted \" string" pairs. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void parseInto(List<Challenge> out) {
            String scheme = null;
            Map<String, String> params = new LinkedHashMap<>();
            while (skipSeparators() < s.length()) {
                String token = token();
                if (token.isEmpty()) {
                    pos++;
                    continue;
                }
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == '=' && scheme != null) {
                    pos++;
                    skipSpaces();
                    params.put(token.toLowerCase(Locale.ROOT), value());
                } else {
                    if (scheme != null) {
                        out.add(new Challenge(scheme, params));
                    }
                    scheme = token.toLowerCase(Locale.ROOT);
                    params = new LinkedHashMap<>();
                }
            }
            if (scheme != null) {
                out.add(new Challenge(scheme, params));
            }
        }

        private int skipSeparators() {
            while (pos < s.length() && (s.charAt(pos) == ',' || Character.isWhitespace(s.charAt(pos)))) {
                pos++;
            }
            return pos;
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && "=, \t\"".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String value() {
            if (pos >= s.length() || s.charAt(pos) != '"') {
                return token();
            }
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != '"') {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                b.append(c);
            }
            pos++;
            return b.toString();
        }
    }
}
