package io.podvisor.api.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.printers.EndpointPrinters.EndpointSlicePrinter;
import io.podvisor.api.printers.EndpointPrinters.EndpointsPrinter;
import io.podvisor.api.resources.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server-side Table printing: the column set of each kind as Kubernetes 1.33 defines it
 * ({@code pkg/printers/internalversion}; wide columns have priority 1) and each object's cells,
 * formatted as the real API server does (AGE by {@link HumanDuration}, {@code <none>} for empty
 * wide cells, counts as numbers). Every cell is always produced, wide ones included; kubectl hides
 * priority-1 columns itself unless {@code -o wide}.
 *
 * <p>Printed kinds: Pod, Job, Service, Endpoints, EndpointSlice, Event (core v1 and
 * events.k8s.io/v1 share one printer), Namespace, Node, ConfigMap, Secret, ServiceAccount and
 * Lease. Any other kind gets the API server's default, Name | Created At. An object its printer
 * cannot print (stored before the API refused such values) gets a row of {@code <unknown>} cells
 * beside its name ({@link GuardedPrinter}): one object never breaks a listing.
 */
public final class Tables {

    private static final Map<String, KindPrinter> PRINTERS = Map.ofEntries(
            Map.entry("/Pod", new PodPrinter()),
            Map.entry("batch/Job", new JobPrinter()),
            Map.entry("/Service", new ServicePrinter()),
            Map.entry("/Endpoints", new EndpointsPrinter()),
            Map.entry("discovery.k8s.io/EndpointSlice", new EndpointSlicePrinter()),
            Map.entry("/Event", new EventPrinter()),
            Map.entry("events.k8s.io/Event", new EventPrinter()),
            Map.entry("/Namespace", SimplePrinters.NAMESPACE),
            Map.entry("/Node", new NodePrinter()),
            Map.entry("/ConfigMap", SimplePrinters.CONFIG_MAP),
            Map.entry("/Secret", SimplePrinters.SECRET),
            Map.entry("/ServiceAccount", SimplePrinters.SERVICE_ACCOUNT),
            Map.entry("coordination.k8s.io/Lease", SimplePrinters.LEASE));

    private Tables() {}

    /**
     * One column definition of a Table, serialized as {@code name}, {@code type} ({@code string},
     * {@code integer}, {@code date}...), {@code format} ({@code name} marks the name column, else
     * empty), {@code description} and {@code priority} (0 always shown, 1 only with {@code -o wide}).
     */
    public record Column(String name, String type, String format, String description, int priority) {}

    /**
     * A condition of a Table row; upstream marks rows of finished pods {@code Completed}.
     *
     * @param type e.g. {@code Completed}
     * @param status {@code True}, {@code False} or {@code Unknown}
     */
    public record RowCondition(String type, String status, String reason, String message) {}

    /** What each row carries in {@code object}, as the {@code includeObject} query parameter selects. */
    public enum IncludeObject {
        /** No object. */
        NONE,
        /** A PartialObjectMetadata holding the object's metadata (the default). */
        METADATA,
        /** The whole object. */
        OBJECT
    }

    /**
     * The column definitions of {@code type}.
     *
     * @param type a served resource type
     * @return the columns in upstream order, never empty
     */
    public static List<Column> columns(ResourceType type) {
        return printer(type).columns();
    }

    /**
     * The cells of one row, matching {@link #columns} one for one: Strings, or Longs for counts.
     *
     * @param type the object's resource type
     * @param object the object; an instance of {@code type.javaType()} or convertible to it
     * @param now the instant ages and durations are measured to
     * @return the cells, wide ones included
     */
    public static List<Object> cells(ResourceType type, HasMetadata object, Instant now) {
        return printer(type).cells(object, now);
    }

    /** The row conditions of {@code object} (empty for most kinds). */
    public static List<RowCondition> conditions(ResourceType type, HasMetadata object) {
        return printer(type).conditions(object);
    }

    /**
     * A complete {@code meta.k8s.io/v1} Table, ready to serialize as the response to a get or list
     * that asked for {@code application/json;as=Table;v=v1;g=meta.k8s.io}.
     *
     * @param type the resource type of every object
     * @param objects the rows, in order (one object for a get)
     * @param now the instant ages are measured to
     * @param resourceVersion the list's (or object's) resource version for {@code metadata}; null omits it
     * @param includeObject true to embed each whole object, false for PartialObjectMetadata
     * @return the Table as a JSON tree
     */
    public static ObjectNode table(ResourceType type, List<? extends HasMetadata> objects, Instant now,
            String resourceVersion, boolean includeObject) {
        return table(type, objects, now, resourceVersion,
                includeObject ? IncludeObject.OBJECT : IncludeObject.METADATA);
    }

    /** As {@link #table(ResourceType, List, Instant, String, boolean)}, with the three-way choice of row object. */
    public static ObjectNode table(ResourceType type, List<? extends HasMetadata> objects, Instant now,
            String resourceVersion, IncludeObject include) {
        return TableJson.build(type, printer(type), objects, now, resourceVersion, include);
    }

    private static KindPrinter printer(ResourceType type) {
        return new GuardedPrinter(PRINTERS.getOrDefault(type.group() + "/" + type.kind(), SimplePrinters.DEFAULT));
    }
}
