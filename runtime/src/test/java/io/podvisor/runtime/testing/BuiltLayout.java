package io.podvisor.runtime.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.runtime.image.ImageReference;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image {@link OciLayoutBuilder} built: every blob in memory and the ways to write it out.
 *
 * @param mediaType        the top object's media type: a manifest, or an index with several
 * @param digest           the top object's digest (what {@code index.json} points at, what a registry serves for the tag)
 * @param size             the top object's size
 * @param blobs            every blob by digest: layers, configs, manifests and the index if any
 * @param diffs            every layer uncompressed, by diff id
 * @param images           the images, one per platform
 * @param indexAnnotations one {@code index.json} entry per element, with these annotations
 */
public record BuiltLayout(String mediaType, String digest, long size, Map<String, byte[]> blobs,
                          Map<String, byte[]> diffs, List<BuiltImage> images,
                          List<Map<String, String>> indexAnnotations) {

    /**
     * One platform's image.
     *
     * @param manifestDigest its manifest's digest
     * @param manifestSize   its manifest's size
     * @param configDigest   its config's digest: the image id
     * @param layerDigests   its layer blobs (compressed), bottom first
     * @param diffIds        its layers' uncompressed digests, bottom first
     */
    public record BuiltImage(String os, String architecture, String manifestDigest, long manifestSize,
                             String configDigest, List<String> layerDigests, List<String> diffIds) {
        public BuiltImage {
            layerDigests = List.copyOf(layerDigests);
            diffIds = List.copyOf(diffIds);
        }

        /** The sum of the compressed layer sizes in {@code layout}. */
        public long layersSize(BuiltLayout layout) {
            return layerDigests.stream().mapToLong(d -> layout.blob(d).length).sum();
        }
    }

    public BuiltLayout {
        blobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blobs));
        diffs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(diffs));
        images = List.copyOf(images);
        indexAnnotations = List.copyOf(indexAnnotations);
    }

    /** The blob {@code digest}'s bytes. */
    public byte[] blob(String digest) {
        byte[] b = blobs.get(digest);
        if (b == null) {
            throw new IllegalArgumentException("no blob " + digest);
        }
        return b.clone();
    }

    /** The first (or only) image. */
    public BuiltImage image() {
        return images.getFirst();
    }

    /** Writes an OCI image layout into directory {@code dir} (created if needed); returns {@code dir}. */
    public Path writeLayout(Path dir) {
        try {
            for (Map.Entry<String, byte[]> e : files(false).entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Writes an OCI archive: a tar of the layout. Returns {@code file}. */
    public Path writeOciArchive(Path file) {
        return writeTar(file, files(false));
    }

    /**
     * Writes what {@code docker save} writes for the first image named {@code repoTags}: a
     * {@code manifest.json} ({@code Config}, {@code RepoTags}, {@code Layers}) with the config as
     * {@code <hex>.json} and each layer uncompressed as {@code <diff-hex>/layer.tar}.
     */
    public Path writeDockerSave(Path file, String... repoTags) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        BuiltImage image = image();
        files.put(hex(image.configDigest()) + ".json", blobs.get(image.configDigest()));
        ArrayNode layers = OciLayoutBuilder.JSON.createArrayNode();
        for (String diffId : image.diffIds()) {
            String name = hex(diffId) + "/layer.tar";
            files.put(hex(diffId) + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
            files.put(name, diffs.get(diffId));
            layers.add(name);
        }
        files.put("manifest.json", dockerManifest(hex(image.configDigest()) + ".json", layers, repoTags));
        return writeTar(file, files);
    }

    /**
     * Writes what newer {@code docker save} writes: an OCI layout (blobs as built, {@code index.json}
     * entries annotated with {@value OciLayoutBuilder#CONTAINERD_NAME} and the tag) plus a
     * {@code manifest.json} whose {@code Config} and {@code Layers} point into {@code blobs/sha256}.
     */
    public Path writeDockerSaveWithLayout(Path file, String... repoTags) {
        Map<String, byte[]> files = new LinkedHashMap<>(files(true));
        BuiltImage image = image();
        ArrayNode layers = OciLayoutBuilder.JSON.createArrayNode();
        image.layerDigests().forEach(d -> layers.add(OciLayoutBuilder.blobPath(d)));
        ArrayNode entries = OciLayoutBuilder.JSON.createArrayNode();
        for (String tag : repoTags) {
            ObjectNode d = OciLayoutBuilder.descriptor(mediaType, digest, size);
            d.putObject("annotations").put(OciLayoutBuilder.CONTAINERD_NAME, ImageReference.parse(tag).toString())
                    .put(OciLayoutBuilder.REF_NAME, tag.substring(tag.lastIndexOf(':') + 1));
            entries.add(d);
        }
        files.put("index.json", OciLayoutBuilder.bytes(OciLayoutBuilder.JSON.createObjectNode()
                .put("schemaVersion", 2).put("mediaType", OciLayoutBuilder.OCI_INDEX).set("manifests", entries)));
        files.put("manifest.json", dockerManifest(OciLayoutBuilder.blobPath(image.configDigest()), layers, repoTags));
        return writeTar(file, files);
    }

    private static byte[] dockerManifest(String config, ArrayNode layers, String... repoTags) {
        ObjectNode m = OciLayoutBuilder.JSON.createObjectNode().put("Config", config);
        ArrayNode tags = m.putArray("RepoTags");
        for (String t : repoTags) {
            tags.add(t);
        }
        m.set("Layers", layers);
        return OciLayoutBuilder.bytes(OciLayoutBuilder.JSON.createArrayNode().add(m));
    }

    /** The layout's files by relative path. */
    private Map<String, byte[]> files(boolean skipIndex) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        if (!skipIndex) {
            ArrayNode manifests = OciLayoutBuilder.JSON.createArrayNode();
            for (Map<String, String> annotations : indexAnnotations) {
                ObjectNode d = OciLayoutBuilder.descriptor(mediaType, digest, size);
                if (!annotations.isEmpty()) {
                    ObjectNode a = d.putObject("annotations");
                    annotations.forEach(a::put);
                }
                manifests.add(d);
            }
            files.put("index.json", OciLayoutBuilder.bytes(OciLayoutBuilder.JSON.createObjectNode()
                    .put("schemaVersion", 2).put("mediaType", OciLayoutBuilder.OCI_INDEX).set("manifests", manifests)));
        }
        blobs.forEach((d, b) -> files.put(OciLayoutBuilder.blobPath(d), b));
        return files;
    }

    private static Path writeTar(Path file, Map<String, byte[]> files) {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setModTime(TarEntrySpec.DEFAULT_MTIME * 1000);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
