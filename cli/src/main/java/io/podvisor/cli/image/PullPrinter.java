package io.podvisor.cli.image;

import io.podvisor.core.Clock;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.PullProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Shows a pull's progress. On a terminal one line is rewritten in place; otherwise plain lines, at most
 * one progress line every half second besides each blob's last ({@code sha256:0123456789ab 1.2MB/2.1MB}).
 * Thread-safe.
 */
public final class PullPrinter implements PullProgress {

    private static final Duration PLAIN_INTERVAL = Duration.ofMillis(500);
    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(100);

    private final PrintWriter out;
    private final Consumer<String> lines;
    private final Clock clock;
    private final boolean terminal;
    private Instant lastPrinted = Instant.MIN;
    private String resolvedName;
    private int shown;

    PullPrinter(PrintWriter out, Clock clock, boolean terminal) {
        this.out = out;
        this.lines = null;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** Plain lines handed to {@code lines} (no terminal rewriting), e.g. into a timeline. */
    public PullPrinter(Consumer<String> lines, Clock clock) {
        this.out = null;
        this.lines = lines;
        this.clock = clock;
        this.terminal = false;
    }

    /** The normalized name of what was pulled, as the registry resolved it ({@code requested} if never resolved). */
    synchronized String reference(String requested) {
        if (resolvedName != null) {
            return resolvedName;
        }
        try {
            return ImageReference.parse(requested).toString();
        } catch (IllegalArgumentException e) {
            return requested;
        }
    }

    @Override
    public synchronized void resolved(String reference, String manifestDigest, int layers, long totalBytes) {
        resolvedName = reference;
        line(reference + ": resolved " + shortDigest(manifestDigest) + ", " + layers
                + (layers == 1 ? " layer, " : " layers, ") + size(totalBytes));
    }

    @Override
    public synchronized void blob(String digest, long done, long total) {
        boolean last = total >= 0 && done >= total;
        Instant now = clock.now();
        Duration interval = terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL;
        if (!last && now.isBefore(lastPrinted.plus(interval))) {
            return;
        }
        lastPrinted = now;
        String text = shortDigest(digest) + " " + size(done) + "/" + (total < 0 ? "?" : size(total));
        if (terminal && !last) {
            rewrite(text);
        } else {
            line(text + (last ? " done" : ""));
        }
    }

    @Override
    public synchronized void blobPresent(String digest) {
        line(shortDigest(digest) + " already present");
    }

    @Override
    public synchronized void unpacking(String reference) {
        line(reference + ": unpacking");
    }

    /** Ends an in-place line, if any. */
    synchronized void finish() {
        if (out == null) {
            return;
        }
        if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
        out.flush();
    }

    private void line(String text) {
        if (lines != null) {
            lines.accept(text);
            return;
        }
        finish();
        out.println(text);
        out.flush();
    }

    private void rewrite(String text) {
        String padded = text.length() < shown ? text + " ".repeat(shown - text.length()) : text;
        out.print("\r" + padded);
        out.flush();
        shown = padded.length();
    }

    /** {@code sha256:} and the first 12 hex digits. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon < 0 || digest.length() <= colon + 13 ? digest : digest.substring(0, colon + 13);
    }

    /** Decimal units as Docker prints sizes: {@code 512B}, {@code 1.2kB}, {@code 3.4MB}, {@code 1.1GB}. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes / 1000.0;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
    }
}
