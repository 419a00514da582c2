package io.podvisor.api.printers;

import static io.podvisor.api.printers.TableCases.NOW;
import static io.podvisor.api.printers.TableCases.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.printers.Tables.IncludeObject;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableJsonTest {

    private static final String WEB = """
            metadata:
              name: web
              namespace: default
              uid: 8ba2c6e7-0000-4000-8000-000000000001
              resourceVersion: "1001"
              creationTimestamp: "2026-03-01T10:58:00Z"
              labels: {app: web}
            spec:
              nodeName: node-1
              containers: [{name: app, image: nginx}]
            status:
              phase: Running
              podIPs: [{ip: 10.244.0.5}]
              conditions: [{type: Ready, status: "True"}]
              containerStatuses:
              - {name: app, ready: true, restartCount: 0, state: {running: {startedAt: "2026-03-01T10:58:05Z"}}}
            """;
    private static final String DONE = """
            metadata: {name: done, namespace: batch, creationTimestamp: "2026-03-01T11:00:00Z"}
            spec: {containers: [{name: app, image: busybox}]}
            status:
              phase: Succeeded
              containerStatuses:
              - {name: app, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
            """;

    private static List<HasMetadata> pods() {
        return List.of(read(ResourceTypes.PODS, WEB), read(ResourceTypes.PODS, DONE));
    }

    @Test
    void podTableHasTheShapeKubectlReads() {
        ObjectNode table = Tables.table(ResourceTypes.PODS, pods(), NOW, "1013", false);

        assertThat(table.get("kind").asText()).isEqualTo("Table");
        assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.get("metadata").toString()).isEqualTo("{\"resourceVersion\":\"1013\"}");
        JsonNode columns = table.get("columnDefinitions");
        assertThat(columns).hasSize(9);
        assertThat(columns.get(0).toString()).isEqualTo("{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\","
                + "\"description\":\"" + Columns.NAME_DOC + "\",\"priority\":0}");
        List<String> wide = new ArrayList<>();
        columns.forEach(c -> wide.add(c.get("name").asText() + ":" + c.get("priority").asInt()));
        assertThat(wide).containsExactly("Name:0", "Ready:0", "Status:0", "Restarts:0", "Age:0", "IP:1", "Node:1",
                "Nominated Node:1", "Readiness Gates:1");

        JsonNode rows = table.get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("cells").toString())
                .isEqualTo("[\"web\",\"1/1\",\"Running\",\"0\",\"62m\",\"10.244.0.5\",\"node-1\",\"<none>\",\"<none>\"]");
        assertThat(rows.get(0).has("conditions")).isFalse();
        JsonNode object = rows.get(0).get("object");
        assertThat(object.get("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(object.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(object.get("metadata").get("name").asText()).isEqualTo("web");
        assertThat(object.get("metadata").get("namespace").asText()).isEqualTo("default");
        assertThat(object.get("metadata").get("uid").asText()).isEqualTo("8ba2c6e7-0000-4000-8000-000000000001");
        assertThat(object.get("metadata").get("resourceVersion").asText()).isEqualTo("1001");
        assertThat(object.get("metadata").get("creationTimestamp").asText()).isEqualTo("2026-03-01T10:58:00Z");
        assertThat(object.get("metadata").get("labels").toString()).isEqualTo("{\"app\":\"web\"}");
        assertThat(object.has("spec")).isFalse();
        assertThat(object.has("status")).isFalse();

        assertThat(rows.get(1).get("object").get("metadata").get("namespace").asText()).isEqualTo("batch");
        assertThat(rows.get(1).get("conditions").toString()).isEqualTo("[{\"type\":\"Completed\",\"status\":\"True\","
                + "\"reason\":\"Succeeded\",\"message\":\"The pod has completed successfully.\"}]");
    }

    @Test
    void includeObjectEmbedsTheWholeObject() {
        ObjectNode table = Tables.table(ResourceTypes.PODS, pods(), NOW, "1013", true);

        JsonNode object = table.get("rows").get(0).get("object");
        assertThat(object.get("kind").asText()).isEqualTo("Pod");
        assertThat(object.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(object.get("metadata").get("labels").get("app").asText()).isEqualTo("web");
        assertThat(object.get("spec").get("nodeName").asText()).isEqualTo("node-1");
        assertThat(object.get("status").get("phase").asText()).isEqualTo("Running");
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).startsWith("kind", "apiVersion");
    }

    @Test
    void wholeObjectsGetKindAndApiVersionFromTheType() {
        Job job = (Job) read(ResourceTypes.JOBS, "metadata: {name: pi}\nspec: {template: {spec: {containers: []}}}\n");
        job.setKind(null);
        job.setApiVersion(null);
        JsonNode object = Tables.table(ResourceTypes.JOBS, List.of(job), NOW, "7", IncludeObject.OBJECT)
                .get("rows").get(0).get("object");
        assertThat(object.get("kind").asText()).isEqualTo("Job");
        assertThat(object.get("apiVersion").asText()).isEqualTo("batch/v1");
    }

    @Test
    void countsAreNumbersAndEmptyTablesStillCarryColumns() {
        HasMetadata cm = read(ResourceTypes.CONFIGMAPS,
                "metadata: {name: cfg, creationTimestamp: \"2026-03-01T09:00:00Z\"}\ndata: {a: '1', b: '2'}\n");
        ObjectNode table = Tables.table(ResourceTypes.CONFIGMAPS, List.of(cm), NOW, null, IncludeObject.NONE);
        assertThat(table.get("metadata").toString()).isEqualTo("{}");
        assertThat(table.get("rows").get(0).toString()).isEqualTo("{\"cells\":[\"cfg\",2,\"3h\"]}");

        ObjectNode empty = Tables.table(ResourceTypes.SECRETS, List.of(), NOW, "5", false);
        assertThat(empty.get("rows")).isEmpty();
        assertThat(empty.get("columnDefinitions")).hasSize(4);
    }
}
