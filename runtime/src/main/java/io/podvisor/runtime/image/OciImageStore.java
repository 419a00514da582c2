package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The image store on disk, shared by a server and {@code podvisor image} commands on the same data
 * directory (each sees the other's changes at once):
 * <pre>
 * &lt;root&gt;/blobs/sha256/&lt;hex&gt;        content-addressed blobs: indexes, manifests, configs, layers
 * &lt;root&gt;/rootfs/&lt;config-hex&gt;/     one unpacked root filesystem per image id
 * &lt;root&gt;/refs/&lt;domain&gt;/&lt;repo&gt;/&lt;tag | sha256:hex&gt;.json   a reference → its manifest
 * &lt;root&gt;/tmp/                     partial writes (never visible elsewhere)
 * &lt;root&gt;/lock                     serializes installs and removals across processes
 * </pre>
 * Everything is written, verified, then published by rename: a half-written image is never visible.
 * Thread-safe and safe across processes.
 */
public final class OciImageStore implements ImageStore {

    private final Path root;

    public OciImageStore(Path root) {
        this.root = root;
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /** True when the blob {@code digest} ({@code sha256:…}) is present. */
    public boolean hasBlob(String digest) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Where the blob {@code digest} lives (whether or not it is present). */
    public Path blobPath(String digest) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Streams {@code in} into the blob {@code digest}, verifying the digest (and {@code size} when it is
     * not -1) while writing; the blob is published only when both match.
     *
     * @param progress told the byte count written so far
     * @throws ImageContentException if the content does not match; nothing is kept
     */
    public void writeBlob(String digest, long size, InputStream in, LongConsumer progress) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Installs the image whose manifest blob (OCI or Docker schema 2) and all the blobs it names are
     * present: unpacks its layers into the image's root filesystem (reused when present), then
     * publishes {@code reference} → {@code manifestDigest}.
     *
     * @param reference  the reference to publish (a tag or a digest reference)
     * @param repoDigest the digest reference the image was pulled as ({@code domain/repo@sha256:…}), or null
     * @throws ImageContentException if the content is corrupt or unsafe; nothing is published
     */
    public ImageInfo install(String reference, String manifestDigest, String repoDigest) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The image {@code reference} names, if present. */
    public Optional<ImageInfo> status(String reference) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Every image present. */
    public List<ImageInfo> list() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Removes the reference, and the image's content once no reference holds it.
     *
     * @throws RuntimeFailure if the reference is unknown or a container's root filesystem uses the image
     */
    public void remove(String reference) throws RuntimeFailure {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        throw new UnsupportedOperationException("not yet");
    }
}
