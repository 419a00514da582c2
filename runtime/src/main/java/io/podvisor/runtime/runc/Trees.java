package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recursive deletion that never follows symlinks and never crosses into a mount that is still there. */
final class Trees {

    private Trees() {}

    /**
     * Deletes {@code dir} and everything under it (best effort). A mount still under it is unmounted
     * first; if one survives even that, nothing is deleted.
     */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Mounts.under(dir).isEmpty()) {
            Mounts.unmountAll(dir);
            if (!Mounts.under(dir).isEmpty()) {
                return; // a mount survived: deleting would reach into it (an image's lower dir, a volume)
            }
        }
        io.podvisor.core.FileTrees.delete(dir); // best effort: the next start's sweep retries
    }
}
