package io.podvisor.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps as the API writes them: RFC 3339 in UTC with whole seconds. */
public final class Times {

    private Times() {}

    /** {@code 2026-11-22T02:34:00Z}: truncated to the second, as metav1.Time serializes. */
    public static String format(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses an RFC 3339 timestamp; null stays null. */
    public static Instant parse(String s) {
        return s == null || s.isEmpty() ? null : Instant.parse(s);
    }
}
