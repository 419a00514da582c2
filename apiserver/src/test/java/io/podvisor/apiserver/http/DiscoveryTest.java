package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryTest extends ServerTestBase {

    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("subresource").asText()));
        return out;
    }

    @Test
    void aggregatedCoreDiscoveryHasTheExactContentType() throws Exception {
        HttpResponse<String> r = get("/api", "Accept", AGGREGATED);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.DISCOVERY_V2);
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept");
        JsonNode list = json(r);
        assertThat(list.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
        JsonNode core = list.path("items").get(0);
        assertThat(core.path("metadata").path("name").asText()).isEmpty();
        JsonNode pods = find(core.path("versions").get(0).path("resources"), "pods", "resource");
        assertThat(pods.path("responseKind").path("kind").asText()).isEqualTo("Pod");
        assertThat(pods.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(pods.path("singularResource").asText()).isEqualTo("pod");
        assertThat(texts(pods.path("shortNames"))).containsExactly("po");
        assertThat(texts(pods.path("categories"))).containsExactly("all");
        assertThat(texts(pods.path("verbs"))).contains("get", "list", "watch", "create", "patch", "delete");
        assertThat(texts(pods.path("subresources"))).contains("status", "log", "exec", "eviction", "binding");
        JsonNode exec = find(pods.path("subresources"), "exec", "subresource");
        assertThat(exec.path("responseKind").path("kind").asText()).isEqualTo("PodExecOptions");
        JsonNode nodes = find(core.path("versions").get(0).path("resources"), "nodes", "resource");
        assertThat(nodes.path("scope").asText()).isEqualTo("Cluster");
    }

    @Test
    void aggregatedGroupsDiscovery() throws Exception {
        HttpResponse<String> r = get("/apis", "Accept", AGGREGATED);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.DISCOVERY_V2);
        JsonNode items = json(r).path("items");
        List<String> names = new ArrayList<>();
        items.forEach(i -> names.add(i.path("metadata").path("name").asText()));
        assertThat(names).containsExactly("authentication.k8s.io", "authorization.k8s.io", "batch", "discovery.k8s.io", "events.k8s.io", "coordination.k8s.io", "metrics.k8s.io");
        JsonNode jobs = find(find(items, "batch", "metadata", "name").path("versions").get(0).path("resources"), "jobs", "resource");
        assertThat(jobs.path("responseKind").path("group").asText()).isEqualTo("batch");
        assertThat(texts(jobs.path("categories"))).containsExactly("all");
    }

    @Test
    void v2beta1OnlyGetsV2beta1() throws Exception {
        HttpResponse<String> r = get("/api", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.DISCOVERY_V2BETA1);
        assertThat(json(r).path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2beta1");
    }

    @Test
    void legacyDiscovery() throws Exception {
        HttpResponse<String> api = get("/api", "Accept", "application/json, */*");
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(json(api).path("kind").asText()).isEqualTo("APIVersions");
        assertThat(texts(json(api).path("versions"))).containsExactly("v1");

        JsonNode groups = json(get("/apis"));
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        JsonNode batch = find(groups.path("groups"), "batch", "name");
        assertThat(batch.path("preferredVersion").path("groupVersion").asText()).isEqualTo("batch/v1");

        JsonNode v1 = json(get("/api/v1"));
        assertThat(v1.path("kind").asText()).isEqualTo("APIResourceList");
        assertThat(v1.path("groupVersion").asText()).isEqualTo("v1");
        JsonNode pods = find(v1.path("resources"), "pods", "name");
        assertThat(pods.path("namespaced").asBoolean()).isTrue();
        assertThat(pods.path("singularName").asText()).isEqualTo("pod");
        assertThat(texts(pods.path("shortNames"))).containsExactly("po");
        assertThat(find(v1.path("resources"), "pods/log", "name").path("kind").asText()).isEqualTo("Pod");
        JsonNode eviction = find(v1.path("resources"), "pods/eviction", "name");
        assertThat(eviction.path("group").asText()).isEqualTo("policy");
        assertThat(eviction.path("kind").asText()).isEqualTo("Eviction");

        JsonNode jobs = json(get("/apis/batch/v1"));
        assertThat(jobs.path("groupVersion").asText()).isEqualTo("batch/v1");
        assertThat(find(jobs.path("resources"), "jobs/status", "name").path("kind").asText()).isEqualTo("Job");
        assertThat(json(get("/apis/batch")).path("kind").asText()).isEqualTo("APIGroup");
        assertThat(get("/apis/apps/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void openApiIndexAndDocuments() throws Exception {
        JsonNode index = json(get("/openapi/v3"));
        String url = index.path("paths").path("api/v1").path("serverRelativeURL").asText();
        assertThat(url).matches("/openapi/v3/api/v1\\?hash=[0-9A-F]{128}");
        assertThat(index.path("paths").has("apis/batch/v1")).isTrue();
        JsonNode doc = json(get(url));
        JsonNode patch = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Pod");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
        JsonNode nodes = doc.path("paths").path("/api/v1/nodes/{name}").path("patch");
        assertThat(nodes.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Node");
        String jobsUrl = index.path("paths").path("apis/batch/v1").path("serverRelativeURL").asText();
        assertThat(jobsUrl).doesNotEndWith(url.substring(url.indexOf('=') + 1));
        JsonNode jobs = json(get(jobsUrl)).path("paths").path("/apis/batch/v1/namespaces/{namespace}/jobs/{name}");
        assertThat(jobs.path("patch").path("x-kubernetes-group-version-kind").path("group").asText()).isEqualTo("batch");

        HttpResponse<String> v2 = get("/openapi/v2");
        assertThat(v2.statusCode()).isEqualTo(404);
        assertThat(json(v2).path("reason").asText()).isEqualTo("NotFound");
    }
}
