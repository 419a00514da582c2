package io.podvisor.runtime.testing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One entry of a test layer's tar: a regular file, directory, symlink, hard link or FIFO, with its
 * mode, owner and modification time. Whiteouts are the empty regular files {@code .wh.<name>} and
 * {@code <dir>/.wh..wh..opq} that {@link #whiteout} and {@link #opaque} make. Paths are written as
 * given (no normalization), so a test can also make entries that escape the root ({@code ../x},
 * {@code /x}).
 *
 * @param kind       what the entry is
 * @param path       its name in the tar, e.g. {@code etc/hosts}
 * @param content    a regular file's bytes (empty for the others)
 * @param linkTarget a symlink's target or a hard link's source path; empty for the others
 * @param mode       permission bits including setuid/setgid/sticky, e.g. {@code 04755}
 * @param uid        owner
 * @param gid        group
 * @param mtime      modification time, seconds since the epoch
 */
public record TarEntrySpec(Kind kind, String path, byte[] content, String linkTarget, int mode, int uid, int gid,
                           long mtime) {

    /** The default modification time of entries: 2024-01-01T00:00:00Z. */
    public static final long DEFAULT_MTIME = 1_704_067_200L;

    /** What an entry is. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK, FIFO }

    public TarEntrySpec {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(path);
        content = content == null ? new byte[0] : content.clone();
        linkTarget = linkTarget == null ? "" : linkTarget;
    }

    /** A regular file holding {@code content} (UTF-8), mode 0644, owned by root. */
    public static TarEntrySpec file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file holding {@code content}, mode 0644, owned by root. */
    public static TarEntrySpec file(String path, byte[] content) {
        return new TarEntrySpec(Kind.FILE, path, content, "", 0644, 0, 0, DEFAULT_MTIME);
    }

    /** A directory, mode 0755, owned by root. */
    public static TarEntrySpec dir(String path) {
        return new TarEntrySpec(Kind.DIRECTORY, path, null, "", 0755, 0, 0, DEFAULT_MTIME);
    }

    /** A symbolic link {@code path} → {@code target} (written verbatim). */
    public static TarEntrySpec symlink(String path, String target) {
        return new TarEntrySpec(Kind.SYMLINK, path, null, target, 0777, 0, 0, DEFAULT_MTIME);
    }

    /** A hard link {@code path} to the earlier entry {@code target} (a path in the tar). */
    public static TarEntrySpec hardlink(String path, String target) {
        return new TarEntrySpec(Kind.HARDLINK, path, null, target, 0644, 0, 0, DEFAULT_MTIME);
    }

    /** A named pipe. */
    public static TarEntrySpec fifo(String path) {
        return new TarEntrySpec(Kind.FIFO, path, null, "", 0644, 0, 0, DEFAULT_MTIME);
    }

    /** A whiteout: deletes {@code path} of the layers below ({@code dir/.wh.name}). */
    public static TarEntrySpec whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(name, new byte[0]);
    }

    /** An opaque whiteout: hides everything the layers below hold in directory {@code dir}. */
    public static TarEntrySpec opaque(String dir) {
        String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
        return file(prefix + ".wh..wh..opq", new byte[0]);
    }

    /** This entry with permission bits {@code mode}. */
    public TarEntrySpec mode(int newMode) {
        return new TarEntrySpec(kind, path, content, linkTarget, newMode, uid, gid, mtime);
    }

    /** This entry owned by {@code newUid}:{@code newGid}. */
    public TarEntrySpec owner(int newUid, int newGid) {
        return new TarEntrySpec(kind, path, content, linkTarget, mode, newUid, newGid, mtime);
    }

    /** This entry with modification time {@code epochSecond}. */
    public TarEntrySpec mtime(long epochSecond) {
        return new TarEntrySpec(kind, path, content, linkTarget, mode, uid, gid, epochSecond);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TarEntrySpec e && kind == e.kind && path.equals(e.path)
                && java.util.Arrays.equals(content, e.content) && linkTarget.equals(e.linkTarget) && mode == e.mode
                && uid == e.uid && gid == e.gid && mtime == e.mtime;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, java.util.Arrays.hashCode(content), linkTarget, mode, uid, gid, mtime);
    }

    @Override
    public String toString() {
        return kind + " " + path + (linkTarget.isEmpty() ? "" : " -> " + linkTarget);
    }
}
