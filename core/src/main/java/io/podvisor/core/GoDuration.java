package io.podvisor.core;

import java.time.Duration;

/**
 * Go's {@code time.Duration.String()} format, which Kubernetes prints in messages:
 * {@code 10s}, {@code 1m20s}, {@code 5m0s}, {@code 1h0m0s}, {@code 812ms}, {@code 1.234s}, {@code 0s}.
 */
public final class GoDuration {

    private GoDuration() {}

    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000L) {
                return sb.append(nanos).append("ns").toString();
            } else if (nanos < 1_000_000L) {
                return sb.append(fraction(nanos, 1_000L)).append("µs").toString();
            }
            return sb.append(fraction(nanos, 1_000_000L)).append("ms").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long rem = nanos % 3_600_000_000_000L;
        long minutes = rem / 60_000_000_000L;
        long secNanos = rem % 60_000_000_000L;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(fraction(secNanos, 1_000_000_000L)).append('s').toString();
    }

    /** {@code value/unit} with the fractional part's trailing zeros dropped. */
    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long frac = value % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String digits = Long.toString(unit + frac).substring(1);
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + digits.substring(0, end);
    }
}
