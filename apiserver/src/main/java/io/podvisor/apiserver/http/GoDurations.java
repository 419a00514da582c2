package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ({@code 5s}, {@code 1m30s}, {@code 1.5h}, {@code 300ms}) as the {@code timeout} parameter carries them. */
final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {}

    static Duration parse(String s) {
        String text = s.startsWith("+") ? s.substring(1) : s;
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length() && m.find(at) && m.start() == at) {
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw new ApiException.BadRequest("time: invalid duration " + io.podvisor.api.errors.FieldError.quote(s));
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
