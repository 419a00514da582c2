package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.core.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports images into an {@link OciImageStore} from a {@code docker save} archive, an OCI archive
 * (a tar of an OCI image layout, possibly gzipped) or an OCI image layout directory. A
 * {@code docker save} archive's {@code manifest.json} wins over the OCI layout newer versions add.
 * Names come from {@code RepoTags}, or from the {@code index.json} annotations
 * {@code io.containerd.image.name} (a full reference) and {@code org.opencontainers.image.ref.name}
 * (a full reference, or a bare tag of the {@code name} given's repository). An image index yields
 * the manifest for {@code linux} and this machine's architecture. Every blob goes through
 * {@link OciImageStore#writeBlob} (verified), then {@link OciImageStore#install}. Thread-safe.
 */
public final class ImageArchives {

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    /**
     * One reference an import published.
     *
     * @param reference the normalized reference
     * @param image     the image it names
     */
    public record Imported(String reference, ImageInfo image) {}

    private final OciImageStore store;

    public ImageArchives(OciImageStore store) {
        this.store = store;
    }

    /**
     * Imports every image of {@code source} (an archive file or a layout directory).
     *
     * @param name names the images the source leaves unnamed and gives bare tags their repository;
     *             may be null
     * @throws ImageContentException if the source is not a readable image archive, corrupt, unsafe,
     *                               or names nothing (and {@code name} is null)
     */
    public List<Imported> importFrom(Path source, String name) throws IOException {
        ImageReference base = name == null ? null : reference(name);
        if (Files.isDirectory(source)) {
            return importDirectory(source, base);
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(store.root().resolve("tmp")), "import-");
        try {
            ArchiveExtractor.extract(source, dir);
            return importDirectory(dir, base);
        } finally {
            FileTrees.delete(dir);
        }
    }

    private List<Imported> importDirectory(Path dir, ImageReference base) throws IOException {
        if (Files.isRegularFile(dir.resolve("manifest.json"))) {
            return importDockerSave(dir, base);
        }
        if (Files.isRegularFile(dir.resolve("index.json"))) {
            return importLayout(dir, base);
        }
        throw new ImageContentException("not a docker save archive, OCI archive or OCI layout: "
                + "no manifest.json or index.json");
    }

    private List<Imported> importDockerSave(Path dir, ImageReference base) throws IOException {
        JsonNode entries = readJson(dir, "manifest.json");
        if (!entries.isArray()) {
            throw new ImageContentException("manifest.json is not a docker save manifest");
        }
        List<Imported> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            List<String> names = new ArrayList<>();
            entry.path("RepoTags").forEach(t -> names.add(t.asText()));
            String manifest = dockerSaveManifest(dir, entry);
            for (String ref : names(names, base)) {
                out.add(install(ref, manifest));
            }
        }
        return out;
    }

    /** Writes the config and layers of one {@code manifest.json} entry and an OCI manifest for them. */
    private String dockerSaveManifest(Path dir, JsonNode entry) throws IOException {
        Path configFile = ArchiveExtractor.inside(dir, entry.path("Config").asText());
        String configDigest = writeFile(configFile);
        ObjectNode manifest = ImageManifest.JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", ImageManifest.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", ImageManifest.OCI_CONFIG).put("digest", configDigest)
                .put("size", Files.size(configFile));
        ArrayNode layers = manifest.putArray("layers");
        for (JsonNode layer : entry.path("Layers")) {
            Path file = ArchiveExtractor.inside(dir, layer.asText());
            String digest = writeFile(file);
            layers.addObject().put("mediaType", layerType(file)).put("digest", digest).put("size", Files.size(file));
        }
        return writeBytes(ImageManifest.JSON.writeValueAsBytes(manifest));
    }

    private List<Imported> importLayout(Path dir, ImageReference base) throws IOException {
        JsonNode index = readJson(dir, "index.json");
        List<Imported> out = new ArrayList<>();
        for (JsonNode d : index.path("manifests")) {
            if (d.has("platform") && !Platforms.matches(d.path("platform"))) {
                continue;
            }
            ImageManifest.Descriptor top = ImageManifest.Descriptor.of(d);
            String manifest = platformManifest(dir, top);
            List<String> found = new ArrayList<>();
            JsonNode annotations = d.path("annotations");
            if (annotations.hasNonNull(CONTAINERD_NAME)) {
                found.add(annotations.path(CONTAINERD_NAME).asText());
            } else if (annotations.hasNonNull(REF_NAME)) {
                found.add(annotations.path(REF_NAME).asText());
            }
            for (String ref : names(found, base)) {
                out.add(install(ref, manifest));
            }
        }
        if (out.isEmpty()) {
            throw new ImageContentException("the layout's index.json names no image for " + Platforms.host());
        }
        return out;
    }

    /** Copies what {@code top} needs into the store; returns the digest of the manifest to install. */
    private String platformManifest(Path dir, ImageManifest.Descriptor top) throws IOException {
        byte[] bytes = layoutBlob(dir, top);
        JsonNode n = ImageManifest.readTree(bytes, "manifest " + top.digest());
        String type = n.path("mediaType").asText(top.mediaType());
        if (type.equals(ImageManifest.OCI_INDEX) || type.equals(ImageManifest.DOCKER_LIST) || n.has("manifests")) {
            for (JsonNode m : n.path("manifests")) {
                if (Platforms.matches(m.path("platform"))) {
                    return platformManifest(dir, ImageManifest.Descriptor.of(m));
                }
            }
            throw new ImageContentException("image index " + top.digest() + " has no manifest for " + Platforms.host());
        }
        ImageManifest manifest = ImageManifest.parse(top.digest(), bytes);
        layoutBlob(dir, manifest.config());
        for (ImageManifest.Descriptor layer : manifest.layers()) {
            copyBlob(dir, layer);
        }
        return top.digest();
    }

    private byte[] layoutBlob(Path dir, ImageManifest.Descriptor d) throws IOException {
        copyBlob(dir, d);
        return Files.readAllBytes(store.blobPath(d.digest()));
    }

    private void copyBlob(Path dir, ImageManifest.Descriptor d) throws IOException {
        if (store.hasBlob(d.digest())) {
            return;
        }
        Path file = dir.resolve("blobs/sha256").resolve(Digests.hex(d.digest()));
        if (!Files.isRegularFile(file)) {
            throw new ImageContentException("blob " + d.digest() + " is missing from the layout");
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.writeBlob(d.digest(), d.size(), in, n -> { });
        }
    }

    /** The references {@code found} names, completed with {@code base}; {@code base} alone when none. */
    private static List<String> names(List<String> found, ImageReference base) throws ImageContentException {
        List<String> out = new ArrayList<>();
        for (String n : found) {
            if (n.isEmpty()) {
                continue;
            }
            if (!n.contains("/") && !n.contains(":") && !n.contains("@")) {
                if (base == null) {
                    throw new ImageContentException("the archive names the image by tag \"" + n
                            + "\" only; give a name for its repository");
                }
                out.add(reference(base.domain() + "/" + base.repository() + ":" + n).toString());
            } else {
                out.add(reference(n).toString());
            }
        }
        if (out.isEmpty()) {
            if (base == null) {
                throw new ImageContentException("the archive does not name its image; give a name");
            }
            out.add(base.toString());
        }
        return out;
    }

    private Imported install(String reference, String manifestDigest) throws IOException {
        return new Imported(reference, store.install(reference, manifestDigest, null));
    }

    private String writeFile(Path file) throws IOException {
        Digests.Counting c;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            c = new Digests.Counting(in);
            c.drain();
        }
        String digest = c.digest();
        if (!store.hasBlob(digest)) {
            try (InputStream in = Files.newInputStream(file)) {
                store.writeBlob(digest, c.count(), in, n -> { });
            }
        }
        return digest;
    }

    private String writeBytes(byte[] bytes) throws IOException {
        String digest = Digests.of(bytes);
        store.writeBlob(digest, bytes.length, new java.io.ByteArrayInputStream(bytes), n -> { });
        return digest;
    }

    /** A layer file's media type from its first bytes: gzip, zstd or a plain tar. */
    private static String layerType(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return ImageManifest.OCI_LAYER_GZIP;
        }
        if (n == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ImageManifest.OCI_LAYER_ZSTD;
        }
        return ImageManifest.OCI_LAYER;
    }

    private static JsonNode readJson(Path dir, String name) throws IOException {
        try {
            return ImageManifest.JSON.readTree(Files.readAllBytes(dir.resolve(name)));
        } catch (IOException e) {
            throw new ImageContentException(name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ImageReference reference(String name) throws ImageContentException {
        try {
            return ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ImageContentException("\"" + name + "\": " + e.getMessage(), e);
        }
    }

    /** The platform this machine runs: {@code linux} and its architecture as OCI names it. */
    static final class Platforms {
        private Platforms() {}

        static String architecture() {
            String arch = System.getProperty("os.arch");
            return Map.of("x86_64", "amd64", "aarch64", "arm64").getOrDefault(arch, arch);
        }

        static String host() {
            return "linux/" + architecture();
        }

        static boolean matches(JsonNode platform) {
            return platform.path("os").asText().equals("linux")
                    && platform.path("architecture").asText().equals(architecture());
        }
    }
}
