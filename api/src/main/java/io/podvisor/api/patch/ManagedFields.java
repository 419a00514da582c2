package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Field ownership in {@code metadata.managedFields}. {@link #recordUpdate} is what the API server
 * calls for every ordinary write (create, update, merge/JSON/strategic patch): the writing manager
 * gets an {@code operation: Update} entry owning the fields the write set or changed, and loses
 * the ones it removed; other managers lose the fields it changed. A later server-side apply then
 * conflicts with those owners, as kubectl-wire §1.4 shows. Pure: inputs are never modified.
 */
public final class ManagedFields {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    private ManagedFields() {}

    /**
     * One managedFields entry.
     *
     * @param subresource the subresource the write went to ({@code status}), or null
     */
    record Entry(String manager, String operation, String apiVersion, String time, String subresource, FieldSet fields) {

        /** Whether this entry is the one a write by {@code manager} with {@code operation} updates. */
        boolean isFor(String manager, String operation, String apiVersion) {
            return this.manager.equals(manager) && this.operation.equals(operation) && subresource == null
                    && (operation.equals(APPLY) || Objects.equals(this.apiVersion, apiVersion));
        }

        Entry withFields(FieldSet fields) {
            return new Entry(manager, operation, apiVersion, time, subresource, fields);
        }

        /** The manager as upstream names it in conflicts: {@code "kubectl-client-side-apply" using v1}. */
        String describe() {
            StringBuilder b = new StringBuilder("\"").append(manager).append('"');
            if (subresource != null) {
                b.append(" with subresource \"").append(subresource).append('"');
            }
            if (operation.equals(UPDATE)) {
                b.append(" using ").append(apiVersion);
            }
            return b.toString();
        }

        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("manager", manager);
            o.put("operation", operation);
            if (apiVersion != null) {
                o.put("apiVersion", apiVersion);
            }
            if (time != null) {
                o.put("time", time);
            }
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", fields.toFieldsV1());
            if (subresource != null) {
                o.put("subresource", subresource);
            }
            return o;
        }
    }

    /** Upstream's order: Apply before Update, then by time, manager, apiVersion, subresource. */
    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::operation)
            .thenComparing(Entry::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Entry::manager)
            .thenComparing(Entry::apiVersion, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Entry::subresource, Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * Records an ordinary write by {@code manager}.
     *
     * @param before the stored object, or null on create
     * @param after the object about to be stored (its own managedFields are ignored)
     * @param manager the field manager ({@code kubectl-client-side-apply}, {@code kubectl-create}, …)
     * @param apiVersion the API version the write used ({@code v1}, {@code batch/v1})
     * @param now the entry's timestamp (RFC 3339 seconds)
     * @return a copy of {@code after} with managedFields updated
     */
    public static JsonNode recordUpdate(JsonNode before, JsonNode after, String manager, String apiVersion, String now) {
        if (after == null || !after.isObject()) {
            throw new IllegalArgumentException("the written object must be a JSON object");
        }
        if (manager == null || manager.isBlank()) {
            throw new IllegalArgumentException("a write needs a field manager");
        }
        ObjectFields fields = new ObjectFields(MergeKeys.forKind(after.path("apiVersion").asText(null),
                after.path("kind").asText(null)));
        // A list that appears is owned as a node too ("f:env":{".":{},…}), as upstream records it.
        FieldSet beforeLists = fields.lists(before);
        FieldSet afterLists = fields.lists(after);
        FieldSet changed = FieldSet.of(fields.of(after, false).paths().stream()
                .filter(p -> ObjectFields.changed(before, after, p)).toList())
                .union(afterLists.minus(beforeLists));
        FieldSet removed = fields.of(before, false).union(beforeLists)
                .minus(fields.of(after, false).union(afterLists));

        List<Entry> out = new ArrayList<>();
        Entry mine = null;
        for (Entry e : read(before)) {
            if (e.isFor(manager, UPDATE, apiVersion)) {
                mine = e;
                continue;
            }
            FieldSet kept = e.fields().minus(changed);
            kept = e.operation().equals(UPDATE) ? kept.minus(removed) : kept;
            if (!kept.isEmpty()) {
                out.add(e.withFields(kept));
            }
        }
        FieldSet owned = (mine == null ? FieldSet.empty() : mine.fields().minus(removed)).union(changed);
        if (!owned.isEmpty()) {
            String time = mine != null && mine.fields().equals(owned) ? mine.time() : now;
            out.add(new Entry(manager, UPDATE, apiVersion, time, null, owned));
        }
        ObjectNode result = after.deepCopy();
        write(result, out);
        return result;
    }

    /** The entries of an object's managedFields; empty for null or none. */
    static List<Entry> read(JsonNode object) {
        List<Entry> out = new ArrayList<>();
        JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
        if (list == null || !list.isArray()) {
            return out;
        }
        for (JsonNode e : list) {
            String manager = e.path("manager").asText("");
            String operation = e.path("operation").asText("");
            out.add(new Entry(manager, operation, e.path("apiVersion").asText(null), e.path("time").asText(null),
                    blankToNull(e.path("subresource").asText(null)), FieldSet.fromFieldsV1(e.get("fieldsV1"))));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Stores {@code entries}, in upstream's order, as {@code object}'s managedFields (none: removed). */
    static void write(ObjectNode object, List<Entry> entries) {
        JsonNode metadata = object.get("metadata");
        ObjectNode meta = metadata instanceof ObjectNode m ? m : object.putObject("metadata");
        if (entries.isEmpty()) {
            meta.remove("managedFields");
            return;
        }
        ArrayNode list = meta.putArray("managedFields");
        entries.stream().sorted(ORDER).forEach(e -> list.add(e.toJson()));
    }
}
