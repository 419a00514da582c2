package io.podvisor.kubelet.volume;

import io.podvisor.core.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Makes a volume directory hold exactly a payload, swapped in as a whole as upstream's atomic
 * writer does: the files are written into a new hidden version directory ({@code ..<random>}), the
 * {@code ..data} symlink is renamed onto it in one step, and each top-level name of the payload is
 * a symlink through {@code ..data} ({@code key -> ..data/key}). A reader sees the whole old
 * payload or the whole new one, never a mix. The previous version is removed after the swap (a
 * container that bind-mounted one of its files keeps it); a payload equal to the current version,
 * modes included, changes nothing.
 */
final class PayloadWriter {

    /** The symlink to the current version directory. */
    static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";

    private PayloadWriter() {}

    /** Writes {@code payload} into {@code dir} (created if missing). */
    static void write(Path dir, Map<String, FileProjection> payload) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        Set<String> tops = new TreeSet<>();
        for (String key : payload.keySet()) {
            Path target = root.resolve(key).normalize();
            if (!target.startsWith(root) || target.equals(root) || root.relativize(target).getName(0).toString().startsWith("..")) {
                throw new IOException("invalid path " + key);
            }
            tops.add(root.relativize(target).getName(0).toString());
        }
        Path data = root.resolve(DATA);
        Path current = Files.isSymbolicLink(data) ? root.resolve(Files.readSymbolicLink(data)).normalize() : null;
        if (current == null || !holds(current, payload)) {
            current = newVersion(root, payload);
            Path link = root.resolve(DATA_TMP);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, current.getFileName());
            Files.move(link, data, StandardCopyOption.ATOMIC_MOVE); // rename(2): the swap
        }
        for (String top : tops) {
            Path name = root.resolve(top);
            Path through = Path.of(DATA, top);
            if (!Files.isSymbolicLink(name) || !Files.readSymbolicLink(name).equals(through)) {
                FileTrees.delete(name);
                Files.createSymbolicLink(name, through);
            }
        }
        removeOthers(root, tops, current.getFileName().toString());
    }

    /** A new version directory under {@code root} holding {@code payload}. */
    private static Path newVersion(Path root, Map<String, FileProjection> payload) throws IOException {
        Path version = Files.createTempDirectory(root, "..");
        setMode(version, 0755);
        for (var e : payload.entrySet()) {
            Path file = version.resolve(e.getKey()).normalize();
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue().data());
            setMode(file, e.getValue().mode());
        }
        return version;
    }

    /** Whether {@code version} holds exactly {@code payload}: the same files, bytes and modes. */
    private static boolean holds(Path version, Map<String, FileProjection> payload) throws IOException {
        if (!Files.isDirectory(version, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(version)) {
            files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        if (files.size() != payload.size()) {
            return false;
        }
        for (var e : payload.entrySet()) {
            Path file = version.resolve(e.getKey()).normalize();
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(file), e.getValue().data())
                    || !modeIs(file, e.getValue().mode())) {
                return false;
            }
        }
        return true;
    }

    /** Removes what is neither a payload name, {@code ..data} nor the current version (older versions, old layouts). */
    private static void removeOthers(Path root, Set<String> tops, String version) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(root)) {
            entries = list.toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (!name.equals(DATA) && !name.equals(version) && !tops.contains(name)) {
                FileTrees.delete(p);
            }
        }
    }

    private static boolean modeIs(Path file, int mode) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return true;
        }
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(permissions(mode));
    }

    /** Sets the permission bits of {@code file} to {@code mode} (lower nine bits); no-op off POSIX. */
    static void setMode(Path file, int mode) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(file, permissions(mode));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        return perms;
    }
}
