package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;
import java.nio.file.Path;

/**
 * Images kept as unpacked directories: {@code <root>/<registry>/<repository>/<tag>/rootfs}, with an
 * optional {@code config.json} beside {@code rootfs} holding the OCI image config
 * ({@code {"config": {"Entrypoint": [...], "Cmd": [...], "Env": [...], "WorkingDir": "", "User": ""}}}).
 * A missing config means none of those. The image id is the SHA-256 of {@code config.json} (or of
 * the reference when there is none).
 */
public final class DirectoryImageStore implements ImageStore {

    private final Path root;

    public DirectoryImageStore(Path root) {
        this.root = root;
    }

    /** The directory an image lives in (whether or not it exists). */
    public Path directory(String reference) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        throw new UnsupportedOperationException("not implemented yet " + root);
    }
}
