package io.podvisor.runtime.io;

import io.podvisor.core.Clock;
import io.podvisor.runtime.CriLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One container instance's log file in the CRI format, fed by pumps reading the container's stdout
 * and stderr. A line becomes one {@code F} record stamped when it was read; a line longer than
 * {@link #MAX_LINE} bytes is cut into {@code P} records. When the file passes {@code maxBytes} it is
 * renamed to {@code <file>.<yyyyMMdd-HHmmss>} and a new one is started; at most {@code maxFiles}
 * files (the live one included) are kept, as the kubelet's log rotation does.
 *
 * <p>Thread-safe: records of both streams are appended whole, one at a time.
 */
public final class CriLogWriter implements AutoCloseable {

    /** The longest record text; longer lines are split into partial records (containerd's 16 KiB). */
    public static final int MAX_LINE = 16 * 1024;

    /** The kubelet's default {@code containerLogMaxSize}: 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    /** The kubelet's default {@code containerLogMaxFiles}. */
    public static final int DEFAULT_MAX_FILES = 5;

    private static final DateTimeFormatter ROTATED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final long maxBytes;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    /** Opens (appending to) {@code file}, creating it and its directories. */
    public CriLogWriter(Path file, Clock clock, long maxBytes, int maxFiles) throws IOException {
        this.file = file;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxFiles = Math.max(1, maxFiles);
        open();
    }

    /** Opens {@code file} with the default rotation settings. */
    public CriLogWriter(Path file, Clock clock) throws IOException {
        this(file, clock, DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES);
    }

    private void open() throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    /**
     * Starts a thread ({@link PipeReaders}) copying {@code in} into records of {@code stream} until end of file.
     *
     * @return completes when {@code in} has ended and everything read was written
     */
    public CompletableFuture<Void> pump(InputStream in, CriLog.Stream stream) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        PipeReaders.start("log-" + stream.tag(), () -> {
            try (in) {
                copy(in, stream);
            } catch (IOException e) {
                // the container's end closed, or the file cannot be written: the pump stops
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private void copy(InputStream in, CriLog.Stream stream) throws IOException {
        byte[] buf = new byte[8192];
        Lines lines = new Lines(stream);
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                lines.accept(buf, n);
            }
            lines.end();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A sink for a {@link PipePoller} pipe carrying {@code stream}: its bytes become records as a pump's do. */
    public PipePoller.Sink sink(CriLog.Stream stream) {
        return new Lines(stream);
    }

    /** Cuts one stream's bytes into records: a record per line, partial records for long lines. */
    private final class Lines implements PipePoller.Sink {
        private final CriLog.Stream stream;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        Lines(CriLog.Stream stream) {
            this.stream = stream;
        }

        @Override
        public void accept(byte[] buf, int n) {
            try {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, start, i - start);
                        record(stream, false, line.toByteArray());
                        line.reset();
                        start = i + 1;
                    } else if (line.size() + (i - start) + 1 >= MAX_LINE) {
                        line.write(buf, start, i - start + 1);
                        record(stream, true, line.toByteArray());
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(buf, start, n - start);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void end() {
            if (line.size() > 0) {
                try {
                    record(stream, false, line.toByteArray());
                } catch (IOException e) {
                    // the file cannot be written: the last partial line is lost
                }
                line.reset();
            }
        }
    }

    /** Appends one record stamped now. */
    public synchronized void record(CriLog.Stream stream, boolean partial, byte[] text) throws IOException {
        if (out == null) {
            return;
        }
        byte[] head = (CriLog.timestamp(clock.now()) + " " + stream.tag() + (partial ? " P " : " F "))
                .getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + head.length + text.length + 1 > maxBytes) {
            rotate();
        }
        out.write(head);
        out.write(text);
        out.write('\n');
        out.flush();
        size += head.length + text.length + 1;
    }

    private void rotate() throws IOException {
        out.close();
        Path rotated = file.resolveSibling(file.getFileName() + "." + ROTATED.format(clock.now()));
        Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING);
        List<Path> old = new ArrayList<>();
        try (var s = Files.list(file.getParent())) {
            s.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + "."))
                    .sorted().forEach(old::add);
        }
        for (int i = 0; i < old.size() - (maxFiles - 1); i++) {
            Files.deleteIfExists(old.get(i));
        }
        open();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing more can be written anyway
            }
            out = null;
        }
    }
}
