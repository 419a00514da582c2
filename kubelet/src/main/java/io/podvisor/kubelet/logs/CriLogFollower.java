package io.podvisor.kubelet.logs;

import io.podvisor.runtime.CriLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a CRI log file across rotations ({@code kubectl logs -f}). It keeps the file it reads
 * open, so when the writer renames it to {@code <file>.<timestamp>} and starts a new one, the rest
 * of the old file is still read before continuing at the start of the new file. A file that shrank
 * (truncated in place) is read again from its start. Only complete lines are returned.
 *
 * <p>Not thread-safe: one follower per reader.
 */
public final class CriLogFollower implements Closeable {

    private final Path file;
    private SeekableByteChannel channel;
    private Object fileKey;
    private long offset;

    /** Follows {@code file} from byte {@code offset} (a missing file is waited for). */
    public CriLogFollower(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** The complete records written since the last call. */
    public List<CriLog.Entry> poll() throws IOException {
        List<CriLog.Entry> out = new ArrayList<>();
        if (channel == null && !open()) {
            return out;
        }
        boolean replaced = replaced();
        out.addAll(readAvailable());
        if (replaced) {
            close();
            offset = 0;
            if (open()) {
                out.addAll(readAvailable());
            }
        } else if (channel.size() < offset) {
            offset = 0;
            out.addAll(readAvailable());
        }
        return out;
    }

    /** True when the path now names another file than the one open (it was rotated away). */
    private boolean replaced() {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null && !key.equals(fileKey);
        } catch (IOException e) {
            return false; // between the rename and the new file: keep reading the old one
        }
    }

    private boolean open() throws IOException {
        try {
            channel = Files.newByteChannel(file);
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return true;
        } catch (NoSuchFileException e) {
            channel = null;
            return false;
        }
    }

    private List<CriLog.Entry> readAvailable() throws IOException {
        CriLogFile.Chunk chunk = CriLogFile.readFrom(channel, offset);
        offset = chunk.nextOffset();
        return chunk.entries();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
