package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Server-side apply ({@code application/apply-patch+yaml}): merges the applied configuration into
 * the live object, records the field manager in {@code metadata.managedFields} (operation
 * {@code Apply}, {@code fieldsV1} of the applied fields), and detects conflicts with fields owned
 * by other managers unless forced.
 *
 * <p>Steps, as upstream's structured merge does them: the configuration is merged into the live
 * object ({@link ApplyMerge}); fields this manager applied last time but omits now are removed
 * unless another manager owns them (or something below them); a field the configuration sets to a
 * value different from the live one (or adds) conflicts with every other manager that owns it. With
 * {@code force} the conflicting fields move to this manager; an apply that changes neither the
 * object nor the manager's fields returns the live object unchanged.
 */
public final class ServerSideApply {

    private ServerSideApply() {}

    /**
     * @param live the current object's JSON, or null when the object does not exist yet
     * @param applied the applied configuration (full object JSON)
     * @param manager the field manager, e.g. {@code kubectl}
     * @param force whether to take ownership of conflicting fields
     * @param now the timestamp for the managedFields entry (RFC 3339 seconds)
     * @return the merged object JSON, managedFields updated
     * @throws io.podvisor.api.errors.ApiException.Conflict on field conflicts when not forced
     */
    public static JsonNode apply(JsonNode live, JsonNode applied, String manager, boolean force, String now) {
        if (applied == null || !applied.isObject()) {
            throw new ApiException.BadRequest("the applied configuration must be a JSON or YAML object");
        }
        if (manager == null || manager.isBlank()) {
            throw new ApiException.BadRequest("fieldManager: Required value: is required for apply patch");
        }
        if (applied.path("metadata").has("managedFields")) {
            throw new ApiException.BadRequest("metadata.managedFields must be nil");
        }
        String apiVersion = text(applied, live, "apiVersion");
        MergeKeys.Schema schema = MergeKeys.forKind(apiVersion, text(applied, live, "kind"));
        FieldSet applySet = new ObjectFields(schema).of(applied, true);
        List<ManagedFields.Entry> others = new ArrayList<>();
        ManagedFields.Entry previous = null;
        for (ManagedFields.Entry e : ManagedFields.read(live)) {
            if (e.isFor(manager, ManagedFields.APPLY, apiVersion)) {
                previous = e;
            } else {
                others.add(e);
            }
        }
        ObjectNode merged = (ObjectNode) new ApplyMerge(schema).merge(live, applied);
        if (previous != null) {
            prune(merged, previous.fields().minus(applySet), applySet, others);
        }
        Map<ManagedFields.Entry, List<List<String>>> conflicts = conflicts(live, merged, applySet, others);
        if (!conflicts.isEmpty() && !force) {
            throw conflict(conflicts);
        }
        if (live != null && conflicts.isEmpty() && previous != null && previous.fields().equals(applySet)
                && withoutManagedFields(merged).equals(withoutManagedFields(live))) {
            return live.deepCopy();
        }
        List<ManagedFields.Entry> entries = new ArrayList<>();
        for (ManagedFields.Entry e : others) {
            List<List<String>> lost = conflicts.getOrDefault(e, List.of());
            FieldSet kept = e.fields().minus(FieldSet.of(lost));
            if (!kept.isEmpty()) {
                entries.add(e.withFields(kept));
            }
        }
        entries.add(new ManagedFields.Entry(manager, ManagedFields.APPLY, apiVersion, now, null, applySet));
        ManagedFields.write(merged, entries);
        return merged;
    }

    /** Removes the fields this manager no longer applies, unless someone else still holds them. */
    private static void prune(ObjectNode merged, FieldSet dropped, FieldSet applySet, List<ManagedFields.Entry> others) {
        for (List<String> path : dropped.paths()) {
            boolean held = applySet.touches(path) || others.stream().anyMatch(e -> e.fields().touches(path));
            if (!held) {
                ObjectFields.remove(merged, path);
            }
        }
    }

    private static Map<ManagedFields.Entry, List<List<String>>> conflicts(JsonNode live, JsonNode merged,
            FieldSet applySet, List<ManagedFields.Entry> others) {
        Map<ManagedFields.Entry, List<List<String>>> out = new LinkedHashMap<>();
        if (live == null) {
            return out;
        }
        for (List<String> path : applySet.paths()) {
            if (!ObjectFields.changed(live, merged, path)) {
                continue;
            }
            for (ManagedFields.Entry e : others) {
                if (e.fields().contains(path)) {
                    out.computeIfAbsent(e, k -> new ArrayList<>()).add(path);
                }
            }
        }
        return out;
    }

    /**
     * Upstream's message: {@code Apply failed with 1 conflict: conflict with "m" using v1: .a}, or
     * for several {@code Apply failed with 2 conflicts: conflicts with "m" using v1:\n- .a\n- .b},
     * managers sorted; one {@code FieldManagerConflict} cause per field and manager.
     */
    private static ApiException.Conflict conflict(Map<ManagedFields.Entry, List<List<String>>> conflicts) {
        List<ManagedFields.Entry> managers = new ArrayList<>(conflicts.keySet());
        managers.sort(Comparator.comparing(ManagedFields.Entry::manager).thenComparing(ManagedFields.Entry::describe));
        List<StatusCause> causes = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (ManagedFields.Entry e : managers) {
            lines.add("conflicts with " + e.describe() + ":");
            for (List<String> path : conflicts.get(e)) {
                StatusCause c = new StatusCause();
                c.setReason("FieldManagerConflict");
                c.setMessage("conflict with " + e.describe());
                c.setField(FieldSet.describe(path));
                causes.add(c);
                lines.add("- " + FieldSet.describe(path));
            }
        }
        String message = causes.size() == 1
                ? "Apply failed with 1 conflict: " + causes.getFirst().getMessage() + ": " + causes.getFirst().getField()
                : "Apply failed with " + causes.size() + " conflicts: " + lines.stream().collect(Collectors.joining("\n"));
        return new ApiException.Conflict(null, null, null, message, causes);
    }

    private static String text(JsonNode applied, JsonNode live, String field) {
        String v = applied.path(field).asText(null);
        return v != null || live == null ? v : live.path(field).asText(null);
    }

    private static JsonNode withoutManagedFields(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
        return copy;
    }
}
