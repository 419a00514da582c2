package io.podvisor.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The CRI container log format every runtime writes and the kubelet reads: one record per line,
 * {@code <RFC3339Nano timestamp> <stdout|stderr> <F|P> <text>}, where {@code F} ends a line and
 * {@code P} is a part of a longer one.
 *
 * <p>Stateless and thread-safe.
 */
public final class CriLog {

    /** Which stream a record came from. */
    public enum Stream {
        STDOUT, STDERR;

        /** {@code stdout} or {@code stderr}, as written in the file. */
        public String tag() {
            return this == STDOUT ? "stdout" : "stderr";
        }
    }

    /** One parsed record; {@code partial} for a {@code P} tag (no line end after {@code text}). */
    public record Entry(Instant time, Stream stream, boolean partial, String text) {}

    /** Go's {@code time.RFC3339Nano}: fraction digits with trailing zeros removed, none for a zero fraction. */
    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private CriLog() {}

    /**
     * Go's {@code time.RFC3339Nano} in UTC: whole seconds, then up to nine fraction digits with
     * trailing zeros removed (none when the fraction is zero), then {@code Z}.
     */
    public static String timestamp(Instant t) {
        return RFC3339_NANO.format(t);
    }

    /** The record(s) for {@code text} written at {@code t}: one full line per line of {@code text}. */
    public static String format(Instant t, Stream stream, String text) {
        StringBuilder sb = new StringBuilder();
        String ts = timestamp(t);
        for (String line : text.split("\n", -1)) {
            sb.append(ts).append(' ').append(stream.tag()).append(" F ").append(line).append('\n');
        }
        return sb.toString();
    }

    /** Parses one line (without its line end); null if it is not a CRI record. */
    public static Entry parse(String line) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
        if (c < 0) {
            return null;
        }
        Instant time;
        try {
            time = Instant.parse(line.substring(0, a));
        } catch (DateTimeParseException e) {
            return null;
        }
        String stream = line.substring(a + 1, b);
        String tag = line.substring(b + 1, c);
        if (!(stream.equals("stdout") || stream.equals("stderr")) || !(tag.equals("F") || tag.equals("P"))) {
            return null;
        }
        return new Entry(time, stream.equals("stdout") ? Stream.STDOUT : Stream.STDERR, tag.equals("P"),
                line.substring(c + 1));
    }

    /**
     * Appends {@code text} as records to {@code file}, creating it and its directories; a no-op for
     * an empty path.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void append(String file, Instant t, Stream stream, String text) {
        if (file == null || file.isEmpty()) {
            return;
        }
        Path p = Path.of(file);
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, format(t, stream, text), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
