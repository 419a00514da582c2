package io.podvisor.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Best-effort removal of a file or directory tree. Symbolic links are removed, never followed;
 * whatever cannot be removed is left and skipped. Callers that may hold mounts under the tree
 * must unmount them first: the walk does not stop at mount points.
 */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Removes {@code path} and everything under it; a missing path is fine.
     *
     * @return true if nothing of it remains
     */
    public static boolean delete(Path path) {
        if (path == null) {
            return true;
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // what remains is reported by the result
            }
        }
        return !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}
