package io.podvisor.api.printers;

import java.time.Duration;

/**
 * Short, coarse human durations as kubectl prints them in AGE columns ({@code 59s}, {@code 2m5s},
 * {@code 179m}, {@code 7h59m}, {@code 2d3h}, {@code 2y10d}, ...).
 *
 * <p>The precision shrinks as the duration grows: seconds below two minutes, minutes and seconds
 * below ten minutes, minutes below three hours, hours and minutes below eight hours, hours below
 * two days, days and hours below eight days, days below two years, years and days below eight
 * years, then years. A year is 365 days. Units are always truncated, never rounded.
 */
public final class HumanDuration {

    /** Printed for negative durations beyond the one second tolerated as clock skew. */
    public static final String INVALID = "<invalid>";

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;

    private HumanDuration() {}

    /**
     * Formats {@code d} the way Kubernetes' HumanDuration does.
     *
     * <p>Durations are first truncated toward zero to whole seconds. A whole-second value below
     * {@code -1} yields {@code <invalid>}; {@code -1} and {@code 0} (small clock skew) yield
     * {@code 0s}.
     *
     * @param d the elapsed time; must not be null
     * @return the short human form, never null
     */
    public static String format(Duration d) {
        long seconds = wholeSecondsTowardZero(d);
        if (seconds < -1) {
            return INVALID;
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 2 * MINUTE) {
            return seconds + "s";
        }
        long minutes = seconds / MINUTE;
        if (minutes < 10) {
            return withRemainder(minutes, "m", seconds % MINUTE, "s");
        }
        if (seconds < 3 * HOUR) {
            return minutes + "m";
        }
        long hours = seconds / HOUR;
        if (hours < 8) {
            return withRemainder(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = seconds / DAY;
        if (days < 8) {
            return withRemainder(days, "d", hours % 24, "h");
        }
        if (seconds < 2 * YEAR) {
            return days + "d";
        }
        long years = seconds / YEAR;
        if (years < 8) {
            return withRemainder(years, "y", days % 365, "d");
        }
        return years + "y";
    }

    private static String withRemainder(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
    }

    private static long wholeSecondsTowardZero(Duration d) {
        long seconds = d.getSeconds();
        // Duration stores negative values as floor(seconds) plus positive nanos; undo the floor.
        return seconds < 0 && d.getNano() > 0 ? seconds + 1 : seconds;
    }
}
