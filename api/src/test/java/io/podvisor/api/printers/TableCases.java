package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.Yaml;
import io.podvisor.api.resources.ResourceType;
import java.time.Instant;
import java.util.List;

/** Helpers for table-driven printer tests: objects from YAML, cells at a fixed instant. */
final class TableCases {

    /** Every test prints at this instant; creation times are written relative to it. */
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private TableCases() {}

    /** One named case: an object in YAML and the cells it must print. */
    record Case(String name, String yaml, List<Object> cells) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case of(String name, String yaml, Object... cells) {
        return new Case(name, yaml, List.of(cells));
    }

    static HasMetadata read(ResourceType type, String yaml) {
        return Yaml.read(yaml, type.javaType());
    }

    static List<Object> cells(ResourceType type, String yaml) {
        return Tables.cells(type, read(type, yaml), NOW);
    }

    /** Names of the columns, wide ones marked with a trailing {@code *}. */
    static List<String> headers(ResourceType type) {
        return Tables.columns(type).stream().map(c -> c.priority() == 0 ? c.name() : c.name() + "*").toList();
    }
}
