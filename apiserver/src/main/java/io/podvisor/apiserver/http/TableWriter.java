package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.printers.Tables;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.core.Clock;
import java.util.List;

/**
 * Builds {@code meta.k8s.io} Tables from {@link Tables#columns} and {@link Tables#cells}: column
 * definitions, one row per object with its cells and, per {@code includeObject}, a
 * PartialObjectMetadata (default), the full object, or nothing.
 */
final class TableWriter {

    /** The {@code includeObject} parameter. */
    enum Include { NONE, METADATA, OBJECT }

    private final ResourceType type;
    private final String apiVersion;
    private final Include include;
    private final Clock clock;

    /** @param tableVersion {@code v1} or {@code v1beta1} */
    TableWriter(ResourceType type, String tableVersion, Include include, Clock clock) {
        this.type = type;
        this.apiVersion = "meta.k8s.io/" + tableVersion;
        this.include = include;
        this.clock = clock;
    }

    static Include include(String param) {
        if (param == null || param.isEmpty() || param.equals("Metadata")) {
            return Include.METADATA;
        }
        return switch (param) {
            case "None" -> Include.NONE;
            case "Object" -> Include.OBJECT;
            default -> throw new ApiException.BadRequest("Unable to convert to Table as requested: includeObject: "
                    + "Invalid value: " + io.podvisor.api.errors.FieldError.quote(param)
                    + ": must be 'Metadata', 'Object', 'None', or empty");
        };
    }

    /** A Table of {@code objects} with the list metadata given. */
    ObjectNode table(List<HasMetadata> objects, String resourceVersion, String continueToken, Long remaining) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", apiVersion);
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            meta.put("continue", continueToken);
        }
        if (remaining != null) {
            meta.put("remainingItemCount", remaining);
        }
        ArrayNode cols = t.putArray("columnDefinitions");
        for (Tables.Column c : Tables.columns(type)) {
            ObjectNode col = cols.addObject();
            col.put("name", c.name());
            col.put("type", c.type());
            col.put("format", c.format());
            col.put("description", c.description());
            col.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        objects.forEach(o -> rows.add(row(o)));
        return t;
    }

    private ObjectNode row(HasMetadata object) {
        ObjectNode row = Json.object();
        ArrayNode cells = row.putArray("cells");
        for (Object cell : Tables.cells(type, object, clock.now())) {
            cells.add(Json.tree(cell));
        }
        switch (include) {
            case OBJECT -> row.set("object", Json.tree(object));
            case METADATA -> row.set("object", partial(object));
            case NONE -> { }
        }
        return row;
    }

    private static ObjectNode partial(HasMetadata object) {
        ObjectNode p = Json.object();
        p.put("kind", "PartialObjectMetadata");
        p.put("apiVersion", "meta.k8s.io/v1");
        JsonNode meta = Json.tree(object.getMetadata());
        if (meta instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        p.set("metadata", meta == null ? Json.object() : meta);
        return p;
    }
}
