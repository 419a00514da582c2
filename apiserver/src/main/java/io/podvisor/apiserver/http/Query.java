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

    /** A boolean as Go's {@code strconv.ParseBool} reads it; absent → false; bad → 400. */
    boolean flag(String name) {
        String v = get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True", "" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new ApiException.BadRequest("invalid boolean value for " + name + ": " + FieldError.quote(v));
        };
    }

    /** An integer parameter, or null when absent; bad → 400. */
    Long number(String name) {
        String v = get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("invalid value for " + name + ": " + FieldError.quote(v) + ": must be an integer");
        }
    }
}
