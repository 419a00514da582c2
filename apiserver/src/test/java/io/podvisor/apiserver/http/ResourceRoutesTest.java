package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRoutesTest extends ServerTestBase {

    static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo","labels":{"app":"demo"}},
             "spec":{"containers":[{"name":"main","image":"nginx"}]}}""";

    private static void assertStatus(HttpResponse<String> r, int code, String reason, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode s = json(r);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(s.has("metadata")).isTrue();
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(s.path("code").asInt()).isEqualTo(code);
        if (message != null) {
            assertThat(s.path("message").asText()).isEqualTo(message);
        }
    }

    @Test
    void createGetListDelete() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/namespaces/default/pods?fieldManager=kubectl-create",
                "application/json", POD);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("metadata").path("namespace").asText()).isEqualTo("default");
        assertThat(registry.lastWrite.fieldManager()).isEqualTo("kubectl-create");
        assertThat(registry.lastWrite.fieldValidation()).isEqualTo(Registry.FieldValidation.WARN);
        assertThat(registry.lastWrite.dryRun()).isFalse();

        JsonNode pod = json(get("/api/v1/namespaces/default/pods/demo"));
        assertThat(pod.path("kind").asText()).isEqualTo("Pod");
        assertThat(pod.path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx");

        addPod("other", Map.of("app", "other"), "c");
        JsonNode list = json(get("/api/v1/namespaces/default/pods?labelSelector=app%3Ddemo&limit=500"));
        assertThat(list.path("kind").asText()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.path("metadata").path("resourceVersion").asText()).matches("\\d+");
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("items").get(0).path("kind").asText()).isEqualTo("Pod");
        assertThat(registry.lastList.labelSelector()).isEqualTo("app=demo");
        assertThat(registry.lastList.limit()).isEqualTo(500);

        assertThat(json(get("/api/v1/pods")).path("items")).hasSize(2);
        assertThat(registry.lastList.namespace()).isNull();

        HttpResponse<String> deleted = send("DELETE", "/api/v1/namespaces/default/pods/demo",
                "application/json", "{\"propagationPolicy\":\"Background\",\"gracePeriodSeconds\":5}");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("metadata").path("name").asText()).isEqualTo("demo");
        assertThat(registry.lastDelete.getPropagationPolicy()).isEqualTo("Background");
        assertThat(registry.lastDelete.getGracePeriodSeconds()).isEqualTo(5L);
        assertStatus(get("/api/v1/namespaces/default/pods/demo"), 404, "NotFound", "pods \"demo\" not found");
        assertThat(json(get("/api/v1/namespaces/default/pods/demo")).path("details").path("name").asText()).isEqualTo("demo");
    }

    @Test
    void deleteWithoutBodyAndDryRunCreate() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<String> d = http.send(request("/api/v1/namespaces/default/pods/web").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(registry.lastDelete).isNull();

        HttpResponse<String> dry = send("POST", "/api/v1/namespaces/default/pods?dryRun=All&fieldValidation=Strict",
                "application/json", POD);
        assertThat(dry.statusCode()).isEqualTo(201);
        assertThat(registry.lastWrite.dryRun()).isTrue();
        assertThat(registry.lastWrite.fieldValidation()).isEqualTo(Registry.FieldValidation.STRICT);
        assertThat(get("/api/v1/namespaces/default/pods/demo").statusCode()).isEqualTo(404);
    }

    @Test
    void aJobDeleteThatLeavesThePolicyToTheDefaultIsWarnedAbout() throws Exception {
        String job = "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"template\":"
                + "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}";
        for (String name : List.of("plain", "explicit")) {
            send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json", job.formatted(name));
        }
        HttpResponse<String> plain = send("DELETE", "/apis/batch/v1/namespaces/default/jobs/plain", "application/json", "");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().allValues("Warning")).containsExactly("299 - \"child pods are preserved by default when "
                + "jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to "
                + "suppress this warning\"");
        HttpResponse<String> explicit = send("DELETE", "/apis/batch/v1/namespaces/default/jobs/explicit?propagationPolicy=Orphan",
                "application/json", "");
        assertThat(explicit.statusCode()).isEqualTo(200);
        assertThat(explicit.headers().allValues("Warning")).isEmpty();
        addPod("p", Map.of(), "c");
        assertThat(send("DELETE", "/api/v1/namespaces/default/pods/p", "application/json", "").headers()
                .allValues("Warning")).isEmpty();
    }

    @Test
    void createAcceptsYamlAndReportsWarnings() throws Exception {
        registry.warnings = List.of("unknown field \"spec.foo\"");
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/default/pods", "application/yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: y
                spec:
                  containers: [{name: c, image: busybox}]
                """);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.foo\\\"\"");
    }

    @Test
    void patchMapsContentTypesAndStatusPart() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<String> r = send("PATCH", "/api/v1/namespaces/default/pods/web?fieldManager=kubectl-label",
                "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("metadata").path("labels").path("tier").asText()).isEqualTo("front");
        assertThat(registry.lastPatchType).isEqualTo(PatchType.MERGE);
        assertThat(registry.lastPart).isEqualTo(Registry.Part.MAIN);

        send("PATCH", "/api/v1/namespaces/default/pods/web/status", "application/strategic-merge-patch+json",
                "{\"status\":{\"phase\":\"Running\"}}");
        assertThat(registry.lastPatchType).isEqualTo(PatchType.STRATEGIC);
        assertThat(registry.lastPart).isEqualTo(Registry.Part.STATUS);

        HttpResponse<String> apply = send("PATCH", "/api/v1/namespaces/default/pods/demo?fieldManager=kubectl&force=true",
                "application/apply-patch+yaml", POD);
        assertThat(apply.statusCode()).isEqualTo(201);
        assertThat(registry.lastPatchType).isEqualTo(PatchType.APPLY);
        assertThat(registry.lastWrite.force()).isTrue();

        assertStatus(send("PATCH", "/api/v1/namespaces/default/pods/web", "text/plain", "{}"), 415,
                "UnsupportedMediaType", null);
    }

    @Test
    void putUpdatesMainAndStatus() throws Exception {
        addPod("web", Map.of(), "web");
        String body = POD.replace("demo", "web");
        assertThat(send("PUT", "/api/v1/namespaces/default/pods/web", "application/json", body).statusCode()).isEqualTo(200);
        assertThat(registry.lastPart).isEqualTo(Registry.Part.MAIN);
        assertThat(send("PUT", "/api/v1/namespaces/default/pods/web/status", "application/json", body).statusCode())
                .isEqualTo(200);
        assertThat(registry.lastPart).isEqualTo(Registry.Part.STATUS);
    }

    @Test
    void clusterScopedAndGroupRoutes() throws Exception {
        registry.put(ResourceTypes.NODES, new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata().withName("node-1").endMetadata().build());
        assertThat(json(get("/api/v1/nodes/node-1")).path("kind").asText()).isEqualTo("Node");
        assertThat(json(get("/api/v1/nodes")).path("kind").asText()).isEqualTo("NodeList");
        assertThat(json(get("/apis/batch/v1/namespaces/default/jobs")).path("kind").asText()).isEqualTo("JobList");
        assertThat(json(get("/apis/batch/v1/namespaces/default/jobs")).path("apiVersion").asText()).isEqualTo("batch/v1");
        assertStatus(get("/apis/batch/v1/namespaces/default/jobs/pi"), 404, "NotFound", "jobs.batch \"pi\" not found");
        assertThat(get("/api/v1/namespaces/default").statusCode()).isEqualTo(404);
    }

    @Test
    void errorsAreStatusObjects() throws Exception {
        String notFound = "the server could not find the requested resource";
        assertStatus(get("/api/v1/namespaces/default/widgets"), 404, "NotFound", notFound);
        assertStatus(get("/nope"), 404, "NotFound", notFound);
        assertStatus(get("/api/v1/pods/web"), 404, "NotFound", notFound);
        assertStatus(get("/api/v1/namespaces/default/pods/web/bogus"), 404, "NotFound", notFound);
        for (String path : List.of("/api/v1/namespaces/default/widgets", "/nope", "/api/v1/namespaces/default/pods/web/bogus",
                "/api/v1/namespaces/default/pods/web/ephemeralcontainers")) {
            assertThat(get(path).body()).as(path + ": every 404 has details, as upstream's, if empty")
                    .isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"" + notFound + "\",\"reason\":\"NotFound\",\"details\":{},\"code\":404}");
        }
        // kubectl debug's request where ephemeral containers are not served: it reads details.name
        assertThat(json(send("PATCH", "/api/v1/namespaces/default/pods/web/ephemeralcontainers",
                "application/strategic-merge-patch+json", "{}")).path("details").isObject()).isTrue();
        assertThat(json(get("/api/v1/namespaces/default/pods/missing")).path("details").toString())
                .isEqualTo("{\"name\":\"missing\",\"kind\":\"pods\"}");
        assertThat(json(get("/apis/batch/v1/namespaces/default/jobs/missing")).path("details").toString())
                .isEqualTo("{\"name\":\"missing\",\"group\":\"batch\",\"kind\":\"jobs\"}");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods/web", "application/json", POD), 405,
                "MethodNotAllowed", null);
        assertStatus(send("POST", "/api/v1/namespaces/default/pods/web/binding", "application/json", "{}"), 400,
                "BadRequest", "name in URL does not match name in Binding object");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods/web/binding", "application/json",
                "{\"metadata\":{\"name\":\"web\"},\"target\":{\"kind\":\"Node\"}}"), 500, "",
                "target.name: Required value");

        HttpResponse<String> bad = send("POST", "/api/v1/namespaces/default/pods", "application/json", "{not json");
        assertStatus(bad, 400, "BadRequest", null);
        assertThat(json(bad).path("message").asText()).startsWith("couldn't get version/kind; json parse error: ");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods", "application/json", "[1]"), 400, "BadRequest", null);
        assertStatus(send("POST", "/api/v1/namespaces/default/pods", "application/json", ""), 400, "BadRequest",
                "couldn't get version/kind; json parse error: unexpected end of JSON input");
        assertStatus(send("POST", "/api/v1/namespaces/default/pods", "text/csv", POD), 415, "UnsupportedMediaType", null);
        assertStatus(send("POST", "/api/v1/namespaces/default/pods?fieldValidation=Loud", "application/json", POD), 422,
                "Invalid", null);

        String big = "{\"metadata\":{\"name\":\"big\"},\"data\":\"" + "x".repeat(Exchange.MAX_BODY) + "\"}";
        assertStatus(send("POST", "/api/v1/namespaces/default/configmaps", "application/json", big), 413,
                "RequestEntityTooLarge", "Request entity too large: limit is 3145728");

        send("POST", "/api/v1/namespaces/default/pods", "application/json", POD);
        HttpResponse<String> exists = send("POST", "/api/v1/namespaces/default/pods", "application/json", POD);
        assertStatus(exists, 409, "AlreadyExists", "pods \"demo\" already exists");
    }

    @Test
    void evictionDeletesWithItsOptions() throws Exception {
        addPod("web", Map.of(), "web");
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/default/pods/web/eviction", "application/json",
                "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
                        + "\"deleteOptions\":{\"gracePeriodSeconds\":7}}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).path("status").asText()).isEqualTo("Success");
        assertThat(registry.lastDelete.getGracePeriodSeconds()).isEqualTo(7L);
        assertThat(get("/api/v1/namespaces/default/pods/web").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteCollectionRemovesMatches() throws Exception {
        addPod("a", Map.of("app", "x"), "c");
        addPod("b", Map.of("app", "y"), "c");
        HttpResponse<String> r = http.send(request("/api/v1/namespaces/default/pods?labelSelector=app%3Dx").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("items")).hasSize(1);
        assertThat(json(get("/api/v1/namespaces/default/pods")).path("items")).hasSize(1);
    }

    @Test
    void selectorsDecodePlusAsSpace() throws Exception {
        get("/api/v1/namespaces/default/pods?labelSelector=app+in+%28x%2Cweb%29&fieldSelector=metadata.name%3Dweb");
        assertThat(registry.lastList.labelSelector()).isEqualTo("app in (x,web)");
        assertThat(registry.lastList.fieldSelector()).isEqualTo("metadata.name=web");
    }
}
