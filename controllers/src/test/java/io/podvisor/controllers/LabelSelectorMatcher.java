package io.podvisor.controllers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * kubectl's label selector syntax for the fake API: {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x,y)}, {@code a}, {@code !a}, joined by commas (all must hold).
 */
public final class LabelSelectorMatcher {

    private LabelSelectorMatcher() {}

    /** A predicate over label maps (null labels count as empty). */
    public static Predicate<Map<String, String>> parse(String selector) {
        List<Predicate<Map<String, String>>> parts = new ArrayList<>();
        for (String term : split(selector == null ? "" : selector)) {
            parts.add(term(term.trim()));
        }
        return labels -> {
            Map<String, String> l = labels == null ? Map.of() : labels;
            return parts.stream().allMatch(p -> p.test(l));
        };
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString());
        }
        return out.stream().filter(t -> !t.isBlank()).toList();
    }

    private static Predicate<Map<String, String>> term(String t) {
        String[] words = t.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(") || words[1].startsWith("notin"))) {
            boolean in = words[1].startsWith("in");
            String list = words[1].substring(words[1].indexOf('(') + 1, words[1].lastIndexOf(')'));
            List<String> values = Arrays.stream(list.split(",")).map(String::trim).toList();
            String key = words[0];
            return l -> in ? values.contains(l.get(key)) : !values.contains(l.get(key));
        }
        if (t.contains("!=")) {
            String[] kv = t.split("!=", 2);
            return l -> !kv[1].trim().equals(l.get(kv[0].trim()));
        }
        if (t.contains("=")) {
            String[] kv = t.split("==?", 2);
            return l -> kv[1].trim().equals(l.get(kv[0].trim()));
        }
        if (t.startsWith("!")) {
            String key = t.substring(1).trim();
            return l -> !l.containsKey(key);
        }
        return l -> l.containsKey(t);
    }
}
