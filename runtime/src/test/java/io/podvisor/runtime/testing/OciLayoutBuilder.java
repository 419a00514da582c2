package io.podvisor.runtime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds OCI images for tests: layers from {@link TarEntrySpec}s (gzip, zstd or uncompressed), an
 * image config with the right {@code rootfs.diff_ids}, and a manifest — or, after
 * {@link #addPlatform}, an image index with one manifest per platform. {@link #build()} gives every
 * blob in memory (to serve from a fake registry); {@link BuiltLayout} writes it as an OCI layout
 * directory, an OCI archive or a {@code docker save} archive.
 *
 * <pre>
 * BuiltLayout image = new OciLayoutBuilder()
 *         .layer(Compression.GZIP, TarEntrySpec.dir("etc"), TarEntrySpec.file("etc/motd", "hi"))
 *         .cmd("sh").env("PATH=/bin")
 *         .tag("1.0")
 *         .build();
 * image.writeLayout(dir);
 * </pre>
 * Not thread-safe.
 */
public final class OciLayoutBuilder {

    /** Media type of an OCI image manifest. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Media type of an OCI image index. */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Media type of an OCI image config. */
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    /** Media type of a Docker schema 2 manifest. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Media type of a Docker manifest list. */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** Media type of a Docker image config. */
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    /** The annotation naming an image in an OCI layout's {@code index.json}. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The annotation containerd and docker put the full image name in. */
    public static final String CONTAINERD_NAME = "io.containerd.image.name";

    static final ObjectMapper JSON = new ObjectMapper();

    /** How a layer blob is compressed, with its OCI and Docker media types. */
    public enum Compression {
        NONE("application/vnd.oci.image.layer.v1.tar", "application/vnd.docker.image.rootfs.diff.tar"),
        GZIP("application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip"),
        ZSTD("application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar.zstd");

        private final String oci;
        private final String docker;

        Compression(String oci, String docker) {
            this.oci = oci;
            this.docker = docker;
        }

        /** The layer media type under OCI or Docker media types. */
        public String mediaType(boolean dockerTypes) {
            return dockerTypes ? docker : oci;
        }
    }

    /** One platform's image: its layers and config. */
    public static final class Image {
        private final String os;
        private final String architecture;
        private final List<Compression> compressions = new ArrayList<>();
        private final List<List<TarEntrySpec>> layers = new ArrayList<>();
        private List<String> entrypoint;
        private List<String> cmd;
        private final List<String> env = new ArrayList<>();
        private String workingDir = "";
        private String user = "";

        Image(String os, String architecture) {
            this.os = os;
            this.architecture = architecture;
        }

        /** Adds a layer on top of the previous ones. */
        public Image layer(Compression compression, List<TarEntrySpec> entries) {
            compressions.add(compression);
            layers.add(List.copyOf(entries));
            return this;
        }

        public Image entrypoint(String... args) {
            entrypoint = List.of(args);
            return this;
        }

        public Image cmd(String... args) {
            cmd = List.of(args);
            return this;
        }

        /** Adds {@code NAME=value} entries. */
        public Image env(String... entries) {
            env.addAll(List.of(entries));
            return this;
        }

        public Image workingDir(String dir) {
            workingDir = dir;
            return this;
        }

        public Image user(String name) {
            user = name;
            return this;
        }
    }

    private final List<Image> images = new ArrayList<>();
    private final List<Map<String, String>> indexEntries = new ArrayList<>();
    private boolean index;
    private boolean dockerTypes;

    /** A builder of one image for {@code linux} and this machine's architecture. */
    public OciLayoutBuilder() {
        images.add(new Image("linux", hostArchitecture()));
    }

    /** This JVM's architecture as OCI names it ({@code amd64}, {@code arm64}, …). */
    public static String hostArchitecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    /** The first image (the only one unless {@link #addPlatform} was called). */
    public Image image() {
        return images.getFirst();
    }

    /** Replaces the first image's platform (it keeps nothing else). */
    public OciLayoutBuilder platform(String os, String architecture) {
        images.set(0, new Image(os, architecture));
        return this;
    }

    /** Adds an image for another platform; the result becomes an image index. */
    public Image addPlatform(String os, String architecture) {
        index = true;
        Image image = new Image(os, architecture);
        images.add(image);
        return image;
    }

    /** Makes the result an image index even with one platform. */
    public OciLayoutBuilder asIndex() {
        index = true;
        return this;
    }

    /** Uses Docker schema 2 media types (manifest, manifest list, config, layers) instead of OCI's. */
    public OciLayoutBuilder dockerMediaTypes() {
        dockerTypes = true;
        return this;
    }

    /** Adds a layer to the first image. */
    public OciLayoutBuilder layer(Compression compression, TarEntrySpec... entries) {
        image().layer(compression, List.of(entries));
        return this;
    }

    public OciLayoutBuilder entrypoint(String... args) {
        image().entrypoint(args);
        return this;
    }

    public OciLayoutBuilder cmd(String... args) {
        image().cmd(args);
        return this;
    }

    public OciLayoutBuilder env(String... entries) {
        image().env(entries);
        return this;
    }

    public OciLayoutBuilder workingDir(String dir) {
        image().workingDir(dir);
        return this;
    }

    public OciLayoutBuilder user(String name) {
        image().user(name);
        return this;
    }

    /** Names the image in {@code index.json} by annotation {@value #REF_NAME} (a tag or a full reference). */
    public OciLayoutBuilder tag(String refName) {
        return indexEntry(Map.of(REF_NAME, refName));
    }

    /** Adds an {@code index.json} entry for the image with these annotations. */
    public OciLayoutBuilder indexEntry(Map<String, String> annotations) {
        indexEntries.add(Map.copyOf(annotations));
        return this;
    }

    /** Builds every blob. */
    public BuiltLayout build() {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        Map<String, byte[]> diffs = new LinkedHashMap<>();
        List<BuiltLayout.BuiltImage> built = new ArrayList<>();
        for (Image image : images) {
            built.add(buildImage(image, blobs, diffs));
        }
        String mediaType;
        byte[] top;
        if (index) {
            mediaType = dockerTypes ? DOCKER_MANIFEST_LIST : OCI_INDEX;
            ObjectNode idx = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", mediaType);
            ArrayNode manifests = idx.putArray("manifests");
            for (BuiltLayout.BuiltImage b : built) {
                ObjectNode d = descriptor(manifestType(), b.manifestDigest(), b.manifestSize());
                d.putObject("platform").put("architecture", b.architecture()).put("os", b.os());
                manifests.add(d);
            }
            top = bytes(idx);
            blobs.put(digest(top), top);
        } else {
            mediaType = manifestType();
            top = blobs.get(built.getFirst().manifestDigest());
        }
        List<Map<String, String>> entries = indexEntries.isEmpty() ? List.of(Map.of()) : List.copyOf(indexEntries);
        return new BuiltLayout(mediaType, digest(top), top.length, blobs, diffs, built, entries);
    }

    private BuiltLayout.BuiltImage buildImage(Image image, Map<String, byte[]> blobs, Map<String, byte[]> diffs) {
        ArrayNode layerDescriptors = JSON.createArrayNode();
        List<String> layerDigests = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < image.layers.size(); i++) {
            byte[] tar = tar(image.layers.get(i));
            byte[] blob = compress(tar, image.compressions.get(i));
            String d = digest(blob);
            blobs.put(d, blob);
            diffs.put(digest(tar), tar);
            layerDigests.add(d);
            diffIds.add(digest(tar));
            layerDescriptors.add(descriptor(image.compressions.get(i).mediaType(dockerTypes), d, blob.length));
        }
        byte[] config = bytes(config(image, diffIds));
        String configDigest = digest(config);
        blobs.put(configDigest, config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", manifestType());
        manifest.set("config", descriptor(dockerTypes ? DOCKER_CONFIG : OCI_CONFIG, configDigest, config.length));
        manifest.set("layers", layerDescriptors);
        byte[] m = bytes(manifest);
        blobs.put(digest(m), m);
        return new BuiltLayout.BuiltImage(image.os, image.architecture, digest(m), m.length, configDigest,
                layerDigests, diffIds);
    }

    private static ObjectNode config(Image image, List<String> diffIds) {
        ObjectNode config = JSON.createObjectNode()
                .put("created", "2024-01-01T00:00:00Z")
                .put("architecture", image.architecture).put("os", image.os);
        ObjectNode c = config.putObject("config");
        if (image.entrypoint != null) {
            image.entrypoint.forEach(c.putArray("Entrypoint")::add);
        }
        if (image.cmd != null) {
            image.cmd.forEach(c.putArray("Cmd")::add);
        }
        image.env.forEach(c.putArray("Env")::add);
        c.put("WorkingDir", image.workingDir).put("User", image.user);
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        diffIds.forEach(rootfs.putArray("diff_ids")::add);
        return config;
    }

    private String manifestType() {
        return dockerTypes ? DOCKER_MANIFEST : OCI_MANIFEST;
    }

    static ObjectNode descriptor(String mediaType, String digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
    }

    /** The uncompressed tar of {@code entries}, in order, exactly as given. */
    public static byte[] tar(List<TarEntrySpec> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (TarEntrySpec e : entries) {
                TarArchiveEntry entry = switch (e.kind()) {
                    case FILE -> new TarArchiveEntry(e.path(), true);
                    case DIRECTORY -> new TarArchiveEntry(e.path().endsWith("/") ? e.path() : e.path() + "/", true);
                    case SYMLINK -> new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK, true);
                    case HARDLINK -> new TarArchiveEntry(e.path(), TarConstants.LF_LINK, true);
                    case FIFO -> new TarArchiveEntry(e.path(), TarConstants.LF_FIFO, true);
                };
                if (!e.linkTarget().isEmpty()) {
                    entry.setLinkName(e.linkTarget());
                }
                int type = switch (e.kind()) {
                    case DIRECTORY -> 0040000;
                    case SYMLINK -> 0120000;
                    case FIFO -> 0010000;
                    default -> 0100000;
                };
                entry.setMode(type | e.mode());
                entry.setUserId(e.uid());
                entry.setGroupId(e.gid());
                entry.setModTime(e.mtime() * 1000);
                byte[] content = e.content();
                if (e.kind() == TarEntrySpec.Kind.FILE) {
                    entry.setSize(content.length);
                }
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code data} compressed as {@code compression} says. */
    public static byte[] compress(byte[] data, Compression compression) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = switch (compression) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out);
            case ZSTD -> new ZstdOutputStream(out);
        }) {
            c.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code sha256:<hex>} of {@code data}. */
    public static String digest(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of blob {@code digest} inside a layout: {@code blobs/sha256/<hex>}. */
    public static String blobPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    static Path blobPath(Path layout, String digest) {
        return layout.resolve(blobPath(digest));
    }
}
