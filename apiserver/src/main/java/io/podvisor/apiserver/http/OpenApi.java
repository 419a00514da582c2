package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.resources.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal OpenAPI v3 (kubectl-wire §4.3): an index of group-versions, and per group-version a
 * document holding one PATCH operation per kind with the {@code fieldValidation} parameter and its
 * {@code x-kubernetes-group-version-kind}, enough for kubectl to validate on the server. Each
 * index URL carries a hash of its document's content, so a changed document gets a new URL.
 */
final class OpenApi {

    private final Map<String, byte[]> documents = new LinkedHashMap<>();
    private final ObjectNode index = Json.object();

    OpenApi(List<ResourceType> types) {
        Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
        for (ResourceType t : types) {
            String key = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
            byGv.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(t);
        }
        ObjectNode paths = index.putObject("paths");
        byGv.forEach((key, gvTypes) -> {
            byte[] doc = Json.bytes(document(gvTypes));
            documents.put(key, doc);
            paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash(doc));
        });
    }

    ObjectNode index() {
        return index;
    }

    /** The document for {@code api/v1} or {@code apis/<group>/<version>}, or null. */
    byte[] document(String key) {
        return documents.get(key);
    }

    private static ObjectNode document(List<ResourceType> types) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", ServerInfo.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType t : types) {
            String base = t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version();
            String path = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
            ObjectNode patch = paths.putObject(path).putObject("patch");
            patch.put("description", "partially update the specified " + t.kind());
            patch.put("operationId", "patch" + t.kind());
            ArrayNode params = patch.putArray("parameters");
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
                ObjectNode param = params.addObject();
                param.put("name", p);
                param.put("in", "query");
                param.putObject("schema").put("type", p.equals("force") ? "boolean" : "string").put("uniqueItems", true);
            }
            patch.put("x-kubernetes-action", "patch");
            patch.putObject("x-kubernetes-group-version-kind")
                    .put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        }
        return doc;
    }

    private static String hash(byte[] doc) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(doc));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
