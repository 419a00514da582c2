package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Query parameters and options that kube-apiserver refuses: each answer is its Status (code,
 * reason, message) and nothing is written or deleted.
 */
class RequestOptionsTest extends ServerTestBase {

    private static final String POD = ResourceRoutesTest.POD;

    private static void assertStatus(HttpResponse<String> r, int code, String reason, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        JsonNode s = json(r);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("message").asText()).isEqualTo(message);
    }

    private static String badPolicy(String value) {
        return "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"" + value
                + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"";
    }

    private boolean exists(String name) throws Exception {
        return get("/api/v1/namespaces/default/pods/" + name).statusCode() == 200;
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void invalidDeleteOptionsDeleteNothing() throws Exception {
        addPod("web", Map.of(), "c");
        assertStatus(delete("/api/v1/namespaces/default/pods/web?propagationPolicy=Bogus"), 422, "Invalid",
                badPolicy("Bogus"));
        assertStatus(send("DELETE", "/api/v1/namespaces/default/pods/web", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Sideways\"}"), 422, "Invalid",
                badPolicy("Sideways"));
        assertStatus(delete("/api/v1/namespaces/default/pods/web?dryRun=Bogus"), 422, "Invalid",
                "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Bogus\"}: "
                        + "supported values: \"All\"");
        assertStatus(send("DELETE", "/api/v1/namespaces/default/pods/web", "application/json",
                "{\"orphanDependents\":true,\"propagationPolicy\":\"Orphan\"}"), 422, "Invalid",
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": "
                        + "orphanDependents and deletionPropagation cannot be both set");
        assertStatus(delete("/api/v1/namespaces/default/pods?propagationPolicy=Bogus"), 422, "Invalid",
                badPolicy("Bogus"));
        assertStatus(delete("/api/v1/namespaces/default/pods/web?gracePeriodSeconds=soon"), 400, "BadRequest",
                "strconv.ParseInt: parsing \"soon\": invalid syntax");
        assertThat(exists("web")).isTrue();
        assertThat(registry.lastDelete).isNull();

        assertThat(delete("/api/v1/namespaces/default/pods/web?propagationPolicy=Foreground&gracePeriodSeconds=3")
                .statusCode()).isEqualTo(200);
        assertThat(registry.lastDelete.getPropagationPolicy()).isEqualTo("Foreground");
        assertThat(registry.lastDelete.getGracePeriodSeconds()).isEqualTo(3L);
        assertThat(exists("web")).isFalse();
    }

    @Test
    void anEvictionWithInvalidDeleteOptionsEvictsNothing() throws Exception {
        addPod("web", Map.of(), "c");
        String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"web\"},"
                + "\"deleteOptions\":%s}";
        String path = "/api/v1/namespaces/default/pods/web/eviction";
        assertStatus(send("POST", path, "application/json", eviction.formatted("{\"propagationPolicy\":\"Bogus\"}")),
                422, "Invalid", badPolicy("Bogus"));
        assertStatus(send("POST", path, "application/json", eviction.formatted("{\"dryRun\":[\"Bogus\"]}")),
                422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: "
                        + "[]string{\"Bogus\"}: supported values: \"All\"");
        assertStatus(send("POST", path, "application/json",
                eviction.formatted("{\"orphanDependents\":false,\"propagationPolicy\":\"Background\"}")), 422, "Invalid",
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Background\": "
                        + "orphanDependents and deletionPropagation cannot be both set");
        assertThat(exists("web")).isTrue();
        assertThat(registry.lastDelete).isNull();

        assertThat(send("POST", path, "application/json", eviction.formatted("{\"propagationPolicy\":\"Background\"}"))
                .statusCode()).isEqualTo(201);
        assertThat(exists("web")).isFalse();
    }

    @Test
    void aDeleteBodyMakesTheQueryOptionsIgnored() throws Exception {
        addPod("web", Map.of(), "c");
        assertThat(send("DELETE", "/api/v1/namespaces/default/pods/web?propagationPolicy=Bogus&gracePeriodSeconds=9",
                "application/json", "{\"gracePeriodSeconds\":2}").statusCode()).isEqualTo(200);
        assertThat(registry.lastDelete.getGracePeriodSeconds()).isEqualTo(2L);
        assertThat(registry.lastDelete.getPropagationPolicy()).isNull();
    }

    @Test
    void aWriteWithoutAFieldManagerIsManagedByTheUserAgentsFirstPart() throws Exception {
        send("POST", "/api/v1/namespaces/default/pods", "application/json", POD,
                "User-Agent", "fabric8-kubernetes-client/7.9.0");
        assertThat(registry.lastWrite.fieldManager()).isEqualTo("fabric8-kubernetes-client");
        send("PATCH", "/api/v1/namespaces/default/pods/web", "application/merge-patch+json", "{}",
                "User-Agent", "OpenAPI-Generator/22.6.0/python");
        assertThat(registry.lastWrite.fieldManager()).isEqualTo("OpenAPI-Generator");
        send("PUT", "/api/v1/namespaces/default/pods/web?fieldManager=mine", "application/json", POD,
                "User-Agent", "kubectl/v1.33.0 (linux/amd64) kubernetes/abc");
        assertThat(registry.lastWrite.fieldManager()).as("a field manager given wins").isEqualTo("mine");
        send("PUT", "/api/v1/namespaces/default/pods/web", "application/json", POD,
                "User-Agent", "x".repeat(200) + "/1");
        assertThat(registry.lastWrite.fieldManager()).as("cut at 128 bytes").isEqualTo("x".repeat(128));
    }

    @Test
    void invalidWriteOptionsStoreNothing() throws Exception {
        assertStatus(send("POST", "/api/v1/namespaces/default/pods?fieldValidation=Bogus", "application/json", POD),
                422, "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": "
                        + "supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods?dryRun=Bogus&dryRun=All", "application/json", POD),
                422, "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: "
                        + "[]string{\"Bogus\", \"All\"}: supported values: \"All\"");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods?fieldManager=" + "m".repeat(129), "application/json",
                POD), 422, "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: must have at most 128 bytes");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods?fieldManager=a%07b", "application/json", POD), 422,
                "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\u0007b\": "
                        + "invalid character U+0007 (at position 1)");
        assertThat(registry.lastWrite).isNull();
        assertThat(exists("demo")).isFalse();

        addPod("web", Map.of(), "c");
        assertStatus(send("PUT", "/api/v1/namespaces/default/pods/web?fieldValidation=strict", "application/json",
                POD.replace("demo", "web")), 422, "Invalid", "UpdateOptions.meta.k8s.io \"\" is invalid: fieldValidation: "
                        + "Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
        assertStatus(send("PATCH", "/api/v1/namespaces/default/pods/web", "application/apply-patch+yaml",
                POD.replace("demo", "web")), 422, "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        assertStatus(send("PATCH", "/api/v1/namespaces/default/pods/web?force=true", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"), 422, "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
        assertThat(registry.lastWrite).isNull();
        assertThat(registry.lastPatchType).isNull();
    }

    @Test
    void theAllNamespacesPathServesOnlyListAndWatch() throws Exception {
        addPod("web", Map.of(), "c");
        assertStatus(send("POST", "/api/v1/pods", "application/json", POD), 405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource");
        assertStatus(delete("/api/v1/pods"), 405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource");
        assertThat(exists("web")).isTrue();
        assertThat(exists("demo")).isFalse();
        assertThat(get("/api/v1/pods").statusCode()).isEqualTo(200);
    }

    @Test
    void badListParameters() throws Exception {
        assertStatus(get("/api/v1/namespaces/default/pods?resourceVersion=abc"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": "
                        + "invalid syntax");
        assertStatus(get("/api/v1/pods?watch=true&resourceVersion=-5"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"-5\": strconv.ParseUint: parsing \"-5\": "
                        + "invalid syntax");
        assertStatus(get("/api/v1/namespaces/default/pods/web?resourceVersion=x1"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"x1\": strconv.ParseUint: parsing \"x1\": "
                        + "invalid syntax");
        assertStatus(get("/api/v1/pods?limit=ten"), 400, "BadRequest", "strconv.ParseInt: parsing \"ten\": invalid syntax");
        assertStatus(get("/api/v1/pods?limit=99999999999999999999"), 400, "BadRequest",
                "strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
        assertStatus(get("/api/v1/pods?resourceVersionMatch=Exact"), 422, "Invalid",
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
                        + "resourceVersionMatch is forbidden unless resourceVersion is provided");
        assertStatus(get("/api/v1/pods?resourceVersionMatch=Soon&resourceVersion=5"), 422, "Invalid",
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Soon\": "
                        + "supported values: \"Exact\", \"NotOlderThan\", \"\"");
        assertStatus(get("/api/v1/pods?watch=1&resourceVersionMatch=NotOlderThan&resourceVersion=5"), 422, "Invalid",
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
                        + "resourceVersionMatch is forbidden for watch");
        assertStatus(get("/api/v1/pods?includeObject=Bogus", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"), 400,
                "BadRequest", "Unable to convert to Table as requested: includeObject: Invalid value: \"Bogus\": "
                        + "must be 'Metadata', 'Object', 'None', or empty");
        assertStatus(get("/api/v1/pods?limit=1&continue=abc&resourceVersion=7"), 400, "BadRequest",
                "specifying resource version is not allowed when using continue");
        assertThat(registry.lastList).isNull();

        assertThat(get("/api/v1/pods?resourceVersion=0&resourceVersionMatch=NotOlderThan&watch=false").statusCode())
                .isEqualTo(200);
    }
}
