package io.podvisor.runtime.image;

import io.podvisor.core.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Builds an image's root filesystem from its layer blobs in a fresh directory, verifying each
 * blob's digest and size and each uncompressed layer against the config's diff id as it streams.
 * Stateless.
 */
final class RootfsBuilder {

    private RootfsBuilder() {}

    /** Unpacks the layers into a fresh directory under tmp, verifying every digest. */
    static Path unpack(Path tmp, Function<String, Path> blobs, ImageManifest manifest, List<String> diffIds)
            throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(tmp), "rootfs-");
        try {
            Files.setAttribute(dir, "unix:mode", 0755);
            LayerUnpacker unpacker = new LayerUnpacker(dir);
            for (int i = 0; i < diffIds.size(); i++) {
                ImageManifest.Descriptor layer = manifest.layers().get(i);
                try {
                    applyLayer(unpacker, blobs.apply(layer.digest()), layer, diffIds.get(i));
                } catch (ImageContentException | java.nio.file.FileSystemException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ImageContentException("layer " + layer.digest() + " is not a readable "
                            + layer.mediaType() + ": " + e.getMessage(), e);
                }
            }
            unpacker.finish();
            return dir;
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
    }

    private static void applyLayer(LayerUnpacker unpacker, Path blob, ImageManifest.Descriptor layer, String diffId)
            throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(blob), 65536)) {
            Digests.Counting compressed = new Digests.Counting(file);
            Digests.Counting diff = new Digests.Counting(ImageManifest.decompressor(layer.mediaType()).open(compressed));
            try {
                unpacker.apply(diff);
                diff.drain();
            } catch (ImageContentException | java.nio.file.FileSystemException e) {
                throw e;
            } catch (IOException e) {
                compressed.drain();
                if (!compressed.digest().equals(layer.digest())) {
                    throw new ImageContentException("layer " + layer.digest() + ": digest mismatch, the content is "
                            + compressed.digest(), e);
                }
                throw e;
            }
            compressed.drain();
            if (!compressed.digest().equals(layer.digest()) || compressed.count() != layer.size()) {
                throw new ImageContentException("layer " + layer.digest() + ": digest mismatch, the content is "
                        + compressed.digest());
            }
            if (!diff.digest().equals(diffId)) {
                throw new ImageContentException("layer " + layer.digest() + ": uncompressed digest " + diff.digest()
                        + " does not match the config's diff id " + diffId);
            }
        }
    }
}
