package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Images kept as unpacked directories: {@code <root>/<registry>/<repository>/<tag>/rootfs}, with an
 * optional {@code config.json} beside {@code rootfs} holding the OCI image config
 * ({@code {"config": {"Entrypoint": [...], "Cmd": [...], "Env": [...], "WorkingDir": "", "User": ""}}}).
 * A missing config means none of those. The image id is the SHA-256 of {@code config.json} (or of
 * the reference when there is none). References are normalized by {@link ImageReference}; a digest
 * reference lives in a directory named after the digest ({@code sha256:<hex>}) in place of the tag.
 *
 * <p>Thread-safe (stateless apart from the root).
 */
public final class DirectoryImageStore implements ImageStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public DirectoryImageStore(Path root) {
        this.root = root;
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /**
     * The directory an image lives in (whether or not it exists).
     *
     * @throws IllegalArgumentException if {@code reference} is not a valid image reference
     */
    public Path directory(String reference) {
        ImageReference ref = ImageReference.parse(reference);
        Path dir = root.resolve(ref.domain());
        for (String part : ref.repository().split("/")) {
            dir = dir.resolve(part);
        }
        return dir.resolve(ref.version());
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure("failed to resolve image \"" + reference + "\": " + e.getMessage());
        }
        Path dir = directory(reference);
        Path rootfs = dir.resolve("rootfs");
        if (!Files.isDirectory(rootfs)) {
            throw new RuntimeFailure("image \"" + ref + "\" not found in the image store " + root);
        }
        Path configFile = dir.resolve("config.json");
        try {
            if (!Files.exists(configFile)) {
                return new ImageConfig(ref.toString(), id(ref.toString().getBytes(StandardCharsets.UTF_8)), rootfs,
                        List.of(), List.of(), List.of(), "", "");
            }
            byte[] bytes = Files.readAllBytes(configFile);
            JsonNode config = JSON.readTree(bytes).path("config");
            return new ImageConfig(ref.toString(), id(bytes), rootfs, strings(config.path("Entrypoint")),
                    strings(config.path("Cmd")), strings(config.path("Env")), config.path("WorkingDir").asText(""),
                    config.path("User").asText(""));
        } catch (IOException e) {
            throw new RuntimeFailure("image \"" + ref + "\" has an unreadable config " + configFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String id(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
