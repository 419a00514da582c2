package io.podvisor.runtime.runc;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageConfig;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.ImageService;
import io.podvisor.runtime.image.RootfsUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * OCI bundles: {@code <containers>/<id>/} holding {@code lower} (a symlink to the image's root
 * filesystem, which keeps overlay options free of the image path's {@code :} and {@code ,}),
 * {@code upper} and {@code work} (the container's writable layer), {@code rootfs} (an empty
 * directory: runc mounts the overlay of these at {@code /} in the container's own mount namespace,
 * {@link OciSpec.RootLayers}) and {@code config.json}.
 *
 * <p>Thread-safe.
 */
final class Bundles {

    private final Path containersDir;
    private final ImageService images;

    Bundles(Path containersDir, ImageService images) {
        this.containersDir = containersDir;
        this.images = images;
    }

    /** Resolves the image and writes the bundle of a new container; on failure nothing remains. */
    RuncContainer create(String id, RuncSandbox sb, ContainerConfig config, Instant now) throws RuntimeFailure {
        ImageConfig image = images.resolve(config.image());
        String hostname = sb.utsNsPath == null ? hostname() : sb.config.hostname();
        ContainerProcess process = ContainerProcess.resolve(image, config, hostname);
        OciSpec.Sandbox joined = new OciSpec.Sandbox(sb.netnsPath, sb.ipcNsPath, sb.utsNsPath, sb.etcFiles(),
                sb.cgroupPath + "/" + id);
        Path dir = containersDir.resolve(id);
        Path lower = dir.resolve("lower");
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        String spec = OciSpec.build(process, config, joined,
                new OciSpec.RootLayers(lower.toString(), upper.toString(), work.toString()));
        String imageRef = images.status(config.image()).map(ImageInfo::imageRef).orElse(image.id());
        RuncContainer c = new RuncContainer(id, sb.id, config, imageRef, now, dir,
                joined.cgroupPath());
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(c.rootfs());
            Files.createSymbolicLink(lower, image.rootfs().toAbsolutePath());
            RootfsUse.record(image.rootfs(), c.dir); // the image stays while the bundle does
            Files.writeString(c.dir.resolve("config.json"), spec);
            return c;
        } catch (IOException e) {
            remove(c);
            throw new RuntimeFailure("writing the bundle of " + config.name() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the bundle (its overlay went with the container's mount namespace). Idempotent. */
    void remove(RuncContainer c) {
        Trees.deleteTree(c.dir);
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
