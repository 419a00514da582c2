package io.podvisor.runtime.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed manifest document: an index (OCI index or Docker manifest list) naming one manifest per
 * platform, or an image manifest (OCI or Docker schema 2) naming a config and layers.
 *
 * @param mediaType the document's media type
 * @param children  an index's manifests; empty for an image manifest
 * @param config    an image manifest's config; null for an index
 * @param layers    an image manifest's layers, lowest first; empty for an index
 */
record Manifest(String mediaType, List<Descriptor> children, Descriptor config, List<Descriptor> layers) {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** What a manifest request accepts, in containerd's order. */
    static final String ACCEPT = String.join(", ", DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX, "*/*");

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> IMAGES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A content descriptor.
     *
     * @param platform an index entry's platform, or null
     */
    record Descriptor(String mediaType, String digest, long size, Platform platform) {}

    Manifest {
        children = List.copyOf(children);
        layers = List.copyOf(layers);
    }

    boolean isIndex() {
        return config == null;
    }

    /** Sum of the layers' sizes. */
    long layerBytes() {
        return layers.stream().mapToLong(Descriptor::size).sum();
    }

    /**
     * Parses {@code body}, whose media type is {@code contentType} (the HTTP header, possibly with
     * parameters) or, when that is generic, the document's own {@code mediaType} field.
     */
    static Manifest parse(byte[] body, String contentType) throws RegistryException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException("failed to unmarshal manifest: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RegistryException("failed to unmarshal manifest: not a JSON object");
        }
        String type = mediaType(root, contentType);
        if (INDEXES.contains(type)) {
            return new Manifest(type, descriptors(root.path("manifests")), null, List.of());
        }
        if (IMAGES.contains(type)) {
            if (!root.path("config").isObject()) {
                throw new RegistryException("invalid manifest: no config descriptor");
            }
            return new Manifest(type, List.of(), descriptor(root.path("config")), descriptors(root.path("layers")));
        }
        throw new RegistryException("unsupported manifest media type \"" + type + "\"");
    }

    private static String mediaType(JsonNode root, String contentType) {
        String header = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (INDEXES.contains(header) || IMAGES.contains(header)) {
            return header;
        }
        String own = root.path("mediaType").asText("");
        if (!own.isEmpty()) {
            return own;
        }
        if (root.has("manifests")) {
            return OCI_INDEX;
        }
        return root.has("config") ? OCI_MANIFEST : header;
    }

    private static List<Descriptor> descriptors(JsonNode array) throws RegistryException {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode node : array) {
            out.add(descriptor(node));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node) throws RegistryException {
        String digest = node.path("digest").asText("");
        if (!SHA256.matcher(digest).matches()) {
            throw new RegistryException("invalid manifest: unsupported digest \"" + digest + "\"");
        }
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new RegistryException("invalid manifest: descriptor " + digest + " has no size");
        }
        JsonNode p = node.get("platform");
        Platform platform = p == null || !p.isObject() ? null
                : new Platform(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(""));
        return new Descriptor(node.path("mediaType").asText(""), digest, size, platform);
    }

    /**
     * The index entry for {@code platform}: the first that matches with exactly its variant, else the first
     * that matches, else the first without a platform.
     *
     * @throws RegistryException worded as containerd's when none fits
     */
    Descriptor select(Platform platform) throws RegistryException {
        Descriptor loose = null;
        Descriptor unspecified = null;
        for (Descriptor child : children) {
            if (child.platform() == null) {
                unspecified = unspecified == null ? child : unspecified;
            } else if (platform.matches(child.platform())) {
                if (child.platform().variant().equals(platform.variant())) {
                    return child;
                }
                loose = loose == null ? child : loose;
            }
        }
        if (loose != null) {
            return loose;
        }
        if (unspecified != null) {
            return unspecified;
        }
        throw new RegistryException("no match for platform in manifest: not found");
    }
}
