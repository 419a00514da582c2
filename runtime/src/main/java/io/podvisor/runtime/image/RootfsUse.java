package io.podvisor.runtime.image;

import io.podvisor.core.FileTrees;
import io.podvisor.runtime.linux.Mounts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a container uses an image's root filesystem: a container recorded itself as a user
 * ({@link #record}: a symlink {@code <images>/users/<image id>/<name>} to the container's directory,
 * which counts while that directory exists), or some overlay mount's lower directory, in any mount
 * namespace on the host, is that root or a symlink to it (runc containers mount
 * {@code <bundle>/lower}, a symlink to the image, in their own namespace). Read afresh each time,
 * so another process on the same data directory sees it at once.
 */
public final class RootfsUse {

    private RootfsUse() {}

    /**
     * Records that the container whose directory is {@code user} uses the image root {@code rootfs}
     * (an {@code ImageConfig.rootfs()} of an {@link OciImageStore}); it stops counting once that
     * directory is gone.
     */
    public static void record(Path rootfs, Path user) throws IOException {
        Path users = Files.createDirectories(usersOf(rootfs));
        Path link = users.resolve(user.getFileName().toString());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, user.toAbsolutePath());
    }

    /** {@code <images>/users/<image id>} for {@code <images>/rootfs/<image id>}. */
    static Path usersOf(Path rootfs) {
        Path abs = rootfs.toAbsolutePath();
        return abs.getParent().resolveSibling("users").resolve(abs.getFileName().toString());
    }

    /** Forgets the users recorded for {@code rootfs} (it is being deleted). */
    static void forget(Path rootfs) {
        FileTrees.delete(usersOf(rootfs));
    }

    /** True when a recorded user still exists, or an overlay mount has {@code rootfs} (or something under it) as a lower directory. */
    static boolean inUse(Path rootfs) {
        if (!Files.isDirectory(rootfs)) {
            return false;
        }
        if (recordedUser(rootfs)) {
            return true;
        }
        Path real;
        try {
            real = rootfs.toRealPath();
        } catch (IOException e) {
            return false;
        }
        for (String lower : Mounts.overlayLowerDirs()) {
            try {
                if (Path.of(lower).toRealPath().startsWith(real)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // a lower directory gone or unreadable is not this image
            }
        }
        return false;
    }

    /** Whether a recorded user's directory exists; links to directories that are gone are dropped. */
    private static boolean recordedUser(Path rootfs) {
        Path users = usersOf(rootfs);
        if (!Files.isDirectory(users)) {
            return false;
        }
        boolean used = false;
        try (DirectoryStream<Path> links = Files.newDirectoryStream(users)) {
            for (Path link : links) {
                if (Files.isDirectory(link)) {
                    used = true;
                } else {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            return used;
        }
        return used;
    }
}
