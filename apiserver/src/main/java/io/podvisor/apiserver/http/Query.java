package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The decoded query parameters of a request ({@code +} decodes as a space, as Go's url package does). */
final class Query {

    private final Map<String, List<String>> params = new LinkedHashMap<>();

    Query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("invalid query: " + e.getMessage());
        }
    }

    /** The first value of {@code name}, or null. */
    String get(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /**
     * A boolean as upstream's parameter conversion reads it: absent → false; {@code 0} or
     * {@code false} (any case) → false; anything else, the empty string included, → true.
     */
    boolean flag(String name) {
        String v = get(name);
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** An integer parameter, or null when absent; bad → 400 with Go's {@code strconv} message. */
    Long number(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("strconv.ParseInt: parsing " + FieldError.quote(v) + ": "
                    + (v.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax"));
        }
    }
}
