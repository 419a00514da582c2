package io.podvisor.kubelet.logs;

import io.podvisor.runtime.CriLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CRI log file incrementally: only complete lines (a writer may be half-way through the
 * last one), from a byte offset, skipping lines that are not records.
 */
public final class CriLogFile {

    /** The records read and the offset to continue from. */
    public record Chunk(List<CriLog.Entry> entries, long nextOffset) {}

    private CriLogFile() {}

    /** The complete records from {@code offset} on; a missing file reads as empty. */
    public static Chunk readFrom(Path file, long offset) throws IOException {
        if (file == null) {
            return new Chunk(List.of(), offset);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            return readFrom(ch, offset);
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), offset);
        }
    }

    /** The complete records of an open file from {@code offset} on (the channel is left positioned past them). */
    static Chunk readFrom(SeekableByteChannel ch, long offset) throws IOException {
        if (ch.size() <= offset) {
            return new Chunk(List.of(), offset);
        }
        ch.position(offset);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (ch.read(b) > 0) {
            buf.write(b.array(), 0, b.position());
            b.clear();
        }
        byte[] bytes = buf.toByteArray();
        List<CriLog.Entry> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                CriLog.Entry e = CriLog.parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                if (e != null) {
                    entries.add(e);
                }
                start = i + 1;
            }
        }
        return new Chunk(entries, offset + start);
    }
}
