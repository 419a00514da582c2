package io.podvisor.api.printers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.printers.Tables.Column;
import io.podvisor.api.printers.Tables.IncludeObject;
import io.podvisor.api.printers.Tables.RowCondition;
import io.podvisor.api.resources.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Serializes a Table: {@code kind}, {@code apiVersion}, {@code metadata.resourceVersion},
 * {@code columnDefinitions} and {@code rows[]} of {@code cells}, optional {@code conditions} and
 * {@code object} (a PartialObjectMetadata with the full metadata, or the whole object).
 */
final class TableJson {

    private static final ObjectMapper JSON = io.podvisor.api.Yaml.newJsonMapper();
    private static final String META_V1 = "meta.k8s.io/v1";

    private TableJson() {}

    static ObjectNode build(ResourceType type, KindPrinter printer, List<? extends HasMetadata> objects,
            Instant now, String resourceVersion, IncludeObject include) {
        ObjectNode table = JSON.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", META_V1);
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        for (Column c : printer.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (HasMetadata o : objects) {
            rows.add(row(type, printer, o, now, include));
        }
        return table;
    }

    private static ObjectNode row(ResourceType type, KindPrinter printer, HasMetadata o, Instant now,
            IncludeObject include) {
        ObjectNode row = JSON.createObjectNode();
        row.set("cells", JSON.valueToTree(printer.cells(o, now)));
        List<RowCondition> conditions = printer.conditions(o);
        if (!conditions.isEmpty()) {
            ArrayNode array = row.putArray("conditions");
            for (RowCondition c : conditions) {
                array.addObject().put("type", c.type()).put("status", c.status()).put("reason", c.reason())
                        .put("message", c.message());
            }
        }
        switch (include) {
            case METADATA -> row.set("object", partial(o));
            case OBJECT -> row.set("object", whole(type, o));
            case NONE -> { }
        }
        return row;
    }

    private static ObjectNode partial(HasMetadata o) {
        ObjectNode partial = JSON.createObjectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", META_V1);
        partial.set("metadata", o.getMetadata() == null ? JSON.createObjectNode() : JSON.valueToTree(o.getMetadata()));
        return partial;
    }

    /** The object with {@code kind} and {@code apiVersion} first, filled from the type when absent. */
    private static ObjectNode whole(ResourceType type, HasMetadata o) {
        ObjectNode tree = JSON.valueToTree(o);
        ObjectNode whole = JSON.createObjectNode();
        whole.put("kind", tree.hasNonNull("kind") ? tree.get("kind").asText() : type.kind());
        whole.put("apiVersion", tree.hasNonNull("apiVersion") ? tree.get("apiVersion").asText() : type.apiVersion());
        tree.remove("kind");
        tree.remove("apiVersion");
        whole.setAll(tree);
        return whole;
    }
}
