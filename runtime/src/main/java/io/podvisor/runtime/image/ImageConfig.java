package io.podvisor.runtime.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A resolved image: where its root filesystem lies and the parts of its OCI config a container
 * starts from.
 *
 * @param reference  the normalized reference, e.g. {@code docker.io/library/busybox:latest}
 * @param id         the image id ({@code sha256:…}) shown as {@code imageID}
 * @param rootfs     a directory holding the unpacked root filesystem; never written to
 * @param entrypoint the image's entrypoint (may be empty)
 * @param cmd        the image's default arguments (may be empty)
 * @param env        {@code NAME=value} entries
 * @param workingDir empty: {@code /}
 * @param user       empty: root
 */
public record ImageConfig(String reference, String id, Path rootfs, List<String> entrypoint, List<String> cmd,
                          List<String> env, String workingDir, String user) {
    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }
}
