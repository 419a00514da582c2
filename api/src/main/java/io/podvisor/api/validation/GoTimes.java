package io.podvisor.api.validation;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The JSON decoding of {@code metav1.Time} (layout {@code time.RFC3339}) and {@code metav1.MicroTime}
 * (RFC 3339 with exactly six fractional digits) as Go's {@code time.Parse} does it, with its error
 * texts ({@code parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"},
 * {@code …: month out of range}, {@code …: extra text: "…"}), and the canonical text the API server
 * stores: UTC, whole seconds for a Time, microseconds for a MicroTime.
 */
final class GoTimes {

    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

    /** A parse failure with Go's text. */
    static final class BadTime extends Exception {
        BadTime(String message) {
            super(message, null, false, false);
        }
    }

    private GoTimes() {}

    /**
     * Parses {@code value} with the Time (or, when {@code micro}, MicroTime) layout.
     *
     * @return the canonical text to store
     * @throws BadTime with Go's message when it does not parse
     */
    static String canonical(String value, boolean micro) throws BadTime {
        Cursor c = new Cursor(value, micro ? RFC3339_MICRO : RFC3339);
        int year = c.digits(4, 4, "2006");
        c.literal("-");
        int month = c.range(c.digits(2, 2, "01"), 1, 12, "month");
        c.literal("-");
        int day = c.range(c.digits(2, 2, "02"), 1, 31, "day");
        c.literal("T");
        int hour = c.range(c.digits(1, 2, "15"), 0, 23, "hour");
        c.literal(":");
        int minute = c.range(c.digits(2, 2, "04"), 0, 59, "minute");
        c.literal(":");
        int second = c.range(c.digits(2, 2, "05"), 0, 59, "second");
        int nanos = micro ? c.fraction(6, ".000000") : c.optionalFraction();
        ZoneOffset offset = c.zone();
        if (!c.rest().isEmpty()) {
            throw new BadTime("parsing time " + Errs.q(value) + ": extra text: " + Errs.q(c.rest()));
        }
        try {
            OffsetDateTime t = OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
            return t.withOffsetSameInstant(ZoneOffset.UTC).format(micro ? MICROS : SECONDS);
        } catch (DateTimeException e) {
            throw new BadTime("parsing time " + Errs.q(value) + ": day out of range");
        }
    }

    /** Go's element-by-element parse of one layout. */
    private static final class Cursor {
        private final String value;
        private final String layout;
        private int pos;

        Cursor(String value, String layout) {
            this.value = value;
            this.layout = layout;
        }

        String rest() {
            return value.substring(pos);
        }

        private BadTime cannot(String element) {
            return new BadTime("parsing time " + Errs.q(value) + " as " + Errs.q(layout) + ": cannot parse "
                    + Errs.q(rest()) + " as " + Errs.q(element));
        }

        int digits(int min, int max, String element) throws BadTime {
            int end = pos;
            while (end < value.length() && end - pos < max && isDigit(value.charAt(end))) {
                end++;
            }
            if (end - pos < min) {
                throw cannot(element);
            }
            int n = Integer.parseInt(value.substring(pos, end));
            pos = end;
            return n;
        }

        int range(int n, int lo, int hi, String what) throws BadTime {
            if (n < lo || n > hi) {
                throw new BadTime("parsing time " + Errs.q(value) + ": " + what + " out of range");
            }
            return n;
        }

        void literal(String s) throws BadTime {
            if (!value.startsWith(s, pos)) {
                throw cannot(s);
            }
            pos += s.length();
        }

        /** Exactly {@code n} digits after a point. */
        int fraction(int n, String element) throws BadTime {
            if (pos + n + 1 > value.length() || value.charAt(pos) != '.') {
                throw cannot(element);
            }
            for (int i = pos + 1; i <= pos + n; i++) {
                if (!isDigit(value.charAt(i))) {
                    throw cannot(element);
                }
            }
            int nanos = nanos(value.substring(pos + 1, pos + n + 1));
            pos += n + 1;
            return nanos;
        }

        /** Go accepts a fractional second after the seconds even when the layout has none. */
        int optionalFraction() {
            if (pos + 1 < value.length() && (value.charAt(pos) == '.' || value.charAt(pos) == ',')
                    && isDigit(value.charAt(pos + 1))) {
                int end = pos + 1;
                while (end < value.length() && isDigit(value.charAt(end))) {
                    end++;
                }
                int nanos = nanos(value.substring(pos + 1, end));
                pos = end;
                return nanos;
            }
            return 0;
        }

        ZoneOffset zone() throws BadTime {
            if (value.startsWith("Z", pos)) {
                pos++;
                return ZoneOffset.UTC;
            }
            String r = rest();
            if (r.length() < 6 || (r.charAt(0) != '+' && r.charAt(0) != '-') || r.charAt(3) != ':'
                    || !isDigit(r.charAt(1)) || !isDigit(r.charAt(2)) || !isDigit(r.charAt(4)) || !isDigit(r.charAt(5))) {
                throw cannot("Z07:00");
            }
            int hours = Integer.parseInt(r.substring(1, 3));
            int minutes = Integer.parseInt(r.substring(4, 6));
            if (hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) { // beyond what a ZoneOffset holds
                throw new BadTime("parsing time " + Errs.q(value) + ": time zone offset out of range");
            }
            pos += 6;
            int sign = r.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
        }

        private static int nanos(String digits) {
            String nine = (digits + "000000000").substring(0, 9);
            return Integer.parseInt(nine);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
