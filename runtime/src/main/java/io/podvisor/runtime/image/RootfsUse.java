package io.podvisor.runtime.image;

import io.podvisor.runtime.linux.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a container's root filesystem is an overlay on an image's root filesystem: some overlay
 * mount's lower directory is that directory, or a symlink to it (runc bundles mount
 * {@code <bundle>/lower}, a symlink to the image). Read from {@code /proc/self/mountinfo} each time.
 */
final class RootfsUse {

    private RootfsUse() {}

    /** True when an overlay mount has {@code rootfs} (or something under it) as a lower directory. */
    static boolean inUse(Path rootfs) {
        if (!Files.isDirectory(rootfs)) {
            return false;
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
}
