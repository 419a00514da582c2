package io.podvisor.cli.harness;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.printers.Tables;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.core.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What kubectl prints about the cluster, read through the {@link Registry} and the server's table
 * printers: {@code kubectl get} rows with the default (priority 0) columns, single-spaced (so an
 * empty cell, like the ENDPOINTS of a service without ready pods, vanishes), and the
 * events about one object. Ages and durations are measured to the clock's now.
 */
final class ClusterView {

    private final Registry api;
    private final Clock clock;

    ClusterView(Registry api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** The type kubectl resolves {@code resource} to: plural, singular or short name, core group first. */
    static ResourceType resolve(String resource) {
        String r = resource.toLowerCase();
        return ResourceTypes.ALL_TYPES.stream()
                .filter(t -> t.plural().equals(r) || t.singular().equals(r) || t.shortNames().contains(r)
                        || t.qualifiedName().equals(r))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "error: the server doesn't have a resource type \"" + resource + "\""));
    }

    String header(String resource) {
        return visibleColumns(resolve(resource)).stream().map(i -> Tables.columns(resolve(resource)).get(i).name()
                .toUpperCase()).collect(Collectors.joining(" "));
    }

    List<String> rows(String resource, String namespace) {
        ResourceType type = resolve(resource);
        List<HasMetadata> items = api.list(type,
                Registry.ListOptions.all(type.namespaced() ? namespace : null)).items();
        List<String> rows = new ArrayList<>();
        for (HasMetadata item : items) {
            rows.add(row(type, item));
        }
        return rows;
    }

    String row(String resource, String namespace, String name) {
        ResourceType type = resolve(resource);
        try {
            return row(type, api.get(type, namespace, name));
        } catch (ApiException.NotFound e) {
            return "<gone>";
        }
    }

    /** Events whose involved object is {@code name}, oldest first: {@code "Type Reason message"}. */
    List<String> events(String namespace, String name) {
        return api.list(ResourceTypes.EVENTS, Registry.ListOptions.all(namespace)).items().stream()
                .map(Event.class::cast)
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                // event names end in the issuing time's nanoseconds, unique and increasing
                .sorted(Comparator.comparing((Event e) -> e.getMetadata().getName()))
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage())
                .toList();
    }

    private String row(ResourceType type, HasMetadata object) {
        List<Object> cells = Tables.cells(type, object, clock.now());
        // as printed and then single-spaced: an empty cell leaves no trace
        return visibleColumns(type).stream().map(i -> String.valueOf(cells.get(i)))
                .collect(Collectors.joining(" ")).replaceAll("\\s+", " ").trim();
    }

    private static List<Integer> visibleColumns(ResourceType type) {
        List<Tables.Column> columns = Tables.columns(type);
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).priority() == 0) {
                visible.add(i);
            }
        }
        return visible;
    }
}
