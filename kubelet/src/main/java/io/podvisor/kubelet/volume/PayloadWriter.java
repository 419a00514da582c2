package io.podvisor.kubelet.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Makes a volume directory hold exactly a payload: changed files are replaced by a rename (a
 * reader sees the old or the new content, never a half-written file), unchanged ones are left,
 * files no longer in the payload are removed. Permissions are set from each file's mode.
 */
final class PayloadWriter {

    private PayloadWriter() {}

    /** Writes {@code payload} into {@code dir} (created if missing). */
    static void write(Path dir, Map<String, FileProjection> payload) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        for (var e : payload.entrySet()) {
            Path target = root.resolve(e.getKey()).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IOException("invalid path " + e.getKey());
            }
            writeFile(target, e.getValue());
        }
        removeOthers(root, payload.keySet());
    }

    private static void writeFile(Path target, FileProjection f) throws IOException {
        Files.createDirectories(target.getParent());
        if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), f.data())) {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(tmp, f.data());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        setMode(target, f.mode());
    }

    private static void removeOthers(Path root, Set<String> keep) throws IOException {
        Set<Path> wanted = new java.util.HashSet<>();
        for (String k : keep) {
            wanted.add(root.resolve(k).normalize());
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!wanted.contains(file)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (!d.equals(root)) {
                    try (var s = Files.list(d)) {
                        if (s.findAny().isEmpty()) {
                            Files.delete(d);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Sets the permission bits of {@code file} to {@code mode} (lower nine bits); no-op off POSIX. */
    static void setMode(Path file, int mode) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
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
        Files.setPosixFilePermissions(file, perms);
    }
}
