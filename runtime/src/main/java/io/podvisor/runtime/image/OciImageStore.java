package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.core.FileTrees;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * Layers are unpacked by {@link LayerUnpacker} (device nodes and FIFOs are skipped). An image is in
 * use while an overlay mount has its root filesystem as a lower directory (directly or through a
 * symlink); its content is then kept. Thread-safe and safe across processes.
 */
public final class OciImageStore implements ImageStore {

    private final Path root;
    private final RefFiles refs;
    private final StoreLock lock;

    public OciImageStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.refs = new RefFiles(this.root.resolve("refs"), this.root.resolve("tmp"));
        this.lock = new StoreLock(this.root.resolve("lock"));
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /** True when the blob {@code digest} ({@code sha256:…}) is present. */
    public boolean hasBlob(String digest) {
        return Digests.valid(digest) && Files.isRegularFile(blobPath(digest));
    }

    /** Where the blob {@code digest} lives (whether or not it is present). */
    public Path blobPath(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || digest.indexOf('/') >= 0 || digest.contains("..")) {
            throw new IllegalArgumentException("malformed digest \"" + digest + "\"");
        }
        return root.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1));
    }

    /**
     * Streams {@code in} into the blob {@code digest}, verifying the digest (and {@code size} when it is
     * not -1) while writing; the blob is published only when both match.
     *
     * @param progress told the byte count written so far
     * @throws ImageContentException if the content does not match; nothing is kept
     */
    public void writeBlob(String digest, long size, InputStream in, LongConsumer progress) throws IOException {
        Digests.hex(digest);
        Path tmp = Files.createTempFile(Files.createDirectories(root.resolve("tmp")), "blob-", "");
        try {
            var md = Digests.sha256();
            long count = 0;
            byte[] buf = new byte[65536];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    count += n;
                    if (size >= 0 && count > size) {
                        throw new ImageContentException("blob " + digest + ": more than the " + size + " bytes expected");
                    }
                    progress.accept(count);
                }
            }
            String actual = "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
            if (size >= 0 && count != size) {
                throw new ImageContentException("blob " + digest + ": size " + count + " does not match " + size);
            }
            if (!actual.equals(digest)) {
                throw new ImageContentException("blob " + digest + ": digest mismatch, the content is " + actual);
            }
            Path target = blobPath(digest);
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Installs the image whose manifest blob (OCI or Docker schema 2) and all the blobs it names are
     * present: unpacks its layers into the image's root filesystem (reused when present), then
     * publishes {@code reference} → {@code manifestDigest}. When {@code repoDigest} is given it is
     * published too, so the image can be resolved by digest.
     *
     * @param reference  the reference to publish (a tag or a digest reference)
     * @param repoDigest the digest reference the image was pulled as ({@code domain/repo@sha256:…}), or null
     * @throws ImageContentException if the content is corrupt or unsafe; nothing is published
     */
    public ImageInfo install(String reference, String manifestDigest, String repoDigest) throws IOException {
        ImageReference ref = reference(reference);
        ImageReference digestRef = repoDigest == null ? null : reference(repoDigest);
        ImageManifest manifest = ImageManifest.parse(manifestDigest, verifiedBlob(manifestDigest));
        String configDigest = manifest.config().digest();
        JsonNode config = ImageManifest.readTree(verifiedBlob(configDigest), "config " + configDigest);
        List<String> diffIds = ImageManifest.diffIds(configDigest, config);
        if (diffIds.size() != manifest.layers().size()) {
            throw new ImageContentException("manifest " + manifestDigest + " has " + manifest.layers().size()
                    + " layers but its config lists " + diffIds.size() + " diff ids");
        }
        List<String> blobs = new ArrayList<>(List.of(manifestDigest, configDigest));
        long size = 0;
        for (ImageManifest.Descriptor layer : manifest.layers()) {
            if (!hasBlob(layer.digest()) || Files.size(blobPath(layer.digest())) != layer.size()) {
                throw new ImageContentException("layer " + layer.digest() + " is missing or not " + layer.size() + " bytes");
            }
            blobs.add(layer.digest());
            size += layer.size();
        }
        RefFiles.Ref record = new RefFiles.Ref(ref.toString(), manifestDigest, configDigest, size, blobs);
        Path rootfs = rootfs(configDigest);
        for (int attempt = 0; ; attempt++) {
            Path unpacked = Files.isDirectory(rootfs) ? null
                    : RootfsBuilder.unpack(root.resolve("tmp"), this::blobPath, manifest, diffIds);
            try {
                if (lock.locked(() -> publish(record, digestRef, rootfs, unpacked))) {
                    break;
                }
            } finally {
                if (unpacked != null) {
                    FileTrees.delete(unpacked);
                }
            }
            if (attempt > 2) {
                throw new IOException("the root filesystem of " + configDigest + " keeps disappearing");
            }
        }
        return status(ref.toString()).orElseThrow(() -> new IOException("image " + ref + " vanished after install"));
    }

    /** Under the lock: moves the unpacked rootfs in place and writes the references; false to retry. */
    private boolean publish(RefFiles.Ref record, ImageReference digestRef, Path rootfs, Path unpacked) throws IOException {
        if (!Files.isDirectory(rootfs)) {
            if (unpacked == null) {
                return false; // collected meanwhile
            }
            Files.createDirectories(rootfs.getParent());
            Files.move(unpacked, rootfs, StandardCopyOption.ATOMIC_MOVE);
        }
        for (String blob : record.blobs()) {
            if (!hasBlob(blob)) {
                throw new ImageContentException("blob " + blob + " disappeared while installing");
            }
        }
        List<RefFiles.Ref> replaced = new ArrayList<>();
        for (RefFiles.Ref r : digestRef == null || digestRef.toString().equals(record.reference())
                ? List.of(record) : List.of(record, record.as(digestRef.toString()))) {
            refs.read(ImageReference.parse(r.reference())).ifPresent(replaced::add);
            refs.write(r);
        }
        collect(replaced);
        return true;
    }

    /** The image {@code reference} (or image id) names, if present. */
    public Optional<ImageInfo> status(String reference) {
        List<RefFiles.Ref> all = refs.all();
        return find(reference, all).map(r -> info(r.config(), all));
    }

    /** Every image present, one per image id, in reference order. */
    public List<ImageInfo> list() {
        List<RefFiles.Ref> all = refs.all();
        Set<String> configs = new LinkedHashSet<>();
        all.forEach(r -> configs.add(r.config()));
        return configs.stream().map(c -> info(c, all)).toList();
    }

    /**
     * Removes the reference, and the image's content once no reference holds it. Removing an image
     * id, or an image's last tag, removes all its references.
     *
     * @throws RuntimeFailure if the reference is unknown or a container's root filesystem uses the image
     */
    public void remove(String reference) throws RuntimeFailure {
        try {
            lock.locked(() -> {
                removeLocked(reference);
                return null;
            });
        } catch (IOException e) {
            throw new RuntimeFailure("removing image \"" + reference + "\": " + e.getMessage(), e);
        }
    }

    private void removeLocked(String reference) throws IOException, RuntimeFailure {
        List<RefFiles.Ref> all = refs.all();
        RefFiles.Ref target = find(reference, all).orElseThrow(() -> notFound(reference));
        List<RefFiles.Ref> same = all.stream().filter(r -> r.config().equals(target.config())).toList();
        boolean lastTag = !target.isDigest()
                && same.stream().noneMatch(r -> !r.isDigest() && !r.reference().equals(target.reference()));
        List<RefFiles.Ref> going = isId(reference) || lastTag ? same : List.of(target);
        if (going.size() == same.size() && RootfsUse.inUse(rootfs(target.config()))) {
            throw new RuntimeFailure("image \"" + reference + "\" is in use by a container (image "
                    + target.config() + ")");
        }
        for (RefFiles.Ref r : going) {
            refs.delete(r.reference());
        }
        collect(going);
    }

    /** Deletes the blobs and root filesystems of {@code dropped} that no reference holds any more. */
    private void collect(List<RefFiles.Ref> dropped) throws IOException {
        List<RefFiles.Ref> kept = refs.all();
        Set<String> held = new LinkedHashSet<>();
        kept.forEach(r -> held.addAll(r.blobs()));
        for (RefFiles.Ref r : dropped) {
            for (String blob : r.blobs()) {
                if (!held.contains(blob) && Digests.valid(blob)) {
                    Files.deleteIfExists(blobPath(blob));
                }
            }
        }
        Set<String> configs = new LinkedHashSet<>();
        kept.forEach(r -> configs.add(r.config().substring(r.config().indexOf(':') + 1)));
        Path rootfsDir = root.resolve("rootfs");
        if (!Files.isDirectory(rootfsDir)) {
            return;
        }
        try (var dirs = Files.list(rootfsDir)) {
            for (Path d : dirs.toList()) {
                if (!configs.contains(d.getFileName().toString()) && !RootfsUse.inUse(d)) {
                    FileTrees.delete(d);
                    RootfsUse.forget(d);
                }
            }
        }
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        List<RefFiles.Ref> all = refs.all();
        RefFiles.Ref ref = find(reference, all).orElseThrow(() -> notFound(reference));
        Path rootfs = rootfs(ref.config());
        try {
            byte[] bytes = Files.readAllBytes(blobPath(ref.config()));
            JsonNode c = ImageManifest.readTree(bytes, "config " + ref.config()).path("config");
            if (!Files.isDirectory(rootfs)) {
                throw new RuntimeFailure("image \"" + ref.reference() + "\" has no root filesystem in " + root);
            }
            String name = isId(reference) ? ref.reference() : normalized(reference);
            return new ImageConfig(name, ref.config(), rootfs, strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                    strings(c.path("Env")), c.path("WorkingDir").asText(""), c.path("User").asText(""));
        } catch (IOException e) {
            throw new RuntimeFailure("image \"" + ref.reference() + "\" has an unreadable config: " + e.getMessage(), e);
        }
    }

    private Path rootfs(String configDigest) {
        return root.resolve("rootfs").resolve(configDigest.substring(configDigest.indexOf(':') + 1));
    }

    private byte[] verifiedBlob(String digest) throws IOException {
        Digests.hex(digest);
        if (!hasBlob(digest)) {
            throw new ImageContentException("blob " + digest + " is missing");
        }
        byte[] bytes = Files.readAllBytes(blobPath(digest));
        if (!Digests.of(bytes).equals(digest)) {
            throw new ImageContentException("blob " + digest + ": digest mismatch, the content is " + Digests.of(bytes));
        }
        return bytes;
    }

    private Optional<RefFiles.Ref> find(String reference, List<RefFiles.Ref> all) {
        if (isId(reference)) {
            String id = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
            return all.stream().filter(r -> r.config().equals(id)).findFirst();
        }
        String name = normalized(reference);
        return name == null ? Optional.empty() : all.stream().filter(r -> r.reference().equals(name)).findFirst();
    }

    private static ImageInfo info(String config, List<RefFiles.Ref> all) {
        List<RefFiles.Ref> same = all.stream().filter(r -> r.config().equals(config)).toList();
        return new ImageInfo(config, same.stream().filter(r -> !r.isDigest()).map(RefFiles.Ref::reference).toList(),
                same.stream().filter(RefFiles.Ref::isDigest).map(RefFiles.Ref::reference).toList(),
                same.getFirst().size());
    }

    /** An image id: {@code sha256:<hex>} or the 64 hex digits alone. */
    private static boolean isId(String reference) {
        return reference != null && reference.matches("(sha256:)?[0-9a-f]{64}");
    }

    private static String normalized(String reference) {
        try {
            return ImageReference.parse(reference).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ImageReference reference(String reference) throws ImageContentException {
        try {
            return ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ImageContentException("\"" + reference + "\": " + e.getMessage(), e);
        }
    }

    private static RuntimeFailure notFound(String reference) {
        String name = normalized(reference);
        return new RuntimeFailure("image \"" + (name == null || isId(reference) ? reference : name)
                + "\" not found");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
