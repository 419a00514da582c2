package io.podvisor.kubelet.logs;

import io.podvisor.api.client.ContainerStreams.LogOptions;
import io.podvisor.runtime.CriLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes log records as {@code kubectl logs} shows them: records older than the {@code since}
 * bound are skipped, {@code timestamps} prefixes each with its time (RFC 3339, nine fraction
 * digits) and a space, and output stops after {@code limitBytes}. Not thread-safe.
 */
public final class LogWriter {

    private static final DateTimeFormatter FIXED_NANOS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private final boolean timestamps;
    private final Instant since;
    private long remaining;

    /** @param now the clock's time, the reference of {@code sinceSeconds} */
    public LogWriter(OutputStream out, LogOptions options, Instant now) {
        this.out = out;
        this.timestamps = options.timestamps();
        this.since = options.sinceTime() != null ? options.sinceTime()
                : options.sinceSeconds() != null ? now.minusSeconds(options.sinceSeconds()) : null;
        this.remaining = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    }

    /** The last {@code n} records of {@code entries} (all when {@code n} is null or negative). */
    public static List<CriLog.Entry> tail(List<CriLog.Entry> entries, Long n) {
        if (n == null || n < 0 || n >= entries.size()) {
            return entries;
        }
        return entries.subList(entries.size() - n.intValue(), entries.size());
    }

    /** Writes the records in order; returns false once the byte limit is reached. */
    public boolean write(List<CriLog.Entry> entries) throws IOException {
        for (CriLog.Entry e : entries) {
            if (!write(e)) {
                return false;
            }
        }
        out.flush();
        return remaining > 0;
    }

    private boolean write(CriLog.Entry e) throws IOException {
        if (remaining <= 0) {
            return false;
        }
        if (since != null && e.time().isBefore(since)) {
            return true;
        }
        String text = (timestamps ? FIXED_NANOS.format(e.time()) + " " : "") + e.text() + (e.partial() ? "" : "\n");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(bytes.length, remaining);
        out.write(bytes, 0, n);
        remaining -= n;
        return remaining > 0;
    }
}
