package io.podvisor.cli.run;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --until} waits for: every pod ready, every Job and bare pod finished, or a fixed
 * time.
 *
 * @param mode     {@link Mode#READY}, {@link Mode#COMPLETE} or {@link Mode#DURATION}
 * @param duration how long to run for {@link Mode#DURATION}, else null
 */
record Until(Mode mode, Duration duration) {

    /** The kinds of condition. */
    enum Mode { READY, COMPLETE, DURATION }

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /**
     * Parses {@code ready}, {@code complete} or a Go-style duration ({@code 30s}, {@code 1m30s},
     * {@code 500ms}).
     *
     * @throws IllegalArgumentException for anything else
     */
    static Until parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("ready")) {
            return new Until(Mode.READY, null);
        }
        if (t.equals("complete")) {
            return new Until(Mode.COMPLETE, null);
        }
        return new Until(Mode.DURATION, duration(text));
    }

    /**
     * Parses a Go-style duration of hours, minutes, seconds and milliseconds.
     *
     * @throws IllegalArgumentException when it is not one, or not positive
     */
    static Duration duration(String text) {
        String t = text.trim();
        Matcher m = PART.matcher(t);
        int at = 0;
        double millis = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1000;
                case "m" -> v * 60_000;
                default -> v * 3_600_000;
            };
            at = m.end();
        }
        if (t.isEmpty() || at != t.length() || millis <= 0) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
