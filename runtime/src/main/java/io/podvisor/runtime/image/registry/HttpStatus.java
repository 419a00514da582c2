package io.podvisor.runtime.image.registry;

import java.util.Map;

/** HTTP status lines as Go's {@code net/http} prints them ({@code 404 Not Found}), for error texts. */
final class HttpStatus {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"), Map.entry(413, "Request Entity Too Large"),
            Map.entry(416, "Requested Range Not Satisfiable"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"),
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"));

    private HttpStatus() {}

    /** {@code code} followed by its reason phrase when it has a standard one. */
    static String text(int code) {
        String reason = REASONS.get(code);
        return reason == null ? Integer.toString(code) : code + " " + reason;
    }
}
