package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.patch.PatchType;
import io.podvisor.apiserver.registry.Registry.FieldValidation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keys a PATCH body repeats, reported as upstream's patch handler reports them under
 * {@code fieldValidation} (Ignore: not looked for; Warn: warnings; Strict: refused):
 * <ul>
 * <li>merge and strategic merge patches: the patch decodes into a map, so each repeat is a bare
 * {@code duplicate field "key"}; Strict answers 422 with them ahead of the unknown fields of the
 * patched object, as {@code "" is invalid: patch: Invalid value: ...: strict decoding error: ...}
 * (the value is the patched object's JSON for a merge patch and the patch printed as a Go map
 * for a strategic one);</li>
 * <li>JSON patches: repeats inside an operation, {@code json patch duplicate field "path"};</li>
 * <li>apply: the YAML conversion's {@code line N: key "k" already set in map}, a 400
 * {@code error strict decoding YAML: ...} under Strict, one warning per repeat under Warn.</li>
 * </ul>
 */
final class PatchDuplicates {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PatchDuplicates() {}

    /** The repeats of the body as upstream words them (empty under Ignore or when the body repeats nothing). */
    static List<String> find(PatchType patchType, byte[] body, FieldValidation mode) {
        if (mode == FieldValidation.IGNORE) {
            return List.of();
        }
        try {
            List<JsonScan.Duplicate> found = JsonScan.duplicates(patchType == PatchType.APPLY ? YAML : JSON, body);
            return found.stream().map(d -> switch (patchType) {
                case APPLY -> "line " + d.line() + ": key " + FieldError.quote(d.key()) + " already set in map";
                case JSON -> "json patch duplicate field " + FieldError.quote(d.key());
                case MERGE, STRATEGIC -> "duplicate field " + FieldError.quote(d.key());
            }).toList();
        } catch (IOException e) {
            return List.of(); // the patch engine refuses what does not parse
        }
    }

    /**
     * Under Strict, refuses a patch that repeats keys (with the unknown fields of its result,
     * {@code unknown}, after them); otherwise returns the warnings to give.
     */
    static List<String> check(PatchType patchType, byte[] body, JsonNode patched, List<String> duplicates,
            List<String> unknown, FieldValidation mode) {
        if (duplicates.isEmpty() || mode != FieldValidation.STRICT) {
            return duplicates;
        }
        if (patchType == PatchType.APPLY) {
            throw new ApiException.BadRequest("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:"
                    + duplicates.stream().map(d -> "\n  " + d).collect(Collectors.joining()));
        }
        List<String> all = new ArrayList<>(duplicates);
        unknown.forEach(u -> all.add("unknown field " + FieldError.quote(u)));
        String value = patchType == PatchType.STRATEGIC ? goMap(parse(body)) : patched.toString();
        throw new ApiException.Invalid("", "", "", List.of(FieldError.invalid("patch", FieldError.quote(value),
                "strict decoding error: " + String.join(", ", all))));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
    }

    /** A decoded JSON value as Go's {@code %+v} prints a {@code map[string]interface{}}: keys sorted, strings bare. */
    private static String goMap(JsonNode n) {
        if (n == null || n.isNull()) {
            return "<nil>";
        }
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            return sorted.entrySet().stream().map(e -> e.getKey() + ":" + goMap(e.getValue()))
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(i -> items.add(goMap(i)));
            return "[" + String.join(" ", items) + "]";
        }
        return n.isTextual() ? n.textValue() : n.asText();
    }
}
