package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TableAndWatchTest extends ServerTestBase {

    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    @Test
    void listAsTable() throws Exception {
        addPod("web", Map.of("app", "web"), "web");
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods?limit=500", "Accept", TABLE);
        JsonNode t = json(r);
        assertThat(t.path("kind").asText()).isEqualTo("Table");
        assertThat(t.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(t.path("metadata").path("resourceVersion").asText()).matches("\\d+");
        assertThat(t.path("columnDefinitions").get(0).path("name").asText()).isEqualTo("Name");
        assertThat(t.path("columnDefinitions").get(0).path("format").asText()).isEqualTo("name");
        assertThat(t.path("columnDefinitions").get(0).has("priority")).isTrue();
        JsonNode row = t.path("rows").get(0);
        assertThat(row.path("cells").get(0).asText()).isEqualTo("web");
        int age = -1;
        for (int i = 0; i < t.path("columnDefinitions").size(); i++) {
            if (t.path("columnDefinitions").get(i).path("name").asText().equals("Age")) {
                age = i;
            }
        }
        assertThat(row.path("cells").get(age).asText()).isEqualTo("90s");
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.path("object").path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("default");
        assertThat(row.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("web");
    }

    @Test
    void getAsTableAndIncludeObjectVariants() throws Exception {
        addPod("web", Map.of(), "web");
        JsonNode one = json(get("/api/v1/namespaces/default/pods/web", "Accept", TABLE));
        assertThat(one.path("kind").asText()).isEqualTo("Table");
        assertThat(one.path("rows")).hasSize(1);
        JsonNode full = json(get("/api/v1/namespaces/default/pods?includeObject=Object", "Accept", TABLE));
        assertThat(full.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("Pod");
        JsonNode none = json(get("/api/v1/namespaces/default/pods?includeObject=None", "Accept", TABLE));
        assertThat(none.path("rows").get(0).has("object")).isFalse();
        JsonNode beta = json(get("/api/v1/namespaces/default/pods", "Accept", "application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
        assertThat(beta.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
        JsonNode plain = json(get("/api/v1/namespaces/default/pods", "Accept", "application/json"));
        assertThat(plain.path("kind").asText()).isEqualTo("PodList");
    }

    private Iterator<String> watch(String path, String... headers) throws Exception {
        HttpResponse<Stream<String>> r = http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return r.body().iterator();
    }

    @Test
    void watchStreamsEventsUntilTheTimeout() throws Exception {
        Pod web = addPod("web", Map.of("app", "web"), "web");
        Iterator<String> lines = watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&timeoutSeconds=30"
                + "&fieldSelector=metadata.name%3Dweb&allowWatchBookmarks=true");
        JsonNode added = JSON.readTree(lines.next());
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("kind").asText()).isEqualTo("Pod");
        assertThat(registry.lastList.allowBookmarks()).isTrue();
        assertThat(registry.lastList.fieldSelector()).isEqualTo("metadata.name=web");

        web.getMetadata().getLabels().put("tier", "front");
        registry.put(ResourceTypes.PODS, web);
        JsonNode modified = JSON.readTree(lines.next());
        assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
        assertThat(modified.path("object").path("metadata").path("labels").path("tier").asText()).isEqualTo("front");

        http.send(request("/api/v1/namespaces/default/pods/web").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(lines.next()).path("type").asText()).isEqualTo("DELETED");

        clock.advance(Duration.ofSeconds(29));
        assertThat(registry.watcherCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(lines.hasNext()).isFalse();
        assertThat(registry.watcherCount()).isZero();
    }

    @Test
    void tableWatchCarriesOneRowTablesAndEndsAfterAnError() throws Exception {
        addPod("web", Map.of(), "web");
        Iterator<String> lines = watch("/api/v1/namespaces/default/pods?watch=true", "Accept", TABLE);
        JsonNode added = JSON.readTree(lines.next());
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        JsonNode table = added.path("object");
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("metadata").path("resourceVersion").asText()).matches("\\d+");
        assertThat(table.path("rows")).hasSize(1);
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("web");
        assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");

        registry.emit(ResourceTypes.PODS, new Registry.WatchEvent("ERROR", new StatusBuilder().withStatus("Failure")
                .withReason("Expired").withMessage("too old").withCode(410).build()));
        JsonNode error = JSON.readTree(lines.next());
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("kind").asText()).isEqualTo("Status");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void goneBecomesASingleErrorEvent() throws Exception {
        Iterator<String> lines = watch("/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");
        JsonNode error = JSON.readTree(lines.next());
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(error.path("object").path("message").asText()).startsWith("too old resource version: 1");
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void timeoutParameterIsAGoDuration() {
        assertThat(WatchStream.timeout(null, "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(WatchStream.timeout(300L, "1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(WatchStream.timeout(60L, "1h")).isEqualTo(Duration.ofSeconds(60));
        assertThat(WatchStream.timeout(null, null)).isEqualTo(WatchStream.DEFAULT_TIMEOUT);
        assertThat(GoDurations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    }
}
