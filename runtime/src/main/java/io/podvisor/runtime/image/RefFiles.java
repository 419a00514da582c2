package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The references of a store: {@code <refs>/<domain>/<repository>/<tag | sha256:hex>.json}, each
 * holding what the reference names. Written whole by rename, so readers never see half a file.
 * Stateless apart from the paths; thread-safe.
 */
final class RefFiles {

    /**
     * What one reference names.
     *
     * @param reference the normalized reference
     * @param manifest  the manifest digest
     * @param config    the config digest: the image id
     * @param size      the layers' compressed size
     * @param blobs     every blob the image needs (manifest, config, layers)
     */
    record Ref(String reference, String manifest, String config, long size, List<String> blobs) {
        Ref {
            blobs = List.copyOf(blobs);
        }

        boolean isDigest() {
            return reference.contains("@");
        }

        Ref as(String otherReference) {
            return new Ref(otherReference, manifest, config, size, blobs);
        }
    }

    private final Path dir;
    private final Path tmp;

    RefFiles(Path dir, Path tmp) {
        this.dir = dir;
        this.tmp = tmp;
    }

    /** Where {@code ref}'s file lives. */
    Path path(ImageReference ref) {
        Path p = dir.resolve(ref.domain());
        for (String part : ref.repository().split("/")) {
            p = p.resolve(part);
        }
        return p.resolve(ref.version() + ".json");
    }

    Optional<Ref> read(ImageReference ref) {
        return read(path(ref));
    }

    /** Every reference, sorted by name. */
    List<Ref> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Ref> refs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .forEach(p -> read(p).ifPresent(refs::add));
        } catch (IOException | java.io.UncheckedIOException e) {
            // a directory removed while walking: what was read stands
        }
        refs.sort(java.util.Comparator.comparing(Ref::reference));
        return refs;
    }

    /** Publishes {@code ref} (replacing what its name held). */
    void write(Ref ref) throws IOException {
        ObjectNode n = ImageManifest.JSON.createObjectNode().put("reference", ref.reference())
                .put("manifest", ref.manifest()).put("config", ref.config()).put("size", ref.size());
        ref.blobs().forEach(n.putArray("blobs")::add);
        Path target = path(ImageReference.parse(ref.reference()));
        Files.createDirectories(target.getParent());
        Files.createDirectories(tmp);
        Path t = Files.createTempFile(tmp, "ref-", ".json");
        try {
            Files.write(t, ImageManifest.JSON.writeValueAsBytes(n));
            Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(t);
        }
    }

    /** Removes {@code ref}'s file and the directories it leaves empty. */
    void delete(String reference) throws IOException {
        Path p = path(ImageReference.parse(reference));
        Files.deleteIfExists(p);
        for (Path d = p.getParent(); d != null && d.startsWith(dir) && !d.equals(dir); d = d.getParent()) {
            try (Stream<Path> s = Files.list(d)) {
                if (s.findAny().isPresent()) {
                    break;
                }
            }
            Files.deleteIfExists(d);
        }
    }

    private static Optional<Ref> read(Path p) {
        try {
            JsonNode n = ImageManifest.JSON.readTree(Files.readAllBytes(p));
            List<String> blobs = new ArrayList<>();
            n.path("blobs").forEach(b -> blobs.add(b.asText()));
            return Optional.of(new Ref(n.path("reference").asText(), n.path("manifest").asText(),
                    n.path("config").asText(), n.path("size").asLong(), blobs));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
