package io.podvisor.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.api.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects of YAML (or JSON) files, in file order: multi-document files give one object per
 * non-empty document, and a {@code kind: List} (or {@code …List}) gives its items.
 */
final class Manifests {

    /**
     * One object to apply.
     *
     * @param file where it came from (for messages)
     * @param body the object as written
     */
    record Manifest(Path file, JsonNode body) {
        String apiVersion() {
            return body.path("apiVersion").asText("");
        }

        String kind() {
            return body.path("kind").asText("");
        }

        String name() {
            return body.path("metadata").path("name").asText("");
        }

        String namespace() {
            return body.path("metadata").path("namespace").asText("");
        }
    }

    private static final ObjectMapper YAML = Yaml.newYamlMapper();

    private Manifests() {}

    /**
     * Reads every file.
     *
     * @throws IOException when a file cannot be read or is not YAML
     */
    static List<Manifest> read(List<Path> files) throws IOException {
        List<Manifest> out = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
                while (docs.hasNextValue()) {
                    add(out, file, docs.nextValue());
                }
            } catch (RuntimeException e) {
                throw new IOException("error parsing " + file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void add(List<Manifest> out, Path file, JsonNode doc) {
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
            return;
        }
        String kind = doc.path("kind").asText("");
        if (kind.endsWith("List") && doc.path("items").isArray()) {
            for (JsonNode item : doc.path("items")) {
                add(out, file, item);
            }
            return;
        }
        out.add(new Manifest(file, doc));
    }
}
