package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An image manifest (OCI or Docker schema 2): its config and layers, and the media types this store
 * understands.
 *
 * @param mediaType the manifest's media type
 * @param config    the config blob
 * @param layers    the layer blobs, bottom first
 */
record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_LAYER_GZIP = OCI_LAYER + "+gzip";
    static final String OCI_LAYER_ZSTD = OCI_LAYER + "+zstd";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    static final String DOCKER_LAYER_GZIP = DOCKER_LAYER + ".gzip";
    static final String DOCKER_LAYER_ZSTD = DOCKER_LAYER + ".zstd";

    static final ObjectMapper JSON = new ObjectMapper();

    /** A content descriptor: what a blob is, its digest and size. */
    record Descriptor(String mediaType, String digest, long size) {
        static Descriptor of(JsonNode n) throws ImageContentException {
            String digest = n.path("digest").asText("");
            if (!Digests.valid(digest) || !n.path("size").canConvertToLong() || n.path("size").asLong() < 0) {
                throw new ImageContentException("malformed descriptor " + n);
            }
            return new Descriptor(n.path("mediaType").asText(""), digest, n.path("size").asLong());
        }
    }

    ImageManifest {
        layers = List.copyOf(layers);
    }

    /** Parses manifest {@code digest}'s bytes. */
    static ImageManifest parse(String digest, byte[] bytes) throws ImageContentException {
        JsonNode m = readTree(bytes, "manifest " + digest);
        String type = m.path("mediaType").asText("");
        if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST) || (type.isEmpty() && m.has("manifests"))) {
            throw new ImageContentException("manifest " + digest + " is an image index, not an image manifest");
        }
        if (type.isEmpty()) {
            type = OCI_MANIFEST;
        }
        if (!type.equals(OCI_MANIFEST) && !type.equals(DOCKER_MANIFEST)) {
            throw new ImageContentException("manifest " + digest + ": unsupported media type " + type);
        }
        if (m.path("schemaVersion").asInt() != 2 || !m.path("config").isObject() || !m.path("layers").isArray()) {
            throw new ImageContentException("manifest " + digest + " is not a schema 2 image manifest");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            Descriptor d = Descriptor.of(l);
            decompressor(d.mediaType());
            layers.add(d);
        }
        return new ImageManifest(type, Descriptor.of(m.path("config")), layers);
    }

    /** The config's {@code rootfs.diff_ids}. */
    static List<String> diffIds(String digest, JsonNode config) throws ImageContentException {
        List<String> ids = new ArrayList<>();
        for (JsonNode n : config.path("rootfs").path("diff_ids")) {
            if (!Digests.valid(n.asText())) {
                throw new ImageContentException("config " + digest + ": malformed diff id " + n);
            }
            ids.add(n.asText());
        }
        return ids;
    }

    static JsonNode readTree(byte[] bytes, String what) throws ImageContentException {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new ImageContentException(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ImageContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** How to read a layer of {@code mediaType} as an uncompressed tar. */
    static Decompressor decompressor(String mediaType) throws ImageContentException {
        return switch (mediaType) {
            case OCI_LAYER, DOCKER_LAYER -> in -> in;
            case OCI_LAYER_GZIP, DOCKER_LAYER_GZIP -> GZIPInputStream::new;
            case OCI_LAYER_ZSTD, DOCKER_LAYER_ZSTD -> ZstdInputStream::new;
            default -> throw new ImageContentException("unsupported layer media type \"" + mediaType + "\"");
        };
    }

    /** Opens an uncompressed view of a layer blob. */
    @FunctionalInterface
    interface Decompressor {
        InputStream open(InputStream compressed) throws IOException;
    }
}
