package io.podvisor.runtime.image;

import io.podvisor.core.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies layer tars, bottom first, to a directory that becomes an image's root filesystem: regular
 * files, directories, symlinks, hard links, whiteouts ({@code .wh.<name>} deletes a lower layer's
 * {@code name}; {@code .wh..wh..opq} hides a directory's lower content), modes including
 * setuid/setgid/sticky, ownership (when running as root) and modification times (directories last).
 * Device nodes and FIFOs are skipped: runc provides {@code /dev}.
 *
 * <p>Paths are resolved as inside a chroot: an absolute name or symlink target is taken from the
 * root, and a {@code ..} that would climb above the root — in an entry name, a hard link source or
 * a symlink crossed on the way — is refused with {@link ImageContentException}. Nothing is ever
 * written outside the root. Not thread-safe; one instance per root filesystem.
 */
final class LayerUnpacker {

    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT = ".wh.";
    private static final int MAX_LINKS = 255;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final boolean chown;
    private final Map<Path, FileTime> dirTimes = new LinkedHashMap<>();
    private Set<Path> thisLayer = new HashSet<>();

    LayerUnpacker(Path root) {
        this.root = root;
        this.chown = runningAsRoot();
    }

    /** Applies one uncompressed layer tar on top of what is there; reads {@code in} to the tar's end. */
    void apply(InputStream in) throws IOException {
        thisLayer = new HashSet<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            apply(e, tar);
        }
    }

    /** Sets the directories' modification times, deepest first; call after the last layer. */
    void finish() throws IOException {
        List<Path> dirs = new ArrayList<>(dirTimes.keySet());
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) {
            if (Files.isDirectory(d, NOFOLLOW)) {
                Files.getFileAttributeView(d, BasicFileAttributeView.class, NOFOLLOW).setTimes(dirTimes.get(d), null, null);
            }
        }
    }

    private void apply(TarArchiveEntry e, InputStream content) throws IOException {
        String name = e.getName();
        List<String> parts = components(name);
        if (parts.isEmpty()) {
            if (e.isDirectory()) {
                attributes(root, e);
                dirTimes.put(root, e.getLastModifiedTime());
            }
            return;
        }
        String base = parts.getLast();
        if (base.equals("..")) {
            throw escape(name);
        }
        Path parent = directory(parts.subList(0, parts.size() - 1), name, true);
        if (base.equals(OPAQUE)) {
            clearLower(parent);
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String victim = base.substring(WHITEOUT.length());
            if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
                throw new ImageContentException("invalid whiteout \"" + name + "\"");
            }
            FileTrees.delete(parent.resolve(victim));
            return;
        }
        Path target = parent.resolve(base);
        if (e.isDirectory()) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                FileTrees.delete(target);
                Files.createDirectory(target);
            }
            attributes(target, e);
            dirTimes.put(target, e.getLastModifiedTime());
        } else if (e.isSymbolicLink()) {
            replace(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            attributes(target, e);
        } else if (e.isLink()) {
            Path source = existing(e.getLinkName(), name);
            replace(target);
            Files.createLink(target, source);
        } else if (e.isFile()) {
            replace(target);
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                content.transferTo(out);
            }
            attributes(target, e);
        } else {
            return; // device nodes, FIFOs and anything else: not created
        }
        thisLayer.add(target);
    }

    /** The names in {@code name} without empty and {@code .} parts. */
    private static List<String> components(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    /**
     * The real directory {@code parts} name under the root, following symlinks as a chroot would;
     * missing directories are created when {@code create}.
     */
    private Path directory(List<String> parts, String entry, boolean create) throws IOException {
        Deque<String> todo = new ArrayDeque<>(parts);
        Path cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.equals(root)) {
                    throw escape(entry);
                }
                cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(c);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new ImageContentException("too many levels of symbolic links in \"" + entry + "\"");
                }
                String target = Files.readSymbolicLink(next).toString();
                List<String> via = components(target);
                for (int i = via.size() - 1; i >= 0; i--) {
                    todo.push(via.get(i));
                }
                if (target.startsWith("/")) {
                    cur = root;
                }
                continue;
            }
            if (!Files.exists(next, NOFOLLOW)) {
                if (!create) {
                    throw new ImageContentException("\"" + entry + "\": no such directory in the image");
                }
                Files.createDirectory(next);
            } else if (!Files.isDirectory(next, NOFOLLOW)) {
                throw new ImageContentException("\"" + entry + "\": " + root.relativize(next) + " is not a directory");
            }
            cur = next;
        }
        return cur;
    }

    /** An existing non-directory at {@code name} (a hard link's source). */
    private Path existing(String name, String entry) throws IOException {
        List<String> parts = components(name);
        if (parts.isEmpty() || parts.getLast().equals("..")) {
            throw escape(entry + " -> " + name);
        }
        Path p = directory(parts.subList(0, parts.size() - 1), entry + " -> " + name, false).resolve(parts.getLast());
        if (!Files.exists(p, NOFOLLOW) || Files.isDirectory(p, NOFOLLOW)) {
            throw new ImageContentException("hard link \"" + entry + "\": target \"" + name + "\" is not a file in the image");
        }
        return p;
    }

    /** Removes whatever is at {@code target} so a new entry can take its place. */
    private static void replace(Path target) throws IOException {
        if (Files.isDirectory(target, NOFOLLOW)) {
            if (!FileTrees.delete(target)) {
                throw new IOException("cannot replace directory " + target);
            }
        } else {
            Files.deleteIfExists(target);
        }
    }

    /** Deletes what lower layers put under {@code dir}, keeping what this layer added. */
    private void clearLower(Path dir) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.toList();
        }
        for (Path child : children) {
            if (!thisLayer.contains(child)) {
                FileTrees.delete(child);
            } else if (Files.isDirectory(child, NOFOLLOW)) {
                clearLower(child);
            }
        }
    }

    private void attributes(Path p, TarArchiveEntry e) throws IOException {
        boolean link = e.isSymbolicLink();
        if (chown) {
            Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
            Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
        }
        if (!link) {
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777);
        }
        if (!e.isDirectory()) {
            try {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                        .setTimes(e.getLastModifiedTime(), null, null);
            } catch (IOException ex) {
                if (!link) {
                    throw ex;
                }
            }
        }
    }

    private static ImageContentException escape(String name) {
        return new ImageContentException("path \"" + name + "\" escapes the image's root filesystem");
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
